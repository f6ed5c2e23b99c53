using System.Text;
using MemoryContracts.Diagnostics;
using MemoryContracts.Documents;
using MemoryContracts.Packing;
using MemoryContracts.Schemas;
using MemoryContracts.Validation;
using Xunit;

namespace MemoryContracts.Tests;

/// <summary>Input that tries to break the loader gets a diagnostic with a code and a position, never an exception.</summary>
public sealed class HostileInputTests
{
    /// <summary>Codes whose only trigger is in this class (binary input, I/O, internal faults).</summary>
    internal static readonly string[] CodesCoveredHere = ["MC1005", "MC1010", "MC4009", "MC9001", "MC9002"];

    [Fact]
    public void Invalid_utf8_is_MC1005_at_the_offending_byte()
    {
        var content = Encoding.UTF8.GetBytes("schema_version: markitect.memory.graph.v1\nid: caf").Concat(new byte[] { 0xC3, 0x28 }).Concat(Encoding.UTF8.GetBytes("\nnodes: []\n")).ToArray();
        var diagnostic = Assert.Single(Load("bad.yaml", content).Diagnostics);
        Assert.Equal("bad.yaml(2,8): error MC1005: byte 0xC3 at offset 49 is not valid UTF-8; fixtures must be UTF-8", diagnostic.ToString());
    }

