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
                .Add("fullDescription", new WireObject().Add("text", DiagnosticPages.Of(rule.Code)?.Description ?? rule.Title))
                .Add("help", Help(rule))
                .Add("helpUri", rule.HelpLink)
                .Add("defaultConfiguration", new WireObject().Add("level", rule.DefaultSeverity == DiagnosticSeverity.Error ? "error" : "warning")))));
        var root = SourceRoot();
        var results = report.Diagnostics.Select(diagnostic => new WireObject()
            .Add("ruleId", diagnostic.Code)
            .Add("ruleIndex", rules.IndexOf(diagnostic.Descriptor))
            .Add("level", diagnostic.IsError ? "error" : "warning")
            .Add("message", new WireObject().Add("text", diagnostic.Message))
            .Add("locations", new WireArray([Location(diagnostic.Location, root)]))
            .Add("partialFingerprints", new WireObject().Add("memoryContracts/v1", Fingerprint(diagnostic, root))));
        return new WireObject()
            .Add("$schema", "https://json.schemastore.org/sarif-2.1.0.json")
            .Add("version", "2.1.0")
            .Add("runs", new WireArray([new WireObject()
                .Add("tool", new WireObject().Add("driver", driver))
                .Add("originalUriBaseIds", new WireObject().Add("%SRCROOT%", new WireObject().Add("uri", new Uri(root + Path.DirectorySeparatorChar).AbsoluteUri)))
                .Add("columnKind", "utf16CodeUnits")
                .Add("results", new WireArray(results))]));
    }

    /// <summary>A rule's help: what the code means and how to fix it, from its page, as text and Markdown.</summary>
    private static WireObject Help(DiagnosticDescriptor rule)
    {
        var page = DiagnosticPages.Of(rule.Code);
        var fix = page?.Fix ?? "See the page for an example and the fix.";
        return new WireObject()
            .Add("text", $"{page?.Description ?? rule.Title} Fix: {fix} ({rule.HelpLink})")
            .Add("markdown", $"{page?.Description ?? rule.Title}\n\n**Fix.** {fix}\n\n[{rule.Code}: {rule.Title}]({rule.HelpLink})");
    }

    /// <summary>
    /// The folder artifact URIs are relative to (<c>%SRCROOT%</c>): the git repository the current folder is in, else the
    /// current folder; so a run from a subfolder names files the same way as a run from the root.
    /// </summary>
    private static string SourceRoot()
    {
        for (var folder = new DirectoryInfo(Environment.CurrentDirectory); folder is not null; folder = folder.Parent)
        {
            if (Directory.Exists(Path.Combine(folder.FullName, ".git")) || File.Exists(Path.Combine(folder.FullName, ".git")))
            {
                return folder.FullName;
            }
        }

        return Environment.CurrentDirectory;
    }

    /// <summary>A stable identity of a result across runs: code, file (relative to the root) and message, hashed.</summary>
    private static string Fingerprint(ContractDiagnostic diagnostic, string root) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{diagnostic.Code}\n{RelativeUri(diagnostic.Location.Path, root) ?? diagnostic.Location.Path}\n{diagnostic.Message}")))[..32].ToLowerInvariant();

    /// <summary>A path as a URI relative to the root, or null when it lies outside it.</summary>
    private static string? RelativeUri(string path, string root) =>
        RelativePaths.Inside(root, path) is { } relative ? string.Join("/", relative.Split('/').Select(Uri.EscapeDataString)) : null;

    private static WireObject Location(SourceLocation location, string root)
    {
        var relative = RelativeUri(location.Path, root);
        var artifact = new WireObject().Add("uri", relative ?? GlobPathToUri(Path.GetFullPath(location.Path))).Add("uriBaseId", relative is null ? null : "%SRCROOT%");
        var physical = new WireObject().Add("artifactLocation", artifact);
        // A problem with a whole file (it cannot be read, it matched nothing) is placed at its start: every result has a region.
        physical.Add("region", location.HasPosition
            ? new WireObject()
                .Add("startLine", location.Line)
                .Add("startColumn", location.Column)
                .Add("endLine", Position(location.EndLine))
                .Add("endColumn", Position(location.EndColumn))
            : new WireObject().Add("startLine", 1).Add("startColumn", 1));

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
