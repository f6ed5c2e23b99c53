namespace MemoryContracts.Validation;

/// <summary>
/// Validates a set of fixture files on several threads. Each thread has its own <see cref="ContractValidator"/>,
/// so no thread ever waits for another (a graph shared by selections on two threads is read twice); results are
/// merged by file, in the order the files were given, then the files they referenced, by path.
/// </summary>
public static class CatalogValidation
{
    /// <summary>Validates the files and returns one result per file reached, named or referenced.</summary>
    /// <param name="paths">The files, as the user names them.</param>
    /// <param name="options">How to validate.</param>
    /// <param name="parallelism">How many threads at most; 1 validates on the calling thread.</param>
    public static IReadOnlyList<FixtureResult> Validate(IReadOnlyList<string> paths, ValidationOptions options, int parallelism)
    {
        var workers = Math.Max(1, Math.Min(parallelism, paths.Count));
        var partitions = Enumerable.Range(0, workers).Select(worker => paths.Where((_, index) => index % workers == worker).ToArray()).ToArray();
        var results = new IReadOnlyList<FixtureResult>[workers];
        if (workers == 1)
        {
            results[0] = ValidatePartition(partitions[0], options);
        }
        else
        {
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, worker => results[worker] = ValidatePartition(partitions[worker], options));
        }

        var byPath = new Dictionary<string, FixtureResult>(StringComparer.Ordinal);
        foreach (var result in results.SelectMany(partition => partition))
        {
            if (!byPath.ContainsKey(result.FullPath))
            {
                byPath.Add(result.FullPath, result);
            }
        }

        var named = paths.Select(path => byPath[Path.GetFullPath(path)]).Distinct().ToList();
        var referenced = byPath.Values.Except(named).OrderBy(result => result.FullPath, StringComparer.Ordinal);
        return named.Concat(referenced).ToArray();
    }

    private static IReadOnlyList<FixtureResult> ValidatePartition(IEnumerable<string> paths, ValidationOptions options)
    {
        var validator = new ContractValidator(options);
        foreach (var path in paths)
        {
            validator.Validate(path);
        }

        return validator.Results;
    }
}
