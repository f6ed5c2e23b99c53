using CsCheck;
using MemoryContracts.Model;
using MemoryContracts.Runtime.Lifecycle;
using MemoryContracts.Runtime.Paths;
using MemoryContracts.Runtime.Postgres;
using MemoryContracts.Runtime.Retrieval;
using MemoryContracts.Validation;
using Xunit;

namespace MemoryContracts.Runtime.Tests;

/// <summary>
/// Issue 13, model-based: random sequences of appends (main and branch, plain, restricted and derived nodes, edges,
/// removals), branches, merges, forgets (both lineage policies) and retrievals run against a workspace and a small
/// reference model. After every step, retrieval returns nothing the model denies (a restricted node to an uncleared
/// subject) and no forgotten node's text is in any file of the workspace; after every sequence the export validates
/// and imports again to the same bytes. On files, in memory and on PostgreSQL.
/// </summary>
public sealed class OperationSequenceTests : IDisposable
{
    private const string Profile = "schema_version: markitect.memory.profile.v1\nid: p\nmemory_kinds: [conversation]\nstores: {conversation: local-event-log}\nactivation: {max_items: 5}\n";

    private static readonly RetrievalSubject Uncleared = new("visitor", [], "public");

    private static readonly Gen<Step[]> Sequences = Gen.Select(Gen.Int[0, 8], Gen.Int[0, 11], Gen.Int[0, 11], Gen.Bool, (kind, first, second, flag) => new Step(kind, first, second, flag)).Array[4, 24];

    private readonly string _folder = TestSupport.TempFolder("sequences");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Random_operation_sequences_on_files_never_leak_keep_nothing_forgotten_and_export_what_imports_again() =>
        Sequences.Sample(steps => Run(steps, () => MemoryWorkspace.Create(Path.Combine(_folder, "ws-" + Guid.NewGuid().ToString("N"))), onDisk: true), iter: 40, threads: 1);

    [Fact]
    public void Random_operation_sequences_in_memory_never_leak_and_export_what_imports_again() =>
        Sequences.Sample(steps => Run(steps, () => MemoryWorkspace.InMemory(), onDisk: false), iter: 150, threads: 1);

    [PostgresFact]
    public void Random_operation_sequences_on_postgres_never_leak_keep_nothing_forgotten_and_export_what_imports_again() =>
        Sequences.Sample(
            steps => Run(steps, () => PostgresWorkspace.Open(new PostgresStoreOptions(PostgresServer.MigratedConnectionString, PostgresServer.NewOwner(), PostgresServer.Keys)), onDisk: false, postgres: true),
            iter: 12,
            threads: 1);

    /// <summary>One operation: what to do (<paramref name="Kind"/>), on which nodes, with which flag.</summary>
    public sealed record Step(int Kind, int First, int Second, bool Flag);

