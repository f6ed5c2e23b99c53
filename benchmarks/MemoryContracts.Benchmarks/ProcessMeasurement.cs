using System.Diagnostics;
using System.Globalization;

namespace MemoryContracts.Benchmarks;

/// <summary>Runs a command under GNU time: wall time by stopwatch, peak resident memory from time's report.</summary>
internal static class ProcessMeasurement
{
    public static (double Seconds, long PeakKilobytes, int ExitCode) Run(string fileName, IEnumerable<string> arguments)
    {
        var report = Path.GetTempFileName();
        var start = new ProcessStartInfo("/usr/bin/time") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-f", "%M", "-o", report, fileName }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        stopwatch.Stop();
        var peak = long.Parse(File.ReadAllLines(report).Last(line => line.Trim().Length > 0).Trim(), CultureInfo.InvariantCulture);
        File.Delete(report);
        return (stopwatch.Elapsed.TotalSeconds, peak, process.ExitCode);
    }
}
