using System.Diagnostics;
using System.Text;

namespace MemoryContracts.Build.Tests;

/// <summary>
/// A throwaway SDK-style project in a temporary folder that imports the repository's build/ props and targets and
/// the task assembly built with the tests, driven by real dotnet processes.
/// </summary>
internal sealed class ConsumerProject
{
    private static string Root => MemoryContracts.Testing.RepositoryRoot.Path;

    /// <summary>The repository's root folder.</summary>
    public static string RepositoryRoot => Root;

    /// <summary>This machine's NuGet global packages folder (what the repository's own restore uses).</summary>
    public static string GlobalPackagesFolder => Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
        ? folder
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static readonly string Configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    /// <summary>
    /// Creates the project with <paramref name="properties"/> (MSBuild property elements) and, when
    /// <paramref name="withGenerator"/>, the source generator built with the tests as an analyzer, with its props.
    /// </summary>
    public ConsumerProject(string properties = "", bool withGenerator = false)
    {
        Directory = TempFolders.Create("build");
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "memory"));
        var taskAssembly = Path.Combine(Root, "src", "MemoryContracts.Build", "bin", Configuration, "net8.0", "MemoryContracts.Build.dll");
        var generator = Path.Combine(Root, "src", "MemoryContracts.Generators", "bin", Configuration, "netstandard2.0", "MemoryContracts.Generators.dll");
        File.WriteAllText(Path.Combine(Directory, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Import Project="{Root}/build/MemoryContracts.Build.props" />
              {(withGenerator ? $"<Import Project=\"{Root}/src/MemoryContracts.Generators/build/MemoryContracts.Generators.props\" />" : string.Empty)}
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <PackageId>Consumer</PackageId>
                <Version>1.0.0</Version>
                <MemoryContractsTaskAssembly>{taskAssembly}</MemoryContractsTaskAssembly>
                {properties}
              </PropertyGroup>
              <ItemGroup>
                <MemoryFixture Include="memory/**/*.yaml" />
                {(withGenerator ? $"<Analyzer Include=\"{generator}\" /><Analyzer Include=\"{YamlDotNetAnalyzer}\" />" : string.Empty)}
              </ItemGroup>
              <Import Project="{Root}/build/MemoryContracts.Build.targets" />
            </Project>
            """);
        File.WriteAllText(Path.Combine(Directory, "Empty.cs"), "namespace Consumer; public static class Empty { }\n");
    }

    public string Directory { get; }

    /// <summary>The generator's YAML parser, which a project reference does not hand the compiler as the package does.</summary>
    public static string YamlDotNetAnalyzer =>
        Path.Combine(GlobalPackagesFolder, "yamldotnet", PackageVersion("YamlDotNet"), "lib", "netstandard2.0", "YamlDotNet.dll");

    /// <summary>A package's version as the repository pins it (Directory.Packages.props).</summary>
    public static string PackageVersion(string package)
    {
        var props = File.ReadAllText(Path.Combine(Root, "Directory.Packages.props"));
        return System.Text.RegularExpressions.Regex.Match(props, $"Include=\"{System.Text.RegularExpressions.Regex.Escape(package)}\" Version=\"([^\"]+)\"").Groups[1].Value;
    }

    public string Output => Path.Combine(Directory, "bin", "Debug", "net10.0");

    /// <summary>Where the build keeps MemoryContracts' intermediate files (cache, stamps, packages) under obj/.</summary>
    public string Intermediate => Path.Combine(Directory, "obj", "Debug", "net10.0", "memory-contracts");

    public ConsumerProject AddExample(string name, string? as_ = null)
    {
        File.Copy(Path.Combine(Root, "examples", "memory", name), Path.Combine(Directory, "memory", as_ ?? name), overwrite: true);
        return this;
    }

    public ConsumerProject Write(string relativePath, string text)
    {
        File.WriteAllText(Path.Combine(Directory, relativePath), text);
        return this;
    }

    public static string Example(string name) => File.ReadAllText(Path.Combine(Root, "examples", "memory", name));

    /// <summary>Runs <c>dotnet &lt;command&gt;</c> on the project; returns the exit code and everything it printed.</summary>
    public (int ExitCode, string Output) Run(string command, params string[] arguments) =>
        RunIn(Directory, command, ["Consumer.csproj", "-nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false", .. arguments]);

    /// <summary>Runs <c>dotnet &lt;command&gt; &lt;arguments&gt;</c> in a folder; returns the exit code and everything it printed.</summary>
    public static (int ExitCode, string Output) RunIn(string directory, string command, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { command }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) { lock (output) { output.AppendLine(line.Data); } } };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) { lock (output) { output.AppendLine(line.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {command} did not finish in 3 minutes:\n{output}");
        }

        process.WaitForExit();
        return (process.ExitCode, output.ToString());
    }

    /// <summary>
    /// Runs a bash script as a page shows it, in a home folder of its own (so <c>~</c> and the global tool folder are
    /// throwaway), with the .NET CLI quiet and no MSBuild node reuse; returns the exit code and both outputs.
    /// </summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunBashAsync(string script, string home, string? workingDirectory = null, string? nugetPackages = null)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = workingDirectory ?? home, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.Environment["HOME"] = home;
        if (nugetPackages is not null)
        {
            start.Environment["NUGET_PACKAGES"] = nugetPackages;
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, error);
    }

    /// <summary>The distinct MemoryContracts diagnostic lines of a build, without the project suffix MSBuild appends.</summary>
    public static string[] Diagnostics(string output) => output.Split('\n')
        .Select(line => line.Trim())
        .Where(line => System.Text.RegularExpressions.Regex.IsMatch(line, @": (error|warning) MC\d{4}: "))
        .Select(line => System.Text.RegularExpressions.Regex.Replace(line, @" \[[^\]]+\.csproj\]$", string.Empty))
        .Distinct()
        .ToArray();
}