    [Fact]
    public void Utf16_is_MC1005()
    {
        var content = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("id: x\n")).ToArray();
        Assert.Equal("wide.yaml(1,1): error MC1005: the file is UTF-16; fixtures must be UTF-8", Assert.Single(Load("wide.yaml", content).Diagnostics).ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t\n")]
    [InlineData("\uFEFF")]
    public void Empty_files_are_MC1006(string text)
    {
        var diagnostic = Assert.Single(Load("empty.json", Encoding.UTF8.GetBytes(text)).Diagnostics);
        Assert.Equal("MC1006", diagnostic.Code);
        Assert.Equal((1, 1), (diagnostic.Location.Line, diagnostic.Location.Column));
    }

    [Fact]
    public void Billion_laughs_fails_fast_with_MC1007_at_the_alias()
    {
        var result = Load("laughs.yaml", File.ReadAllBytes(Path.Combine(Repository.DiagnosticFixtures, "MC1007.yaml")));
        Assert.Null(result.Document);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("MC1007", diagnostic.Code);
        Assert.Equal(6, diagnostic.Location.Line);
    }

    [Fact]
    public void Alias_expansion_below_the_limit_is_expanded()
    {
        var yaml = "schema_version: markitect.memory.graph.v1\nid: shared\nnodes:\n  - &node {id: a, kind: decision, title: A}\nedges: []\nevents: []\n";
        var result = Load("alias.yaml", Encoding.UTF8.GetBytes(yaml + "extra: [*node, *node]\n"));
        Assert.Empty(result.Diagnostics);
        Assert.True(result.Document!.Root.TryGetProperty("extra", out var extra));
        Assert.All(extra.EnumerateItems(), item => Assert.Equal("a", item.GetOptionalString("id")));
    }

    [Fact]
    public void Recursive_alias_is_rejected()
    {
        var diagnostic = Assert.Single(Load("recursive.yaml", Encoding.UTF8.GetBytes("a: &a [1, *a]\n")).Diagnostics);
        Assert.Equal("recursive.yaml(1,11): error MC1001: not well-formed YAML: alias '*a' names no anchor defined before it", diagnostic.ToString());
    }

    [Fact]
    public void Deep_yaml_nesting_is_MC1008_without_recursion()
    {
        var yaml = string.Concat(Enumerable.Repeat("- ", 20_000)) + "x\n";
        var diagnostic = Assert.Single(Load("deep.yaml", Encoding.UTF8.GetBytes(yaml)).Diagnostics);
        Assert.Equal("MC1008", diagnostic.Code);
        Assert.Equal((1, 129), (diagnostic.Location.Line, diagnostic.Location.Column));
    }

    [Fact]
    public void Deep_json_nesting_is_MC1008()
    {
        var json = new string('[', 100_000) + new string(']', 100_000);
        var diagnostic = Assert.Single(Load("deep.json", Encoding.UTF8.GetBytes(json)).Diagnostics);
        Assert.Equal("deep.json(1,65): error MC1008: the document nests deeper than 64 levels", diagnostic.ToString());
    }

    [Theory]
    [InlineData("? [a, b]\n: value\n", "MC1011")]
    [InlineData("a: !custom value\n", "MC1011")]
    [InlineData("a: !!int twelve\n", "MC1011")]
    [InlineData("a: \"unterminated\n", "MC1001")]
    [InlineData("a: [1, 2\nb: 3\n", "MC1001")]
    [InlineData("a: b: c\n", "MC1001")]
    [InlineData("a: \0\0\0", "MC1005")]
    [InlineData("{\"a\": 1,}", "MC1001")]
    [InlineData("{\"a\": 1} trailing", "MC1001")]
    [InlineData("// comment\n{}", "MC1001")]
    public void Malformed_input_gets_one_positioned_diagnostic(string text, string code)
    {
        var name = text.TrimStart().StartsWith('{') || text.StartsWith("//", StringComparison.Ordinal) ? "input.json" : "input.yaml";
        var diagnostic = Assert.Single(Load(name, Encoding.UTF8.GetBytes(text)).Diagnostics);
        Assert.Equal(code, diagnostic.Code);
        Assert.True(diagnostic.Location.Line >= 1 && diagnostic.Location.Column >= 1, diagnostic.ToString());
    }

    [Fact]
    public void Truncated_and_mutated_catalog_files_never_cause_an_internal_error()
    {
        var random = new Random(20261121);
        foreach (var path in Directory.GetFiles(Path.Combine(Repository.Root, "examples", "memory")).OrderBy(path => path, StringComparer.Ordinal))
        {
            var original = File.ReadAllBytes(path);
            var variants = Enumerable.Range(1, 12).Select(i => original.Take(original.Length * i / 13).ToArray()).ToList();
            for (var i = 0; i < 40; i++)
            {
                var mutated = (byte[])original.Clone();
                for (var flips = 0; flips < 1 + random.Next(4); flips++)
                {
                    mutated[random.Next(mutated.Length)] = (byte)"\0\"'[]{}:-&*!|>#\n \t\u00ff"[random.Next(19)];
                }

                variants.Add(mutated);
            }

            foreach (var variant in variants)
            {
                var validator = new ContractValidator();
                var result = validator.Validate(path, variant);
                Assert.DoesNotContain(result.Diagnostics, diagnostic => diagnostic.Code == "MC9001");
                Assert.All(result.Diagnostics, diagnostic => Assert.Matches(@"^MC\d{4}$", diagnostic.Code));
            }
        }
    }

    [Fact]
    public void Missing_file_is_MC1010_at_the_start_of_the_file()
    {
        var result = new ContractValidator().Validate("does/not/exist.yaml");
        Assert.Equal("does/not/exist.yaml(1,1): error MC1010: cannot read 'does/not/exist.yaml': file not found", Assert.Single(result.Diagnostics).ToString());
    }

    [Fact]
    public void An_unexpected_fault_becomes_MC9001_not_a_stack_trace()
    {
        var options = new ValidationOptions { ReadFile = _ => throw new InvalidOperationException("disk controller on fire") };
        var result = new ContractValidator(options).Validate("any.yaml");
        Assert.Equal("any.yaml(1,1): error MC9001: internal error while processing the file: InvalidOperationException: disk controller on fire; please report this with the file that caused it", Assert.Single(result.Diagnostics).ToString());
    }

    [Fact]
    public void A_broken_schema_is_MC9002_at_its_position()
    {
        var schema = "{\n  \"$id\": \"urn:test:broken:v1\",\n  \"x-contract\": \"graph\",\n  \"properties\": {\n    \"schema_version\": {\"const\": \"test.broken.v1\"},\n    \"id\": {\"type\": \"strnig\", \"minLenght\": 1}\n  }\n}\n";
        var result = SchemaCatalog.Compile([("broken.schema.json", Encoding.UTF8.GetBytes(schema))]);
        Assert.Null(result.Catalog);
        Assert.Equal(
            [
                "broken.schema.json(6,20): error MC9002: 'strnig' is not a JSON Schema type",
                "broken.schema.json(6,30): error MC9002: keyword 'minLenght' is not supported by the contract validator",
            ],
            result.Diagnostics.Select(diagnostic => diagnostic.ToString()));
    }

    [Fact]
    public void Two_selections_with_one_package_id_are_MC4009()
    {
        var folder = TempFolders.Create("emit");
        File.Copy(Path.Combine(Repository.DiagnosticFixtures, "support-graph.yaml"), Path.Combine(folder, "graph.yaml"));
        var selection = "schema_version: markitect.memory.selection.v1\nid: same\ngraph: graph.yaml\nselect: {nodes: [n1]}\n";
        File.WriteAllText(Path.Combine(folder, "a.yaml"), selection);
        File.WriteAllText(Path.Combine(folder, "b.yaml"), selection);
        var validator = new ContractValidator();
        validator.Validate(Path.Combine(folder, "a.yaml"));
        validator.Validate(Path.Combine(folder, "b.yaml"));

        var emitted = PackageEmitter.Emit(validator.Results, Path.Combine(folder, "out"), PackageFormat.Json);

        Assert.Single(emitted.Written);
        var diagnostic = Assert.Single(emitted.Diagnostics);
        Assert.Equal("MC4009", diagnostic.Code);
        Assert.EndsWith("selection '" + Path.Combine(folder, "a.yaml") + "' already produces a package with this id", diagnostic.Message, StringComparison.Ordinal);
    }

    private static DocumentLoadResult Load(string name, byte[] content) => DocumentLoader.Load(name, content);
}
