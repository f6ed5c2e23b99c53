using System.Text.Json;
using MemoryContracts.IO;
using MemoryContracts.Model;
using MemoryContracts.Runtime.Json;
using MemoryContracts.Validation;

namespace MemoryContracts.Runtime.Storage.Files;

/// <summary>Profiles, graph headers and snapshots as deterministic, indented JSON files, each replaced atomically.</summary>
public sealed class FileGraphStore : IMemoryGraphStore
{
    private readonly WorkspaceLayout _layout;

    /// <summary>Creates the store over a workspace layout.</summary>
    public FileGraphStore(WorkspaceLayout layout)
    {
        _layout = layout;
    }

    /// <inheritdoc />
    public void SaveProfile(MemoryProfile profile) => AtomicFile.WriteAllBytes(_layout.ProfileFile(profile.Id), EnvelopeJson.WriteProfile(profile));

    /// <inheritdoc />
    public async ValueTask SaveProfileAsync(MemoryProfile profile, CancellationToken cancellationToken = default) =>
        await AtomicFile.WriteAllBytesAsync(_layout.ProfileFile(profile.Id), EnvelopeJson.WriteProfile(profile), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public MemoryProfile? LoadProfile(string id)
    {
        var path = _layout.ProfileFile(id);
        return File.Exists(path) ? ReadProfile(path, File.ReadAllBytes(path)) : null;
    }

    /// <inheritdoc />
    public async ValueTask<MemoryProfile?> LoadProfileAsync(string id, CancellationToken cancellationToken = default)
    {
        var path = _layout.ProfileFile(id);
        return File.Exists(path) ? ReadProfile(path, await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false)) : null;
    }

    /// <summary>A stored profile is a markitect.memory.profile.v1 envelope: the contract core reads and checks it.</summary>
    private static MemoryProfile ReadProfile(string path, byte[] content)
    {
        var result = new ContractValidator().Validate(path, content);
        return result.Profile ?? throw new MemoryStoreException(result.Diagnostics.Where(diagnostic => diagnostic.IsError).ToArray());
    }

    /// <inheritdoc />
    public IReadOnlyList<string> ListProfiles() =>
        Directory.Exists(_layout.ProfilesFolder)
            ? Directory.GetFiles(_layout.ProfilesFolder, "*.json").Select(IdOf).Where(id => id.Length > 0).Order(StringComparer.Ordinal).ToArray()
            : [];

    /// <inheritdoc />
    public void CreateGraph(GraphHeader header)
    {
        if (!File.Exists(_layout.HeaderFile(header.Id)))
        {
            Directory.CreateDirectory(_layout.GraphFolder(header.Id));
            AtomicFile.WriteAllBytes(_layout.HeaderFile(header.Id), StoredFileJson.WriteHeader(header));
        }
    }

