namespace MemoryContracts.Runtime.Tests;

/// <summary>How a test that cannot run here is skipped: with its reason, also in its name, so the reason shows at the default verbosity of dotnet test.</summary>
internal static class SkipReason
{
    /// <summary>Skips the test with the reason, naming it <c>File.Test (skipped: reason)</c>.</summary>
    public static void Apply(Xunit.FactAttribute fact, string reason, string file, string test)
    {
        fact.Skip = reason;
        fact.DisplayName = $"{Path.GetFileNameWithoutExtension(file)}.{test} (skipped: {reason})";
    }
}
