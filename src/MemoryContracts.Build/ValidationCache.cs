using System.Security.Cryptography;
using System.Text;
using MemoryContracts.Diagnostics;
using MemoryContracts.Documents;
using MemoryContracts.Output;

namespace MemoryContracts.Build;

/// <summary>What the last build learned about one file: its content, what it depends on, what was wrong with it.</summary>
/// <param name="FullPath">The file.</param>
/// <param name="Hash">SHA-256 of its content when it was validated.</param>
/// <param name="Dependencies">The files its validation read, with their hashes then.</param>
/// <param name="Diagnostics">Its diagnostics, before NoWarn and warnings-as-errors.</param>
/// <param name="Package">The id of the context package its selection compiles to, when it is a valid selection.</param>
internal sealed record CachedFile(string FullPath, string Hash, IReadOnlyList<KeyValuePair<string, string>> Dependencies, IReadOnlyList<ContractDiagnostic> Diagnostics, string? Package);

/// <summary>
/// Remembers validation results between builds in obj/, so that touching one fixture revalidates only that fixture
/// and the fixtures that depend on it. The cache belongs to one build of the task and one set of extra schemas; any
/// other key, or a file that cannot be read, means validating everything.
/// </summary>
internal sealed class ValidationCache
{
    private const string Missing = "missing";
    private readonly Dictionary<string, CachedFile> _files;
    private readonly Dictionary<string, string> _hashes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _valid = new(StringComparer.Ordinal);

    private ValidationCache(Dictionary<string, CachedFile> files) => _files = files;

    /// <summary>Reads the cache, or starts an empty one when there is none, it belongs to another key or it cannot be read.</summary>
    public static ValidationCache Load(string? path, string key)
    {
        var files = new Dictionary<string, CachedFile>(StringComparer.Ordinal);
        if (path is not null && File.Exists(path))
        {
            var document = DocumentLoader.Load(path, File.ReadAllBytes(path), DocumentFormat.Json).Document;
            if (document is not null && document.Root.GetOptionalString("key") == key && document.Root.TryGetProperty("files", out var list))
            {
                foreach (var file in list.EnumerateItems().Select(Read).OfType<CachedFile>())
                {
                    files[file.FullPath] = file;
                }
            }
        }

        return new ValidationCache(files);
    }

    /// <summary>The content hash of a file, computed once per build; <c>missing</c> when it does not exist.</summary>
    public string Hash(string fullPath)
    {
        if (!_hashes.TryGetValue(fullPath, out var hash))
        {
            hash = File.Exists(fullPath) ? HashOf(File.ReadAllBytes(fullPath)) : Missing;
            _hashes.Add(fullPath, hash);
        }

        return hash;
    }

    /// <summary>The remembered result of a file, if neither it nor anything it depends on (transitively) changed.</summary>
    public CachedFile? Valid(string fullPath) => IsValid(fullPath, new HashSet<string>(StringComparer.Ordinal)) ? _files[fullPath] : null;

    /// <summary>Writes the cache atomically.</summary>
    public static void Save(string path, string key, IEnumerable<CachedFile> files)
    {
        var wire = new WireObject()
            .Add("key", key)
            .Add("files", new WireArray(files.OrderBy(file => file.FullPath, StringComparer.Ordinal).Select(file => (WireValue)new WireObject()
                .Add("path", file.FullPath)
                .Add("hash", file.Hash)
                .Add("package", file.Package)
                .Add("dependencies", new WireArray(file.Dependencies.Select(dependency => (WireValue)new WireObject().Add("path", dependency.Key).Add("hash", dependency.Value))))
                .Add("diagnostics", new WireArray(file.Diagnostics.Select(diagnostic => (WireValue)new WireObject()
                    .Add("code", diagnostic.Code)
                    .Add("severity", diagnostic.IsError ? "error" : "warning")
                    .Add("message", diagnostic.Message)
                    .Add("path", diagnostic.Location.Path)
                    .Add("line", diagnostic.Location.Line)
                    .Add("column", diagnostic.Location.Column)
                    .Add("endLine", diagnostic.Location.EndLine)
                    .Add("endColumn", diagnostic.Location.EndColumn)))))));
        IO.AtomicFile.WriteAllText(path, WireJsonWriter.Write(wire));
    }

    /// <summary>SHA-256 of some bytes, as lowercase hex.</summary>
    public static string HashOf(byte[] content)
    {
        using var sha = SHA256.Create();
        return string.Concat(sha.ComputeHash(content).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>A key for one task build, one set of extra schema contents and one set of build settings.</summary>
    public static string KeyOf(IEnumerable<string> schemaFiles, string settings)
    {
        var key = new StringBuilder(typeof(ValidationCache).Assembly.ManifestModule.ModuleVersionId.ToString("N"))
            .Append(typeof(Validation.ContractValidator).Assembly.ManifestModule.ModuleVersionId.ToString("N"))
            .Append(';').Append(settings);
        foreach (var file in schemaFiles.OrderBy(file => file, StringComparer.Ordinal))
        {
            key.Append(';').Append(Path.GetFileName(file)).Append('=').Append(HashOf(File.ReadAllBytes(file)));
        }

        return HashOf(Encoding.UTF8.GetBytes(key.ToString()));
    }

    private bool IsValid(string fullPath, HashSet<string> visiting)
    {
        if (_valid.TryGetValue(fullPath, out var known))
        {
            return known;
        }

        var valid = _files.TryGetValue(fullPath, out var file) && visiting.Add(fullPath) && Hash(fullPath) == file.Hash &&
            file.Dependencies.All(dependency => Hash(dependency.Key) == dependency.Value && (!_files.ContainsKey(dependency.Key) || IsValid(dependency.Key, visiting)));
        _valid[fullPath] = valid;
        return valid;
    }

    private static CachedFile? Read(DocumentNode node)
    {
        var path = node.GetOptionalString("path");
        var hash = node.GetOptionalString("hash");
        if (path is null || hash is null)
        {
            return null;
        }

        node.TryGetProperty("dependencies", out var dependencies);
        node.TryGetProperty("diagnostics", out var diagnostics);
        var read = new List<ContractDiagnostic>();
        foreach (var diagnostic in diagnostics.EnumerateItems())
        {
            if (DiagnosticCatalog.Find(diagnostic.GetOptionalString("code") ?? string.Empty) is not { } descriptor)
            {
                return null;
            }

            var location = new SourceLocation(diagnostic.GetOptionalString("path") ?? string.Empty, Number(diagnostic, "line"), Number(diagnostic, "column"), Number(diagnostic, "endLine"), Number(diagnostic, "endColumn"));
            var severity = diagnostic.GetOptionalString("severity") == "error" ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning;
            read.Add(new ContractDiagnostic(descriptor, severity, diagnostic.GetOptionalString("message") ?? string.Empty, location));
        }

        var dependencyList = dependencies.EnumerateItems()
            .Select(dependency => new KeyValuePair<string, string>(dependency.GetOptionalString("path") ?? string.Empty, dependency.GetOptionalString("hash") ?? string.Empty))
            .ToArray();
        return new CachedFile(path, hash, dependencyList, read, node.GetOptionalString("package"));
    }

    private static int Number(DocumentNode node, string name) =>
        node.TryGetProperty(name, out var value) && value.TryGetInt64(out var number) ? (int)number : 0;
}
