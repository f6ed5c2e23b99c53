using MemoryContracts.Diagnostics;
using MemoryContracts.Validation;
using Xunit;

namespace MemoryContracts.Tests;

/// <summary>
/// Every file in Fixtures/Diagnostics is validated and its diagnostics, as canonical lines with the file name,
/// must equal the approved <c>.expected</c> file beside it: code, file, line, column and message.
/// </summary>
public sealed class DiagnosticFixtureTests
{
    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Repository.DiagnosticFixtures).Where(path => !path.EndsWith(".expected", StringComparison.Ordinal)).OrderBy(path => path, StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Fixture_reports_exactly_the_expected_diagnostics(string fileName)
    {
        var path = Path.Combine(Repository.DiagnosticFixtures, fileName);
        var validator = new ContractValidator();
        validator.Validate(path);

        var actual = string.Concat(validator.Results.SelectMany(result => result.Diagnostics).Select(diagnostic => Canonical(diagnostic) + "\n"));
        Approvals.Verify(actual, Path.ChangeExtension(path, ".expected"));
    }

    [Fact]
    public void Every_diagnostic_code_is_covered_by_a_fixture_or_a_named_test()
    {
        var covered = Directory.GetFiles(Repository.DiagnosticFixtures, "*.expected")
            .SelectMany(File.ReadAllLines)
            .Select(line => System.Text.RegularExpressions.Regex.Match(line, @" (MC\d{4}): ").Groups[1].Value)
            .Concat(HostileInputTests.CodesCoveredHere)
            .Concat(ToolTests.CodesCoveredHere)
            .Concat(PathEscapeTests.CodesCoveredHere)
            .Concat(CodesAssertedByTheGeneratorTests())
            .Concat(CodesAssertedByTheRuntimeTests())
            .ToHashSet(StringComparer.Ordinal);

        var missing = DiagnosticCatalog.All.Select(descriptor => descriptor.Code).Where(code => !covered.Contains(code)).ToArray();
        Assert.Empty(missing);
    }

    /// <summary>Codes the generator reports, asserted in its own test project (such as MC2011).</summary>
    private static IEnumerable<string> CodesAssertedByTheGeneratorTests() =>
        Directory.GetFiles(Path.Combine(Repository.Root, "tests", "MemoryContracts.Generators.Tests"), "*Tests.cs")
            .SelectMany(file => System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(file), "Assert\\.Equal\\(\"(MC\\d{4})\"").Select(match => match.Groups[1].Value));

    /// <summary>Runtime and store codes (MC5xxx), asserted in the runtime's test project against real workspaces.</summary>
    private static IEnumerable<string> CodesAssertedByTheRuntimeTests() =>
        Directory.GetFiles(Path.Combine(Repository.Root, "tests", "MemoryContracts.Runtime.Tests"), "*.cs")
            .SelectMany(file => System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(file), "\"(MC5\\d{3})\"").Select(match => match.Groups[1].Value));

    /// <summary>The canonical line with the file name only, and repository paths in messages made relative, so it reads the same on every machine.</summary>
    internal static string Canonical(ContractDiagnostic diagnostic) =>
        new ContractDiagnostic(diagnostic.Descriptor, diagnostic.Severity, diagnostic.Message, diagnostic.Location with { Path = Path.GetFileName(diagnostic.Location.Path) })
            .ToString().Replace(Repository.Root + Path.DirectorySeparatorChar, string.Empty);
}