    private void Run(Step[] steps, Func<MemoryWorkspace> open, bool onDisk, bool postgres = false)
    {
        using var workspace = open();
        workspace.Import(TestSupport.Write(_folder, "seed.yaml", "schema_version: markitect.memory.graph.v1\nid: g\nnodes: [{id: root, kind: claim, title: ROOT-SECRET-TITLE}]\n"), "tester");
        workspace.Import(TestSupport.Write(_folder, "p.yaml", Profile), "tester");
        var model = new Model();
        var counter = 0;
        foreach (var step in steps)
        {
            counter++;
            var id = $"n{step.First}";
            var other = $"n{step.Second}";
            var onBranch = step.Flag && model.OpenBranch is not null;
            var path = onBranch ? model.OpenBranch : null;
            try
            {
                switch (step.Kind)
                {
                    case 0 or 1:
                        // A node with its own secret, restricted or not; on the open branch or on main.
                        var node = $"{id}-{counter}";
                        var secret = $"SECRET-{Guid.NewGuid():N}";
                        var restricted = step.Kind == 1;
                        workspace.Append("g", new GraphEvent("ev-" + node, "recorded", "2026-11-21T10:00:00Z") { Path = path, Nodes = [node], Summary = "noted " + secret }, new GraphChanges
                        {
                            PutNodes = [new GraphNode(node, "claim", secret) { Text = secret, Policy = restricted ? new MemoryPolicy { Labels = ["restricted-ops"], TrustZone = "restricted" } : new MemoryPolicy { TrustZone = "public" } }],
                        });
                        model.Put(node, secret, restricted, path);
                        break;
                    case 2:
                        // A node derived from an existing one (its own secret, the ancestor's policy).
                        if (model.Pick(step.Second, path) is { } ancestor)
                        {
                            var derived = $"d{counter}";
                            var derivedSecret = $"SECRET-{Guid.NewGuid():N}";
                            workspace.Append("g", new GraphEvent("ev-" + derived, "recorded", "2026-11-21T10:00:00Z") { Path = path, Nodes = [derived] }, new GraphChanges
                            {
                                PutNodes = [new GraphNode(derived, "claim", derivedSecret) { Text = derivedSecret, Policy = model.Restricted(ancestor) ? new MemoryPolicy { Labels = ["restricted-ops"], TrustZone = "restricted" } : new MemoryPolicy { TrustZone = "public" }, Provenance = new Provenance { Method = "derived", DerivedFrom = [ancestor] } }],
                            });
                            model.Put(derived, derivedSecret, model.Restricted(ancestor), path, ancestor);
                        }

                        break;
                    case 3:
                        if (model.Pick(step.First, path) is { } source && model.Pick(step.Second, path) is { } target && source != target)
                        {
                            var edge = $"e{counter}";
                            workspace.Append("g", new GraphEvent("ev-" + edge, "updated", "2026-11-21T10:00:00Z") { Path = path }, new GraphChanges { PutEdges = [new GraphEdge(edge, "supports", source, target)] });
                        }

                        break;
                    case 4:
                        if (model.Pick(step.First, null) is { } removed)
                        {
                            var edges = workspace.Edges("g", source: removed).Concat(workspace.Edges("g", target: removed)).Select(edge => edge.Id).Distinct().ToArray();
                            workspace.Append("g", new GraphEvent("ev-remove-" + counter, "updated", "2026-11-21T10:00:00Z"), new GraphChanges { RemoveNodes = [removed], RemoveEdges = edges });
                            model.Remove(removed);
                        }

                        break;
                    case 5:
                        if (model.OpenBranch is null)
                        {
                            var branch = $"b{counter}";
                            workspace.Paths.Branch("g", branch, "agent");
                            model.OpenBranch = branch;
                        }

                        break;
                    case 6:
                        if (model.OpenBranch is { } merging)
                        {
                            var result = workspace.Paths.Merge("g", merging, "agent");
                            if (!result.Merged)
                            {
                                result = workspace.Paths.Merge("g", merging, "agent", result.Conflicts.ToDictionary(conflict => conflict.Id, _ => step.Flag ? MergeChoice.Branch : MergeChoice.Parent));
                            }

                            Assert.True(result.Merged, "a merge with every conflict decided is written");
                            model.Merge(merging, workspace.Copy("g"));
                        }

                        break;
                    case 7:
                        if (model.Pick(step.First, null) is { } forgotten)
                        {
                            var lineage = step.Flag ? LineagePolicy.Forget : LineagePolicy.Review;
                            var plan = workspace.Lifecycle.Plan("g", "p", new LifecycleRequest { Retention = false, Forget = [forgotten], Lineage = lineage });
                            workspace.Lifecycle.Apply(plan, null, "forgetter");
                            model.Forget(forgotten, lineage);
                        }

                        break;
                    default:
                        if (model.Pick(step.First, null) is { } asked)
                        {
                            var retrieved = workspace.Retrieval.Retrieve(new RetrievalQuery.Neighborhood("g", asked, Depth: 2), Uncleared);
                            foreach (var item in retrieved.Items)
                            {
                                Assert.False(model.Restricted(item.Node.Id), $"retrieval served restricted node '{item.Node.Id}' to an uncleared subject");
                                Assert.DoesNotContain(model.RestrictedSecrets, secret => item.Node.Title.Contains(secret, StringComparison.Ordinal) || item.Node.Text?.Contains(secret, StringComparison.Ordinal) == true);
                            }
                        }

                        break;
                }
            }
            catch (MemoryStoreException refusal)
            {
                // A refusal is fine (a removal that would strand a derived node, a node of a closed path); it must say why with a code.
                Assert.Matches("^MC[0-9]{4}$", refusal.Code);
            }

            if (onDisk)
            {
                AssertForgottenNowhere(workspace.Location, model);
            }
        }

        AssertExportImportsAgain(workspace, postgres);
    }

