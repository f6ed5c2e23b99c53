using System.Text.Json;
using MemoryContracts.Diagnostics;
using MemoryContracts.IO;

namespace MemoryContracts.Runtime.Storage.Files;

/// <summary>
/// Where everything lives in a workspace folder (layout 1, docs/runtime.md): <c>workspace.json</c>,
/// <c>workspace.lock</c>, <c>audit.jsonl</c>, <c>profiles/&lt;id&gt;.json</c> and
/// <c>graphs/&lt;id&gt;/{graph.json,snapshot.json,events.jsonl,plans/}</c>, ids turned into names by <see cref="IdFileName"/>.
/// </summary>
public sealed class WorkspaceLayout
{
    /// <summary>The layout this version writes and reads.</summary>
    public const int Version = 1;

    private const string Format = "markitect.memory.workspace";

    /// <summary>Describes the layout under a folder.</summary>
    public WorkspaceLayout(string root)
    {
        Root = Path.GetFullPath(root);
    }

    /// <summary>The workspace folder.</summary>
    public string Root { get; }

    /// <summary>The file that marks the folder as a workspace and names its layout version.</summary>
    public string ManifestFile => Path.Combine(Root, "workspace.json");

    /// <summary>The lock file.</summary>
    public string LockFile => Path.Combine(Root, "workspace.lock");

    /// <summary>The audit log.</summary>
    public string AuditFile => Path.Combine(Root, "audit.jsonl");

    /// <summary>The folder of profiles.</summary>
    public string ProfilesFolder => Path.Combine(Root, "profiles");

    /// <summary>The folder of graphs.</summary>
    public string GraphsFolder => Path.Combine(Root, "graphs");

    /// <summary>The stored profile with this id.</summary>
    public string ProfileFile(string id) => Path.Combine(ProfilesFolder, IdFileName.For(id) + ".json");

    /// <summary>The folder of the graph with this id.</summary>
    public string GraphFolder(string id) => Path.Combine(GraphsFolder, IdFileName.For(id));

    /// <summary>The graph's header (id, title, description).</summary>
    public string HeaderFile(string id) => Path.Combine(GraphFolder(id), "graph.json");

    /// <summary>The graph's last snapshot.</summary>
    public string SnapshotFile(string id) => Path.Combine(GraphFolder(id), "snapshot.json");

    /// <summary>The lifecycle plans the workspace issued for the graph.</summary>
    public string PlansFolder(string id) => Path.Combine(GraphFolder(id), "plans");

    /// <summary>The recorded plan with this id.</summary>
    public string PlanFile(string graphId, string planId) => Path.Combine(PlansFolder(graphId), IdFileName.For(planId) + ".json");

    /// <summary>
    /// Deletes what atomic writes a crash cut off left behind (<c>.name.*.tmp</c> files, which may quote content
    /// forgotten since). Only the holder of the workspace lock may call this: no other write can be in progress.
    /// </summary>
    public void RemoveTemporaryFiles()
    {
        foreach (var leftover in Directory.EnumerateFiles(Root, ".*.tmp", SearchOption.AllDirectories).ToArray())
        {
            File.Delete(leftover);
        }
    }

    /// <summary>The journal of a lifecycle apply in progress (or cut off by a crash).</summary>
    public string JournalFile(string id) => Path.Combine(GraphFolder(id), "apply-journal.json");

    /// <summary>The graph's event log.</summary>
    public string EventsFile(string id) => Path.Combine(GraphFolder(id), "events.jsonl");

    /// <summary>Makes the folder a workspace (idempotent); refuses a folder that is a workspace of another layout.</summary>
    public void Create()
    {
        Directory.CreateDirectory(Root);
        if (File.Exists(ManifestFile))
        {
            Check();
            return;
        }

        Directory.CreateDirectory(ProfilesFolder);
        Directory.CreateDirectory(GraphsFolder);
        AtomicFile.WriteAllText(ManifestFile, $"{{\n  \"format\": \"{Format}\",\n  \"layout\": {Version}\n}}\n");
    }

    /// <summary>Checks that the folder is a workspace of this layout; MC5001 otherwise.</summary>
    public void Check()
    {
        if (!File.Exists(ManifestFile))
        {
            throw MemoryStoreException.Create(DiagnosticCatalog.WorkspaceLayout, Root, $"'{Root}' is not a memory workspace (no workspace.json); create one with 'dotnet memory store init'");
        }

        int? layout = null;
        string? format = null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(ManifestFile));
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                format = document.RootElement.TryGetProperty("format", out var formatValue) && formatValue.ValueKind == JsonValueKind.String ? formatValue.GetString() : null;
                layout = document.RootElement.TryGetProperty("layout", out var layoutValue) && layoutValue.TryGetInt32(out var number) ? number : null;
            }
        }
        catch (JsonException exception)
        {
            throw MemoryStoreException.Create(DiagnosticCatalog.WorkspaceLayout, ManifestFile, $"workspace.json is not valid JSON: {exception.Message}");
        }

        if (format != Format || layout != Version)
        {
            throw MemoryStoreException.Create(DiagnosticCatalog.WorkspaceLayout, ManifestFile, $"workspace.json names format '{format}' layout {layout?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"}; this version of MemoryContracts reads '{Format}' layout {Version}");
        }
    }
}
