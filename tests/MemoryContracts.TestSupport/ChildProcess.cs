using System.Diagnostics;
using Xunit;

namespace MemoryContracts.Testing;

/// <summary>A program a test runs to its end, as a user would: it must succeed, and its standard output is the result.</summary>
public static class ChildProcess
{
    /// <summary>Runs <paramref name="command"/> with its arguments; fails the test with the program's standard error unless it exits 0.</summary>
    public static async Task<string> RunAsync(string command, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, stderr);
        return await stdout;
    }
}
