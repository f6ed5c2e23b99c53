using MemoryContracts.Tool;
using Xunit;

namespace MemoryContracts.Tests;

/// <summary>Issue 18, finding 9: the command line corrects instead of confusing.</summary>
public sealed class CliUsageTests
{
    private static readonly string Graph = Repository.Examples("decision-graph.yaml");

    [Theory]
    [InlineData(new[] { "validate", "FILE", "--formt", "json" }, "unknown option '--formt' for 'dotnet memory validate'; did you mean '--format'?", "dotnet memory validate")]
    [InlineData(new[] { "graph", "validate", "FILE", "--warnaseror" }, "unknown option '--warnaseror' for 'dotnet memory graph validate'; did you mean '--warnaserror'?", "dotnet memory graph validate")]
    [InlineData(new[] { "store", "replay", "-w", "ws", "-g", "kb", "--bogus" }, "unknown option '--bogus' for 'dotnet memory store replay'", "dotnet memory store replay")]
    [InlineData(new[] { "store", "plan", "-w", "ws", "-g", "kb", "--profile", "p", "--lineage", "Forgett" }, "'Forgett' is not a value of --lineage; use one of: review, forget", "dotnet memory store plan")]
    [InlineData(new[] { "validate", "FILE", "-f", "xml" }, "'xml' is not a value of --format; use one of: text, json, sarif", "dotnet memory validate")]
    [InlineData(new[] { "valdate", "FILE" }, "Unrecognized command or argument 'valdate'; did you mean 'validate'?", "dotnet memory")]
    [InlineData(new[] { "store", "init" }, "Option '--workspace' is required.", "dotnet memory store init")]
    public void A_usage_mistake_is_exit_2_with_what_was_meant(string[] args, string expected, string command)
    {
        var error = new StringWriter { NewLine = "\n" };
        var exit = MemoryCli.Run(args.Select(arg => arg == "FILE" ? Graph : arg).ToArray(), TextWriter.Null, error);
        Assert.Equal(ExitCodes.Usage, exit);
        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("dotnet-memory: error: " + expected, lines);
        Assert.Equal($"Run '{command} --help' for usage.", lines[^1]);
    }

    [Fact]
    public void Choices_are_case_insensitive_and_help_prints_defaults_and_choices_as_users_type_them()
    {
        Assert.Equal(ExitCodes.Success, MemoryCli.Run(["validate", Graph, "--format", "JSON", "--engine", "Compiled"], TextWriter.Null, TextWriter.Null));
        var help = new StringWriter();
        MemoryCli.Run(["validate", "--help"], help, TextWriter.Null);
        Assert.Contains("-f, --format <text|json|sarif>", help.ToString(), StringComparison.Ordinal);
        Assert.Contains("Default: text.", help.ToString(), StringComparison.Ordinal);
        Assert.Contains("--engine <compiled|reference>", help.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("[default: Text]", help.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("MemoryContracts.", help.ToString(), StringComparison.Ordinal);

        var init = new StringWriter();
        MemoryCli.Run(["store", "init", "--help"], init, TextWriter.Null);
        Assert.DoesNotContain("--postgres", init.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_whose_name_starts_with_a_dash_is_given_after_a_double_dash()
    {
        var output = new StringWriter { NewLine = "\n" };
        Assert.Equal(ExitCodes.IoError, MemoryCli.Run(["validate", "--", "-missing.yaml"], output, TextWriter.Null));
        Assert.Equal("-missing.yaml(1,1): error MC1010: cannot read '-missing.yaml': file not found\n", output.ToString());
    }
}

/// <summary>Issue 18, finding 7: the schemas this version validates with can be written out for editors.</summary>
public sealed class SchemaExportTests
{
    [Fact]
    public void Schemas_export_writes_the_repository_schemas_byte_for_byte()
    {
        var folder = Path.Combine(TempFolders.Create("schemas"), ".schemas");
        var output = new StringWriter { NewLine = "\n" };
        Assert.Equal(ExitCodes.Success, MemoryCli.Run(["schemas", "export", "-o", folder], output, TextWriter.Null));
        var expected = Directory.GetFiles(Path.Combine(Repository.Root, "schemas"), "*.schema.json").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(expected.Select(Path.GetFileName), Directory.GetFiles(folder).Order(StringComparer.Ordinal).Select(Path.GetFileName));
        Assert.All(expected, path => Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(Path.Combine(folder, Path.GetFileName(path)))));
        Assert.Equal(expected.Length, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
