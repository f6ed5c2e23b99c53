using System.Diagnostics;

namespace MemoryContracts.Build.Benchmarks;

/// <summary>Runs and times real dotnet processes.</summary>
internal static class Dotnet
{
    /// <summary>Runs <c>dotnet</c> with the arguments in the folder and returns the seconds it took.</summary>
    public static double Time(string directory, params string[] arguments)
    {
        var stopwatch = Stopwatch.StartNew();
        Run(directory, arguments);
        return stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>Runs <c>dotnet</c> with the arguments in the folder; a failure throws with its output.</summary>
    public static void Run(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} failed in {directory}:\n{output.Result}{error.Result}");
        }
    }

    /// <summary>The middle value (the upper one of an even count).</summary>
    public static double Median(List<double> values)
    {
        var sorted = values.OrderBy(value => value).ToArray();
        return sorted[sorted.Length / 2];
    }
}
