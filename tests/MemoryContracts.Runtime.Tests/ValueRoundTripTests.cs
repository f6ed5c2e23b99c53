using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using CsCheck;
using MemoryContracts.Runtime.Postgres;
using MemoryContracts.Validation;
using Xunit;

namespace MemoryContracts.Runtime.Tests;

/// <summary>
/// Issue 12, finding 10: a value that validates is the value that is stored, exported and packed. One YAML 1.2 core
/// interpretation; numbers kept to the digit; YAML and JSON agree; file and PostgreSQL alike.
/// </summary>
public sealed class ValueRoundTripTests : IDisposable
{
    private readonly string _folder = TestSupport.TempFolder("values");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Core_schema_booleans_and_every_number_spelling_survive_import_and_export()
    {
        const string attributes1 = "{t1: true, t2: True, t3: TRUE, f1: False, f2: FALSE, dec: 1.0, exp: 2e0, big: 123456789012345678901234567890, ";
        const string attributes2 = "hex: 0x1F, oct: 0o17, huge: 1e400, negzero: -0, plus: +12, lead: 007, half: .5, one: 1., quoted: \"0x1F\"}";
        var exported = Export(Import(Graph("yaml-values", attributes1 + attributes2, span: "{path: a.md, start_line: 1.0, end_line: 2e0}")));
        var attributes = Attributes(exported);
        Assert.Equal(17, attributes.Count);
        Assert.Equal("true", attributes["t1"]);
        Assert.Equal("true", attributes["t2"]);
        Assert.Equal("true", attributes["t3"]);
        Assert.Equal("false", attributes["f1"]);
        Assert.Equal("false", attributes["f2"]);
        Assert.Equal("1.0", attributes["dec"]);
        Assert.Equal("2e0", attributes["exp"]);
        Assert.Equal("123456789012345678901234567890", attributes["big"]);
        Assert.Equal("31", attributes["hex"]);
        Assert.Equal("15", attributes["oct"]);
        Assert.Equal("1e400", attributes["huge"]);
        Assert.Equal("-0", attributes["negzero"]);
        Assert.Equal("12", attributes["plus"]);
        Assert.Equal("7", attributes["lead"]);
        Assert.Equal("0.5", attributes["half"]);
        Assert.Equal("1.0", attributes["one"]);
        Assert.Equal("\"0x1F\"", attributes["quoted"]);
        using var document = JsonDocument.Parse(exported);
        var source = document.RootElement.GetProperty("nodes")[0].GetProperty("source");
        Assert.Equal((1, 2), (source.GetProperty("start_line").GetInt32(), source.GetProperty("end_line").GetInt32()));
    }

    [Theory]
    [InlineData(".inf")]
    [InlineData("-.Inf")]
    [InlineData(".nan")]
    public void Numbers_json_cannot_hold_are_refused_at_validation(string spelling)
    {
        var path = TestSupport.Write(_folder, "inf.yaml", Graph("inf", $"{{x: {spelling}}}"));
        var errors = new ContractValidator().Validate(path).Diagnostics.Where(diagnostic => diagnostic.IsError).ToArray();
        Assert.Equal("MC1003", Assert.Single(errors).Code);
    }

    [Fact]
    public void A_big_integer_means_the_same_in_yaml_and_json()
    {
        const string big = "123456789012345678901234567890";
        var yaml = TestSupport.Write(_folder, "big.yaml", Graph("big", $"{{n: {big}}}", span: $"{{path: a.md, start_line: {big}}}"));
        var json = TestSupport.Write(_folder, "big.json", $$$"""{"schema_version": "markitect.memory.graph.v1", "id": "big", "nodes": [{"id": "n", "kind": "claim", "title": "n", "source": {"path": "a.md", "start_line": {{{big}}}}, "attributes": {"n": {{{big}}}}}]}""");
        var fromYaml = new ContractValidator().Validate(yaml).Diagnostics.Select(diagnostic => (diagnostic.Code, diagnostic.Message)).ToArray();
        var fromJson = new ContractValidator().Validate(json).Diagnostics.Select(diagnostic => (diagnostic.Code, diagnostic.Message)).ToArray();
        Assert.Equal(fromYaml, fromJson);
        Assert.Contains(fromYaml, diagnostic => diagnostic.Code == "MC1003" && diagnostic.Message.Contains("2147483647", StringComparison.Ordinal));
    }

