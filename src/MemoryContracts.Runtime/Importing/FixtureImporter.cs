using MemoryContracts.Diagnostics;
using MemoryContracts.Model;
using MemoryContracts.Runtime.Kernel;
using MemoryContracts.Runtime.Storage;
using MemoryContracts.Runtime.Telemetry;
using MemoryContracts.Validation;

namespace MemoryContracts.Runtime.Importing;

/// <summary>
/// Importing validated fixtures: a profile is stored, a graph becomes one record of its nodes and edges and one per
/// event, its header written only once they are durable; a refused fixture leaves one denied audit record and nothing else.
/// </summary>
internal sealed class FixtureImporter(WorkspaceKernel kernel)
{
    public async ValueTask<string> ImportAsync(bool useAsync, string fixturePath, string actor, CancellationToken cancellationToken)
    {
        var result = await ValidateFixtureAsync(useAsync, fixturePath, cancellationToken).ConfigureAwait(false);
        var errors = result.Diagnostics.Where(diagnostic => diagnostic.IsError).ToList();
        string? refusal = errors.Count > 0
            ? $"it has {errors.Count} contract error(s)"
            : result.Graph is null && result.Profile is null ? $"it is a {result.Contract?.SchemaVersion ?? "non-contract"} file; only graphs and profiles are imported" : null;
        if (refusal is not null)
        {
            errors.Add(DiagnosticCatalog.ImportRefused.Create(SourceLocation.File(result.Path), result.Path, refusal));
            await kernel.WriteAuditAsync(useAsync, "import", actor, AuditDecision.Denied, null, [result.Path], refusal, cancellationToken: CancellationToken.None).ConfigureAwait(false);
            throw new MemoryStoreException(errors);
        }

        if (result.Profile is { } profile)
        {
            if (ReviewerKeyProblem(profile) is { } problem)
            {
                await kernel.WriteAuditAsync(useAsync, "import", actor, AuditDecision.Denied, null, [result.Path], problem, cancellationToken: CancellationToken.None).ConfigureAwait(false);
                throw new MemoryStoreException(DiagnosticCatalog.ImportRefused.Create(SourceLocation.File(result.Path), result.Path, problem));
            }

            await ImportProfileAsync(useAsync, profile, actor, cancellationToken).ConfigureAwait(false);
            return profile.Id;
        }

        await ImportGraphAsync(useAsync, result.Graph!, actor, cancellationToken).ConfigureAwait(false);
        return result.Graph!.Id;
    }

    /// <summary>
    /// Reads and validates a fixture; asynchronously, the file and every file it names are read with asynchronous
    /// reads (a file that cannot be read is then reported by the validator's own read, as the blocking form reports it).
    /// </summary>
    private static async ValueTask<FixtureResult> ValidateFixtureAsync(bool useAsync, string fixturePath, CancellationToken cancellationToken) =>
        useAsync
            ? await new ContractValidator().ValidateAsync(fixturePath, cancellationToken).ConfigureAwait(false)
            : new ContractValidator().Validate(fixturePath);

    /// <summary>Why a profile's reviewer keys cannot be used (not an ECDSA P-256 key, or a key for someone who is no reviewer), or null.</summary>
    private static string? ReviewerKeyProblem(MemoryProfile profile)
    {
        foreach (var (reviewer, key) in profile.ReviewerKeys)
        {
            if (!profile.Reviewers.Contains(reviewer, StringComparer.Ordinal))
            {
                return $"review.reviewer_keys names '{reviewer}', who is not in review.reviewers";
            }

            if (!Review.ApprovalSigner.IsValidPublicKey(key))
            {
                return $"review.reviewer_keys.{reviewer} is not an ECDSA P-256 public key (ecdsa-p256: and the base64 SubjectPublicKeyInfo, as store keygen prints it)";
            }
        }

        return null;
    }

    public async ValueTask ImportProfileAsync(bool useAsync, MemoryProfile profile, string actor, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (useAsync)
        {
            await kernel.Store.SaveProfileAsync(profile, CancellationToken.None).ConfigureAwait(false);
        }
        else
        {
            kernel.Store.SaveProfile(profile);
        }

        await kernel.WriteAuditAsync(useAsync, "import", actor, AuditDecision.Granted, null, [profile.Id], "profile", cancellationToken: CancellationToken.None).ConfigureAwait(false);
    }

    public async ValueTask ImportGraphAsync(bool useAsync, MemoryGraph graph, string actor, CancellationToken cancellationToken)
    {
        var operation = WorkspaceKernel.NewOperationId();
        var records = new List<MemoryRecord>
        {
            new(0, kernel.Now(), null, new GraphChanges { PutNodes = graph.Nodes.Select(Detached).ToArray(), PutEdges = graph.Edges.Select(Detached).ToArray() }) { Operation = operation },
        };
        records.AddRange(graph.Events.Select(graphEvent => new MemoryRecord(0, graphEvent.At, Detached(graphEvent), GraphChanges.None) { Operation = operation }));
        if ((useAsync ? await kernel.Store.LoadGraphAsync(graph.Id, cancellationToken).ConfigureAwait(false) : kernel.Store.LoadGraph(graph.Id)) is null)
        {
            // A new graph exists once its header does, and its header is written only after its records are durable:
            // a failed write (a full disk, a refused row) leaves no graph behind, empty or half imported. Once the
            // records are committed, the header is written whatever the token says.
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            if (useAsync)
            {
                await kernel.Log.AppendAsync(graph.Id, records, expectedSequence: 0, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                kernel.Log.Append(graph.Id, records, expectedSequence: 0);
            }

            MemoryTelemetry.RecordsCommitted(kernel.Location, records.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            if (useAsync)
            {
                await kernel.Store.CreateGraphAsync(new GraphHeader(graph.Id, graph.Title, graph.Description), CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                kernel.Store.CreateGraph(new GraphHeader(graph.Id, graph.Title, graph.Description));
            }
        }
        else
        {
            await kernel.AppendRecordsAsync(useAsync, graph.Id, records, expectedSequence: null, cancellationToken).ConfigureAwait(false);
        }

        await kernel.WriteAuditAsync(useAsync, "import", actor, AuditDecision.Granted, graph.Id, [graph.Id, .. graph.Nodes.Select(node => node.Id)], $"{graph.Nodes.Count} nodes, {graph.Edges.Count} edges, {graph.Events.Count} events", operation: operation, cancellationToken: CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Copies a fixture element without its fixture position (stored records have none).</summary>
    private static GraphNode Detached(GraphNode node) => node with { Origin = default };

    private static GraphEdge Detached(GraphEdge edge) => edge with { Origin = default };

    private static GraphEvent Detached(GraphEvent graphEvent) => graphEvent with { Origin = default };
}
