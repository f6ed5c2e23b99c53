using System.Reflection;
using MemoryContracts.Diagnostics;
using MemoryContracts.Output;

namespace MemoryContracts.Tool.Reporting;

/// <summary>Writes a report as canonical text lines, as JSON for scripts, or as SARIF 2.1.0 for code scanning.</summary>
internal static class ReportWriter
{
    public static string ToolVersion { get; } = typeof(ReportWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static void Write(ValidationReport report, ReportFormat format, TextWriter output, TextWriter error)
    {
        switch (format)
        {
            case ReportFormat.Json:
                output.Write(WireJsonWriter.Write(ToJson(report)));
                break;
            case ReportFormat.Sarif:
                output.Write(WireJsonWriter.Write(ToSarif(report)));
                break;
            default:
                foreach (var diagnostic in report.Diagnostics)
                {
                    output.WriteLine(diagnostic.ToString());
                }

                break;
        }

        error.WriteLine($"{report.Files.Count} file(s): {report.ErrorCount} error(s), {report.WarningCount} warning(s).");
    }

    private static WireObject ToJson(ValidationReport report) => new WireObject()
        .Add("tool", "dotnet-memory")
        .Add("version", ToolVersion)
        .Add("files", new WireArray(report.Files.Select(file => new WireObject()
            .Add("path", file.Path)
            .Add("contract", file.Contract)
            .Add("errors", file.Errors)
            .Add("warnings", file.Warnings))))
        .Add("diagnostics", new WireArray(report.Diagnostics.Select(diagnostic => new WireObject()
            .Add("code", diagnostic.Code)
            .Add("severity", diagnostic.IsError ? "error" : "warning")
            .Add("message", diagnostic.Message)
            .Add("file", diagnostic.Location.Path)
            .Add("line", Position(diagnostic.Location.Line))
            .Add("column", Position(diagnostic.Location.Column))
            .Add("endLine", Position(diagnostic.Location.EndLine))
            .Add("endColumn", Position(diagnostic.Location.EndColumn))
            .Add("helpUri", diagnostic.Descriptor.HelpLink))))
        .Add("summary", new WireObject()
            .Add("files", report.Files.Count)
            .Add("errors", report.ErrorCount)
            .Add("warnings", report.WarningCount)
            .Add("exitCode", report.ExitCode));

    private static WireObject ToSarif(ValidationReport report)
    {
        var rules = report.Diagnostics.Select(diagnostic => diagnostic.Descriptor).Distinct().OrderBy(descriptor => descriptor.Code, StringComparer.Ordinal).ToList();
        var driver = new WireObject()
            .Add("name", "dotnet-memory")
            .Add("semanticVersion", ToolVersion)
            .Add("informationUri", DiagnosticCatalog.HelpLinkBase)
            .Add("rules", new WireArray(rules.Select(rule => new WireObject()
                .Add("id", rule.Code)
                .Add("name", rule.Name)
                .Add("shortDescription", new WireObject().Add("text", rule.Title))
                .Add("helpUri", rule.HelpLink)
                .Add("defaultConfiguration", new WireObject().Add("level", rule.DefaultSeverity == DiagnosticSeverity.Error ? "error" : "warning")))));
        var results = report.Diagnostics.Select(diagnostic => new WireObject()
            .Add("ruleId", diagnostic.Code)
            .Add("ruleIndex", rules.IndexOf(diagnostic.Descriptor))
            .Add("level", diagnostic.IsError ? "error" : "warning")
            .Add("message", new WireObject().Add("text", diagnostic.Message))
            .Add("locations", new WireArray([Location(diagnostic.Location)])));
        return new WireObject()
            .Add("$schema", "https://json.schemastore.org/sarif-2.1.0.json")
            .Add("version", "2.1.0")
            .Add("runs", new WireArray([new WireObject()
                .Add("tool", new WireObject().Add("driver", driver))
                .Add("columnKind", "utf16CodeUnits")
                .Add("results", new WireArray(results))]));
    }

    private static WireObject Location(SourceLocation location)
    {
        var uri = GlobPathToUri(location.Path);
        var artifact = new WireObject().Add("uri", uri).Add("uriBaseId", Path.IsPathRooted(location.Path) ? null : "%SRCROOT%");
        var physical = new WireObject().Add("artifactLocation", artifact);
        if (location.HasPosition)
        {
            physical.Add("region", new WireObject()
                .Add("startLine", location.Line)
                .Add("startColumn", location.Column)
                .Add("endLine", Position(location.EndLine))
                .Add("endColumn", Position(location.EndColumn)));
        }

        return new WireObject().Add("physicalLocation", physical);
    }

    private static string GlobPathToUri(string path)
    {
        var normalized = path.Replace('\\', '/');
        if (normalized.StartsWith("./", StringComparison.Ordinal))
        {
            normalized = normalized.Substring(2);
        }

        return Path.IsPathRooted(path) ? new Uri(path).AbsoluteUri : string.Join("/", normalized.Split('/').Select(Uri.EscapeDataString));
    }

    private static long? Position(int value) => value > 0 ? value : null;
}

/// <summary>How a validating command prints what it found.</summary>
internal enum ReportFormat
{
    /// <summary>One canonical line per diagnostic.</summary>
    Text,

    /// <summary>A JSON document for scripts and agents.</summary>
    Json,

    /// <summary>SARIF 2.1.0, for GitHub code scanning and other annotators.</summary>
    Sarif,
}