    /// <summary>
    /// Property: graphs whose attributes take every scalar form validate, import, export and validate again with the
    /// same values, and the YAML and JSON spellings of one graph export the same bytes; on files and on PostgreSQL.
    /// </summary>
    [Fact]
    public void Every_scalar_form_round_trips_the_same_in_yaml_and_json_on_every_store()
    {
        var postgres = PostgresServer.ConnectionString is null ? null : new PostgresStoreOptions(PostgresServer.MigratedConnectionString, PostgresServer.NewOwner(), PostgresServer.Keys);
        var run = 0;
        Scalar.Array[1, 8].Sample(
            scalars =>
            {
                var id = $"g{run++}";
                var yamlAttributes = "{" + string.Join(", ", scalars.Select((scalar, index) => $"a{index}: {scalar.Yaml}")) + "}";
                var jsonAttributes = "{" + string.Join(", ", scalars.Select((scalar, index) => $"\"a{index}\": {scalar.Json}")) + "}";
                var yaml = TestSupport.Write(_folder, id + ".yaml", Graph(id, yamlAttributes));
                var json = TestSupport.Write(_folder, id + ".json", $$"""{"schema_version": "markitect.memory.graph.v1", "id": "{{id}}", "nodes": [{"id": "n", "kind": "claim", "title": "n", "attributes": {{jsonAttributes}}}]}""");
                Assert.Empty(new ContractValidator().Validate(yaml).Diagnostics);
                Assert.Empty(new ContractValidator().Validate(json).Diagnostics);

                var stores = new List<Func<MemoryWorkspace>> { () => MemoryWorkspace.Create(Path.Combine(_folder, "ws-" + Guid.NewGuid().ToString("N"))) };
                if (postgres is not null)
                {
                    stores.Add(() => PostgresWorkspace.Open(postgres with { Owner = PostgresServer.NewOwner() }));
                }

                foreach (var open in stores)
                {
                    using var fromYaml = open();
                    using var fromJson = open();
                    fromYaml.Import(yaml, "tester");
                    fromJson.Import(json, "tester");
                    var exported = fromYaml.Export(id);
                    Assert.Equal(exported, fromJson.Export(id));
                    var attributes = Attributes(exported);
                    Assert.Equal(scalars.Select(scalar => scalar.Json), scalars.Select((_, index) => attributes[$"a{index}"]));

                    var again = TestSupport.Write(_folder, id + "-exported.json", Encoding.UTF8.GetString(exported));
                    Assert.Empty(new ContractValidator().Validate(again).Diagnostics);
                    using var reimported = MemoryWorkspace.InMemory();
                    reimported.Import(again, "tester");
                    Assert.Equal(exported, reimported.Export(id));
                }
            },
            iter: 60);
    }

    /// <summary>A scalar in a YAML spelling, and the JSON the store must export for it.</summary>
    private sealed record ScalarForm(string Yaml, string Json);

    private static readonly Gen<string> Digits = Gen.Char['0', '9'].Array[1, 40].Select(chars => new string(chars));

    private static readonly Gen<ScalarForm> Scalar = Gen.OneOf(
        Gen.OneOf(new ScalarForm("true", "true"), new ScalarForm("True", "true"), new ScalarForm("TRUE", "true"), new ScalarForm("false", "false"), new ScalarForm("False", "false"), new ScalarForm("FALSE", "false")),
        Gen.Long.Select(value => new ScalarForm(value.ToString(CultureInfo.InvariantCulture), value.ToString(CultureInfo.InvariantCulture))),
        Gen.Long[0, long.MaxValue].Select(value => new ScalarForm("+" + value.ToString(CultureInfo.InvariantCulture), value.ToString(CultureInfo.InvariantCulture))),
        Digits.Select(digits => new ScalarForm("1" + digits, "1" + digits)),
        Digits.Select(digits => new ScalarForm("-9" + digits, "-9" + digits)),
        Gen.Int[0, 999].Select(value => new ScalarForm("00" + value.ToString(CultureInfo.InvariantCulture), value.ToString(CultureInfo.InvariantCulture))),
        Gen.Const(new ScalarForm("-0", "-0")),
        Gen.Char['0', 'f'].Where(c => char.IsAsciiHexDigit(c)).Array[1, 30].Select(chars => new ScalarForm("0x" + new string(chars), BigInteger.Parse("0" + new string(chars), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture))),
        Gen.Char['0', '7'].Array[1, 30].Select(chars => new ScalarForm("0o" + new string(chars), chars.Aggregate(BigInteger.Zero, (value, c) => (value * 8) + (c - '0')).ToString(CultureInfo.InvariantCulture))),
        Gen.Select(Gen.Int[1, 99999], Digits).Select(pair => new ScalarForm($"{pair.Item1}.{pair.Item2}", $"{pair.Item1}.{pair.Item2}")),
        Digits.Select(digits => new ScalarForm("." + digits, "0." + digits)),
        Gen.Int[1, 999].Select(value => new ScalarForm(value.ToString(CultureInfo.InvariantCulture) + ".", value.ToString(CultureInfo.InvariantCulture) + ".0")),
        Gen.Select(Gen.Int[1, 9], Gen.OneOf("e", "E"), Gen.OneOf("", "+", "-"), Gen.Int[0, 999]).Select(parts => new ScalarForm($"{parts.Item1}{parts.Item2}{parts.Item3}{parts.Item4}", $"{parts.Item1}{parts.Item2}{parts.Item3}{parts.Item4}")),
        Gen.OneOf("yes", "no", "on", "null-ish", "1.2.3", "0x", "0o8", "12abc", "- not a list").Select(text => new ScalarForm($"\"{text}\"", JsonSerializer.Serialize(text))),
        Digits.Select(digits => new ScalarForm($"'{digits}'", $"\"{digits}\"")));

    private string Import(string yaml)
    {
        var path = TestSupport.Write(_folder, "values.yaml", yaml);
        Assert.Empty(new ContractValidator().Validate(path).Diagnostics);
        return path;
    }

    private byte[] Export(string fixture)
    {
        using var workspace = MemoryWorkspace.Create(Path.Combine(_folder, "ws"));
        var id = workspace.Import(fixture, "tester");
        return workspace.Export(id);
    }

    private static string Graph(string id, string attributes, string? span = null) =>
        $"schema_version: markitect.memory.graph.v1\nid: {id}\nnodes:\n  - id: n\n    kind: claim\n    title: n\n" + (span is null ? string.Empty : $"    source: {span}\n") + $"    attributes: {attributes}\n";

    private static Dictionary<string, string> Attributes(byte[] exported)
    {
        using var document = JsonDocument.Parse(exported);
        return document.RootElement.GetProperty("nodes")[0].GetProperty("attributes").EnumerateObject().ToDictionary(pair => pair.Name, pair => pair.Value.GetRawText());
    }
}