    /// <inheritdoc />
    public async ValueTask CreateGraphAsync(GraphHeader header, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(_layout.HeaderFile(header.Id)))
        {
            Directory.CreateDirectory(_layout.GraphFolder(header.Id));
            await AtomicFile.WriteAllBytesAsync(_layout.HeaderFile(header.Id), StoredFileJson.WriteHeader(header), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public GraphHeader? LoadGraph(string id)
    {
        var path = _layout.HeaderFile(id);
        return File.Exists(path) ? Read(path, StoredFileJson.ReadHeader) : null;
    }

    /// <inheritdoc />
    public IReadOnlyList<string> ListGraphs() =>
        Directory.Exists(_layout.GraphsFolder)
            ? Directory.GetDirectories(_layout.GraphsFolder)
                .Select(folder => Path.Combine(folder, "graph.json"))
                .Where(File.Exists)
                .Select(path => Read(path, StoredFileJson.ReadHeader).Id)
                .Order(StringComparer.Ordinal)
                .ToArray()
            : [];

    /// <inheritdoc />
    public void SaveSnapshot(GraphSnapshot snapshot) => AtomicFile.WriteAllBytes(_layout.SnapshotFile(snapshot.GraphId), StoredFileJson.WriteSnapshot(snapshot));

    /// <inheritdoc />
    public GraphSnapshot? LoadSnapshot(string graphId)
    {
        var path = _layout.SnapshotFile(graphId);
        return File.Exists(path) ? Read(path, StoredFileJson.ReadSnapshot) : null;
    }

    /// <inheritdoc />
    public async ValueTask<GraphHeader?> LoadGraphAsync(string id, CancellationToken cancellationToken = default)
    {
        var path = _layout.HeaderFile(id);
        return File.Exists(path) ? await ReadAsync(path, StoredFileJson.ReadHeader, cancellationToken).ConfigureAwait(false) : null;
    }

    /// <inheritdoc />
    /// <remarks>Lists folders and reads each header synchronously: a directory listing has no asynchronous form.</remarks>
    public ValueTask<IReadOnlyList<string>> ListGraphsAsync(CancellationToken cancellationToken = default) =>
        SynchronousWork.Result(() => ListGraphs(), cancellationToken);

    /// <inheritdoc />
    public async ValueTask SaveSnapshotAsync(GraphSnapshot snapshot, CancellationToken cancellationToken = default) =>
        await AtomicFile.WriteAllBytesAsync(_layout.SnapshotFile(snapshot.GraphId), StoredFileJson.WriteSnapshot(snapshot), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<GraphSnapshot?> LoadSnapshotAsync(string graphId, CancellationToken cancellationToken = default)
    {
        var path = _layout.SnapshotFile(graphId);
        return File.Exists(path) ? await ReadAsync(path, StoredFileJson.ReadSnapshot, cancellationToken).ConfigureAwait(false) : null;
    }

    /// <inheritdoc />
    public void SavePlan(string graphId, string planId, byte[] content)
    {
        var path = _layout.PlanFile(graphId, planId);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(_layout.PlansFolder(graphId));
            AtomicFile.WriteAllBytes(path, content);
        }
    }

    /// <inheritdoc />
    public async ValueTask SavePlanAsync(string graphId, string planId, byte[] content, CancellationToken cancellationToken = default)
    {
        var path = _layout.PlanFile(graphId, planId);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(_layout.PlansFolder(graphId));
            await AtomicFile.WriteAllBytesAsync(path, content, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public byte[]? LoadPlan(string graphId, string planId)
    {
        var path = _layout.PlanFile(graphId, planId);
        return File.Exists(path) ? File.ReadAllBytes(path) : null;
    }

    /// <inheritdoc />
    public async ValueTask<byte[]?> LoadPlanAsync(string graphId, string planId, CancellationToken cancellationToken = default)
    {
        var path = _layout.PlanFile(graphId, planId);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false) : null;
    }

    /// <inheritdoc />
    public void SaveJournal(string graphId, byte[]? content)
    {
        var path = _layout.JournalFile(graphId);
        if (content is not null)
        {
            AtomicFile.WriteAllBytes(path, content);
        }
        else if (File.Exists(path))
        {
            File.Delete(path);
            AtomicFile.FlushDirectory(Path.GetDirectoryName(path)!);
        }
    }

    /// <inheritdoc />
    public async ValueTask SaveJournalAsync(string graphId, byte[]? content, CancellationToken cancellationToken = default)
    {
        var path = _layout.JournalFile(graphId);
        if (content is not null)
        {
            await AtomicFile.WriteAllBytesAsync(path, content, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            SaveJournal(graphId, null);
        }
    }

    /// <inheritdoc />
    public byte[]? LoadJournal(string graphId)
    {
        var path = _layout.JournalFile(graphId);
        return File.Exists(path) ? File.ReadAllBytes(path) : null;
    }

    private static string IdOf(string profilePath)
    {
        // The file name is an encoding of the id; the id itself is read from the file.
        using var document = JsonDocument.Parse(File.ReadAllBytes(profilePath));
        return document.RootElement.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()! : string.Empty;
    }

    private static T Read<T>(string path, StoredContent.Reader<T> read) => StoredContent.Read(File.ReadAllBytes(path), path, 1, read);

    private static async ValueTask<T> ReadAsync<T>(string path, StoredContent.Reader<T> read, CancellationToken cancellationToken) =>
        StoredContent.Read(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false), path, 1, read);
}
