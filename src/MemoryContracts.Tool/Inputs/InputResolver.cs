using MemoryContracts.Diagnostics;

namespace MemoryContracts.Tool.Inputs;

/// <summary>
/// Turns command-line inputs into fixture paths: a file stays as given, a folder means every <c>.yaml</c>,
/// <c>.yml</c> and <c>.json</c> file under it, and a glob is expanded (skipping <c>.git</c>, <c>bin</c>,
/// <c>obj</c> and <c>node_modules</c>). Paths keep the spelling the user typed, so diagnostics do too.
/// </summary>
internal static class InputResolver
{
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.OrdinalIgnoreCase) { ".git", "bin", "obj", "node_modules" };
    private static readonly string[] FixtureExtensions = [".yaml", ".yml", ".json"];

    /// <summary>Resolves inputs; a pattern or folder that finds nothing yields MC1012.</summary>
    public static (IReadOnlyList<string> Files, IReadOnlyList<ContractDiagnostic> Diagnostics) Resolve(IEnumerable<string> inputs, IEnumerable<string> excludes)
    {
        var exclusions = excludes.Select(pattern => new GlobPattern(pattern)).ToArray();
        var files = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var diagnostics = new List<ContractDiagnostic>();
        foreach (var input in inputs)
        {
            var matches = Expand(input).Where(path => !exclusions.Any(exclusion => exclusion.IsMatch(path))).ToArray();
            if (matches.Length == 0)
            {
                diagnostics.Add(DiagnosticCatalog.NoFilesMatched.Create(SourceLocation.File(input), input));
            }

            foreach (var match in matches.Where(match => seen.Add(Path.GetFullPath(match))))
            {
                files.Add(match);
            }
        }

        return (files, diagnostics);
    }

    private static IEnumerable<string> Expand(string input)
    {
        if (GlobPattern.HasWildcards(input))
        {
            var glob = new GlobPattern(input);
            var baseDirectory = glob.BaseDirectory;
            return Walk(baseDirectory.Length == 0 ? "." : baseDirectory)
                .Select(path => baseDirectory.Length == 0 ? path.Substring(2) : path)
                .Where(glob.IsMatch);
        }

        if (Directory.Exists(input))
        {
            return Walk(input).Where(path => FixtureExtensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase));
        }

        return [input];
    }

    private static IEnumerable<string> Walk(string directory)
    {
        if (!Directory.Exists(directory))
        {
            yield break;
        }

        foreach (var file in Directory.GetFiles(directory).OrderBy(path => path, StringComparer.Ordinal))
        {
            yield return GlobPattern.Normalize(file);
        }

        foreach (var child in Directory.GetDirectories(directory).OrderBy(path => path, StringComparer.Ordinal))
        {
            if (SkippedFolders.Contains(Path.GetFileName(child)))
            {
                continue;
            }

            foreach (var file in Walk(child))
            {
                yield return file;
            }
        }
    }
}
