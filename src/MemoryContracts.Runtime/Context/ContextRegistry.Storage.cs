using System.Text;
using MemoryContracts.Diagnostics;
using MemoryContracts.IO;
using MemoryContracts.Model;
using MemoryContracts.Runtime.Json;
using MemoryContracts.Runtime.Storage.Files;
using MemoryContracts.Runtime.Kernel;

namespace MemoryContracts.Runtime.Context;

/// <summary>Where the registry keeps a package (its folder, recipe and lifecycle log) and how a lifecycle entry is signed and made durable.</summary>
public sealed partial class ContextRegistry
{
    private async ValueTask<ContextRecipe> ReadRecipeAsync(bool useAsync, MemoryNamespace @namespace, string id, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Folder(@namespace, id), "recipe.json");
        return File.Exists(path)
            ? SnakeCaseJson.Read(await RegistryFiles.ReadAsync(useAsync, path, cancellationToken).ConfigureAwait(false), SnakeCaseJson.Compact.ContextRecipe)
            : throw MemoryStoreException.Create(DiagnosticCatalog.UnknownStoreItem, Root, "package", id, $" (namespace {@namespace.Kind}/{@namespace.Id})");
    }

    private async ValueTask<RegistryEntry> EntryAsync(bool useAsync, MemoryNamespace @namespace, string id, CancellationToken cancellationToken)
    {
        var package = await LoadAsync(useAsync, @namespace, id, cancellationToken).ConfigureAwait(false);
        var history = await HistoryAsync(useAsync, @namespace, id, cancellationToken).ConfigureAwait(false);
        var last = history.LastOrDefault();
        return new RegistryEntry(@namespace, id, package.Items.Count, package.TokenEstimate, StateOf(history), last is null ? "-" : $"{last.Action} {last.At}");
    }

    private static string StateOf(IReadOnlyList<LifecycleEntry> history) =>
        history.LastOrDefault(entry => entry.Action is "activated" or "deactivated")?.Action == "activated" ? "active" : "inactive";

    /// <summary>
    /// Appends a lifecycle entry, with an operation id of its own, durably, through the same line file as the event
    /// log (a torn last line is set aside first). It is the commit point: it takes no cancellation.
    /// </summary>
    private async ValueTask RecordAsync(bool useAsync, MemoryNamespace @namespace, string id, LifecycleEntry entry)
    {
        using var log = LineFile.Open(Path.Combine(Folder(@namespace, id), "lifecycle.jsonl"), out _);
        var recorded = entry with
        {
            Operation = entry.Operation ?? WorkspaceKernel.NewOperationId(),
            Mac = _options.IntegrityKey is { } key && entry.Action is "packed" or "refreshed" ? Mac(key, @namespace, id, entry.Digest) : null,
        };
        var ticket = log.Enqueue(Encoding.UTF8.GetBytes(SnakeCaseJson.Write(recorded, SnakeCaseJson.Compact.LifecycleEntry)), 1);
        if (useAsync)
        {
            await log.WaitDurableAsync(ticket).ConfigureAwait(false);
        }
        else
        {
            log.WaitDurable(ticket);
        }
    }

    /// <summary>The registry MAC of a package digest: HMAC-SHA256 over the namespace, the package id and the digest.</summary>
    private static string Mac(byte[] key, MemoryNamespace @namespace, string id, string digest) =>
        "hmac-sha256:" + Convert.ToHexString(System.Security.Cryptography.HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"markitect.context.package\n{@namespace.Kind}\n{@namespace.Id}\n{id}\n{digest}"))).ToLowerInvariant();

    private static bool MacMatches(byte[] key, MemoryNamespace @namespace, string id, string digest, string mac) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(Mac(key, @namespace, id, digest)), Encoding.UTF8.GetBytes(mac));

    private string Folder(MemoryNamespace @namespace, string id) =>
        Path.Combine(Root, IdFileName.For(@namespace.Kind), IdFileName.For(@namespace.Id), IdFileName.For(id));

    private string Now() => WorkspaceKernel.Format(_options.Clock.GetUtcNow());
}
