using MemoryContracts.Diagnostics;
using MemoryContracts.Documents;
using MemoryContracts.IO;

namespace MemoryContracts.Validation;

/// <summary>
/// Reads a fixture and the files it names, asynchronously, before it is validated: a selection's graph and profile, a
/// manifest's selections and graphs, and what those selections name in turn. Each file is read once and each fixture
/// that can name others is loaded once; the validation that follows takes both from here, so it neither reads these
/// files synchronously nor loads them twice. A reference that is absolute, leaves the root or names no file is not
/// followed: validation reports it as it always does (and never reads a file outside the root).
/// </summary>
internal sealed class FixturePrefetch
{
    private readonly ValidationOptions _options;
    private readonly Dictionary<string, byte[]> _content = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string DisplayPath, DocumentLoadResult Loaded)> _loaded = new(StringComparer.Ordinal);

    public FixturePrefetch(ValidationOptions options)
    {
        _options = options;
    }

    /// <summary>The bytes read for a file, if it was read.</summary>
    public bool TryGetContent(string fullPath, out byte[] content) => _content.TryGetValue(fullPath, out content!);

    /// <summary>The document loaded for a file under the same display path (diagnostics carry it), if it was loaded.</summary>
    public DocumentLoadResult? Loaded(string fullPath, string displayPath) =>
        _loaded.TryGetValue(fullPath, out var loaded) && loaded.DisplayPath == displayPath ? loaded.Loaded : null;

    /// <summary>Reads the fixture at <paramref name="displayPath"/> and, transitively, the files it names.</summary>
    public async ValueTask ReadAsync(string displayPath, CancellationToken cancellationToken)
    {
        var pending = new Queue<(string DisplayPath, string FullPath, bool MayName)>();
        pending.Enqueue((displayPath, Path.GetFullPath(displayPath), true));
        while (pending.Count > 0)
        {
            var (display, full, mayName) = pending.Dequeue();
            if (_content.ContainsKey(full) || !File.Exists(full))
            {
                continue;
            }

            byte[] content;
            try
            {
                content = await FileBytes.ReadAllAsync(full, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (FileReadProblem.IsReadFailure(exception))
            {
                continue; // validation reads it again and reports why it cannot
            }

            _content[full] = content;
            if (!mayName)
            {
                continue;
            }

            var loaded = DocumentLoader.Load(display, content, limits: _options.Limits);
            _loaded[full] = (display, loaded);
            foreach (var (reference, names) in References(loaded.Document?.Root))
            {
                if (FixturePaths.IsAbsolute(reference))
                {
                    continue;
                }

                var target = FixturePaths.FullPath(full, reference);
                if (_options.Root is { } root && RootedPath.Escape(root, target) is not null)
                {
                    continue;
                }

                pending.Enqueue((FixturePaths.Resolve(display, reference), target, names));
            }
        }
    }

    /// <summary>The files a selection or manifest names, each with whether it may name files in turn (a selection does).</summary>
    private IEnumerable<(string Reference, bool MayName)> References(DocumentNode? root)
    {
        if (root is not { IsMapping: true } document || !document.TryGetProperty(SelectionFields.SchemaVersion, out var version) || !version.IsString)
        {
            yield break;
        }

        switch (_options.Catalog.FindBySchemaVersion(version.GetString())?.Family)
        {
            case SelectionSemantics.FamilyName:
                foreach (var name in new[] { SelectionFields.Graph, SelectionFields.Profile })
                {
                    if (document.TryGetProperty(name, out var reference) && reference.IsString)
                    {
                        yield return (reference.GetString(), false);
                    }
                }

                break;

            case ManifestSemantics.FamilyName:
                foreach (var source in DocumentItems.Of(document, ManifestFields.Sources))
                {
                    if (source.TryGetProperty(ManifestSourceFields.Selection, out var selection) && selection.IsString)
                    {
                        yield return (selection.GetString(), true);
                    }

                    if (source.TryGetProperty(ManifestSourceFields.Graph, out var graph) && graph.IsString)
                    {
                        yield return (graph.GetString(), false);
                    }
                }

                break;
        }
    }
}
