// Roots are deprecated from protocol revision 2026-07-28 (SEP-2577), but clients on earlier revisions still declare
// them, and a client that does must be able to narrow what this server touches. Only this file uses them.
#pragma warning disable MCP9005
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace MemoryContracts.Tool.Mcp;

/// <summary>
/// Narrows the folders the toolbelt may touch to the roots an MCP client declares: a command-line folder is kept
/// where it lies inside a client root, narrowed to a client root that lies inside it, and dropped otherwise. Client
/// roots never widen what the command line allows; roots that leave nothing of the memory root allow nothing.
/// </summary>
internal static class ClientRoots
{
    /// <summary>The notification a client sends when its roots change.</summary>
    public const string ListChanged = NotificationMethods.RootsListChangedNotification;

    /// <summary>The client's roots, or null when it does not declare the roots capability.</summary>
    public static async ValueTask<IReadOnlyList<Root>?> RequestAsync(McpServer server, CancellationToken cancellationToken) =>
        server.ClientCapabilities?.Roots is null ? null : (await server.RequestRootsAsync(new ListRootsRequestParams(), cancellationToken)).Roots.ToArray();

    /// <summary>
    /// The allowed folders (relative to <paramref name="memoryRoot"/>, forward slashes; empty string for the whole root)
    /// that remain within <paramref name="roots"/>. Roots that are not <c>file:</c> URIs are ignored.
    /// </summary>
    public static IReadOnlyList<string> Narrow(string memoryRoot, IReadOnlyList<string> allowed, IReadOnlyList<Root> roots)
    {
        var full = Path.GetFullPath(memoryRoot);
        var folders = allowed.Count == 0 ? [full] : allowed.Select(folder => Path.GetFullPath(Path.Combine(full, folder))).ToArray();
        var clientFolders = roots
            .Select(root => Uri.TryCreate(root.Uri, UriKind.Absolute, out var uri) && uri.IsFile ? Path.GetFullPath(uri.LocalPath) : null)
            .OfType<string>()
            .ToArray();
        var kept = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            foreach (var client in clientFolders)
            {
                var narrowed = Inside(folder, client) ? folder : Inside(client, folder) ? client : null;
                if (narrowed is not null)
                {
                    kept.Add(Path.GetRelativePath(full, narrowed).Replace('\\', '/') is "." ? string.Empty : Path.GetRelativePath(full, narrowed).Replace('\\', '/'));
                }
            }
        }

        return kept.ToArray();
    }

    private static bool Inside(string path, string folder) =>
        path == folder || path.StartsWith(folder.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
