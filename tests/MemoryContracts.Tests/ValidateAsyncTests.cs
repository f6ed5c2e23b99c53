using System.Diagnostics;
using MemoryContracts.Validation;
using Xunit;

namespace MemoryContracts.Tests;

/// <summary>
/// <see cref="ContractValidator.ValidateAsync"/> reads a fixture and the files it names without blocking, then
/// validates exactly as <see cref="ContractValidator.Validate(string)"/> does: the same results, the same files, and
/// nothing outside the root is ever opened.
/// </summary>
public sealed class ValidateAsyncTests : IDisposable
{
    private readonly string _top = TempFolders.Create("validate-async");

    public void Dispose() => Directory.Delete(_top, recursive: true);

    public static TheoryData<string> Examples() => new(Directory.GetFiles(Path.Combine(Repository.Root, "examples", "memory")).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Every_example_gives_the_same_results_for_itself_and_every_file_it_names(string example)
    {
        var path = Repository.Examples(example);
        var synchronous = new ContractValidator(new ValidationOptions { Root = Repository.Root });
        var asynchronous = new ContractValidator(new ValidationOptions { Root = Repository.Root });

        synchronous.Validate(path);
        await asynchronous.ValidateAsync(path);

        Assert.Equal(Describe(synchronous), Describe(asynchronous));
        Assert.NotEmpty(asynchronous.Results);
    }

    [Fact]
    public async Task A_manifest_reaches_its_selections_graphs_and_profiles_through_the_async_reads()
    {
        var path = Repository.Examples("workplan-context.manifest.yaml");
        var validator = new ContractValidator();

        var result = await validator.ValidateAsync(path);

        Assert.False(result.HasErrors);
        Assert.True(validator.Results.Count >= 3, string.Join(", ", validator.Results.Select(fixture => fixture.Path)));
        Assert.All(validator.Results, fixture => Assert.NotNull(fixture.Document));
    }

    [Fact]
    public async Task A_name_outside_the_root_is_MC4010_and_the_file_is_never_opened()
    {
        // The file outside the root is a named pipe with no writer: opening it to read would block for ever.
        var project = Directory.CreateDirectory(Path.Combine(_top, "project")).FullName;
        var secret = Directory.CreateDirectory(Path.Combine(_top, "secret")).FullName;
        using (var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", Path.Combine(secret, "graph.yaml")) { UseShellExecute = false })!)
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var selection = Path.Combine(project, "leak.yaml");
        File.WriteAllText(selection, "schema_version: markitect.memory.selection.v1\nid: leak\ngraph: ../secret/graph.yaml\nselect:\n  nodes: [a]\n");
        var validator = new ContractValidator(new ValidationOptions { Root = project });

        var result = await validator.ValidateAsync(selection).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        var diagnostic = Assert.Single(result.Diagnostics, diagnostic => diagnostic.IsError);
        Assert.Equal("MC4010", diagnostic.Code);
        Assert.Equal((3, 8), (diagnostic.Location.Line, diagnostic.Location.Column));
        Assert.Single(validator.Results);
    }

    [Fact]
    public async Task Missing_and_absolute_names_are_reported_as_the_synchronous_validation_reports_them()
    {
        var selection = Path.Combine(_top, "broken.yaml");
        File.WriteAllText(selection, "schema_version: markitect.memory.selection.v1\nid: broken\ngraph: missing.yaml\nprofile: /etc/hostname\nselect:\n  nodes: [a]\n");
        var synchronous = new ContractValidator();
        var asynchronous = new ContractValidator();

        synchronous.Validate(selection);
        await asynchronous.ValidateAsync(selection);

        Assert.Equal(Describe(synchronous), Describe(asynchronous));
        Assert.Equal(["MC4001", "MC4007"], asynchronous.Results[0].Diagnostics.Select(diagnostic => diagnostic.Code).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_cancelled_validation_reads_and_records_nothing()
    {
        var validator = new ContractValidator();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => validator.ValidateAsync(Repository.Examples("decision-graph-selection.yaml"), cancelled.Token).AsTask());

        Assert.Empty(validator.Results);
    }

    [Fact]
    public async Task A_replaced_reader_is_still_the_one_that_reads()
    {
        var graph = Path.GetFullPath(Repository.Examples("decision-graph.yaml"));
        var read = new List<string>();
        var validator = new ContractValidator(new ValidationOptions
        {
            ReadFile = path =>
            {
                read.Add(path);
                return path == graph ? "schema_version: markitect.memory.graph.v1\nid: buffer\nnodes: []\n"u8.ToArray() : File.ReadAllBytes(path);
            },
        });

        await validator.ValidateAsync(Repository.Examples("decision-graph-selection.yaml"));

        Assert.Contains(graph, read);
        Assert.Equal("buffer", validator.Results.Single(fixture => fixture.FullPath == graph).Graph!.Id);
    }

    private static string[] Describe(ContractValidator validator) =>
        validator.Results.SelectMany(fixture => fixture.Diagnostics.Select(diagnostic => $"{fixture.Path}: {diagnostic.Code} {diagnostic.Location.Path}({diagnostic.Location.Line},{diagnostic.Location.Column}) {diagnostic.Message}").Prepend($"{fixture.Path} {fixture.Contract?.SchemaVersion}")).ToArray();
}