    private static void AssertForgottenNowhere(string folder, Model model)
    {
        var files = Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Where(path => !path.EndsWith("workspace.lock", StringComparison.Ordinal)).Select(File.ReadAllText).ToArray();
        foreach (var secret in model.ForgottenSecrets)
        {
            Assert.DoesNotContain(files, content => content.Contains(secret, StringComparison.Ordinal));
        }
    }

    private void AssertExportImportsAgain(MemoryWorkspace workspace, bool postgres)
    {
        var exported = workspace.Export("g");
        var path = TestSupport.Write(_folder, "export.json", System.Text.Encoding.UTF8.GetString(exported));
        var errors = new ContractValidator().Validate(path).Diagnostics.Where(diagnostic => diagnostic.IsError).Select(diagnostic => diagnostic.ToString()).ToArray();
        Assert.True(errors.Length == 0, string.Join(Environment.NewLine, errors));
        using var again = postgres
            ? PostgresWorkspace.Open(new PostgresStoreOptions(PostgresServer.MigratedConnectionString, PostgresServer.NewOwner(), PostgresServer.Keys))
            : MemoryWorkspace.InMemory();
        again.Import(path, "tester");
        Assert.Equal(System.Text.Encoding.UTF8.GetString(exported), System.Text.Encoding.UTF8.GetString(again.Export("g")));
    }

    /// <summary>
    /// The reference: which nodes live where (main, the open branch), which are restricted, what each one's secret is,
    /// what they were derived from, and which secrets were forgotten.
    /// </summary>
    private sealed class Model
    {
        private readonly Dictionary<string, (string Secret, bool Restricted, string? Path, string? Ancestor)> _nodes = new(StringComparer.Ordinal) { ["root"] = ("ROOT-SECRET-TITLE", false, null, null) };
        private readonly HashSet<string> _removed = new(StringComparer.Ordinal);

        public string? OpenBranch { get; set; }

        public List<string> ForgottenSecrets { get; } = [];

        public IEnumerable<string> RestrictedSecrets => _nodes.Values.Where(node => node.Restricted).Select(node => node.Secret);

        public bool Restricted(string id) => _nodes.TryGetValue(id, out var node) && node.Restricted;

        public void Put(string id, string secret, bool restricted, string? path, string? ancestor = null) => _nodes[id] = (secret, restricted, path, ancestor);

        /// <summary>A live node seen from <paramref name="path"/> (main nodes, plus the branch's own when on it), chosen by index.</summary>
        public string? Pick(int index, string? path)
        {
            var visible = _nodes.Where(pair => !_removed.Contains(pair.Key) && (pair.Value.Path is null || pair.Value.Path == path)).Select(pair => pair.Key).Order(StringComparer.Ordinal).ToArray();
            return visible.Length == 0 ? null : visible[index % visible.Length];
        }

        public void Remove(string id) => _removed.Add(id);

        /// <summary>After a merge, the branch's nodes that reached main are main nodes; the rest (left out by a decision) are gone.</summary>
        public void Merge(string branch, GraphState main)
        {
            foreach (var id in _nodes.Where(pair => pair.Value.Path == branch).Select(pair => pair.Key).ToArray())
            {
                if (main.FindNode(id) is null)
                {
                    _removed.Add(id);
                }

                _nodes[id] = _nodes[id] with { Path = null };
            }

            OpenBranch = null;
        }

        public void Forget(string id, LineagePolicy lineage)
        {
            var gone = new HashSet<string>(StringComparer.Ordinal) { id };
            if (lineage == LineagePolicy.Forget)
            {
                // Descendants on main and on the open branch, transitively.
                for (var grew = true; grew;)
                {
                    grew = false;
                    foreach (var (node, (_, _, path, ancestor)) in _nodes)
                    {
                        if (ancestor is not null && gone.Contains(ancestor) && !_removed.Contains(node) && (path is null || path == OpenBranch) && gone.Add(node))
                        {
                            grew = true;
                        }
                    }
                }
            }

            foreach (var node in gone)
            {
                ForgottenSecrets.Add(_nodes[node].Secret);
                _removed.Add(node);
            }
        }
    }
}
