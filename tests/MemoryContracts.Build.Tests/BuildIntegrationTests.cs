using System.IO.Compression;
using Xunit;

namespace MemoryContracts.Build.Tests;

/// <summary>Real dotnet build, clean and pack runs of consumer projects in temporary folders.</summary>
public sealed class BuildIntegrationTests
{
    /// <summary>
    /// The generator package adds MemoryContracts and the root namespace to the implicit usings, as the page says, and
    /// not to a project that has them off (it wrote them, and ran the SDK's global usings step, for every project).
    /// </summary>
    [Theory]
    [InlineData("", false)]
    [InlineData("<ImplicitUsings>disable</ImplicitUsings>", false)]
    [InlineData("<ImplicitUsings>enable</ImplicitUsings>", true)]
    [InlineData("<ImplicitUsings>true</ImplicitUsings>", true)]
    public void The_generator_package_adds_its_usings_to_implicit_usings_only(string properties, bool added)
    {
        var project = new ConsumerProject(properties, withGenerator: true);
        var (exit, output) = project.Run("build");
        Assert.True(exit == 0, output);
        var globalUsings = Path.Combine(project.Directory, "obj", "Debug", "net10.0", "Consumer.GlobalUsings.g.cs");
        var lines = File.Exists(globalUsings) ? File.ReadAllLines(globalUsings) : [];
        Assert.Equal(added, lines.Contains("global using MemoryContracts;"));
        Assert.Equal(added, lines.Contains("global using Consumer;"));
    }

    [Fact]
    public void A_valid_catalog_builds_green_and_ships_its_packages()
    {
        var project = new ConsumerProject()
            .AddExample("decision-graph.yaml").AddExample("decision-graph-selection.yaml").AddExample("memory-profile.local.yaml");

        var (exitCode, output) = project.Run("build");

        Assert.True(exitCode == 0, output);
        Assert.Empty(ConsumerProject.Diagnostics(output));
        var package = Path.Combine(project.Output, "memory-context", "contract-boundary-decisions.context.json");
        Assert.True(File.Exists(package), output);
        Assert.Contains("\"schema_version\": \"markitect.context.package.v1\"", File.ReadAllText(package), StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_fixture_fails_the_build_with_canonical_errors()
    {
        var project = new ConsumerProject().AddExample("invalid-memory-graph.yaml", "decisions.yaml");

        var (exitCode, output) = project.Run("build");

        Assert.NotEqual(0, exitCode);
        Assert.Equal(
            [
                "memory/decisions.yaml(8,18,8,27): error MC2001: unknown node kind 'assumpton' (did you mean 'assumption'?); 34 node kinds are defined",
                "memory/decisions.yaml(9,8,9,10): error MC2004: id 'n1' is already used by the node at line 5",
                "memory/decisions.yaml(14,11,14,13): error MC2005: edge 'e3' targets node 'n9', which the graph does not define",
                "memory/decisions.yaml(16,9,16,15): error MC2002: unknown edge kind 'causes'; 13 edge kinds are defined",
                "memory/decisions.yaml(23,15,23,17): error MC2006: event 'ev1' names node 'n7', which the graph does not define",
            ],
            ConsumerProject.Diagnostics(output));
    }

    [Fact]
    public void A_broken_schema_item_fails_the_build_at_its_keyword_and_the_other_contracts_are_still_validated()
    {
        var project = new ConsumerProject().AddExample("invalid-memory-graph.yaml", "decisions.yaml");
        project.Write("next.schema.json", "{\n  \"$id\": \"https://example.com/next.schema.json\",\n  \"x-contract\": \"graph\",\n  \"properties\": {\n    \"schema_version\": {\"const\": \"next.v1\"},\n    \"id\": {\"type\": \"strnig\"}\n  }\n}\n");
        var file = Path.Combine(project.Directory, "Consumer.csproj");
        File.WriteAllText(file, File.ReadAllText(file).Replace("<ItemGroup>", "<ItemGroup><MemoryContractSchema Include=\"next.schema.json\" />", StringComparison.Ordinal));

        var (exitCode, output) = project.Run("build");

        Assert.NotEqual(0, exitCode);
        var diagnostics = ConsumerProject.Diagnostics(output);
        Assert.Contains(diagnostics, line => line.StartsWith("next.schema.json(6,20,6,28)", StringComparison.Ordinal) && line.Contains("error MC9002: 'strnig' is not a JSON Schema type", StringComparison.Ordinal));
        Assert.Contains("memory/decisions.yaml(14,11,14,13): error MC2005: edge 'e3' targets node 'n9', which the graph does not define", diagnostics);
        Assert.Equal(6, diagnostics.Length);
    }

    [Fact]
    public void A_selection_over_a_broken_graph_gives_one_wave_of_errors_and_no_package()
    {
        var project = new ConsumerProject()
            .AddExample("invalid-memory-graph.yaml", "graph.yaml")
            .Write("memory/selection.yaml", "schema_version: markitect.memory.selection.v1\nid: broken-path\ngraph: graph.yaml\nselect: {nodes: [n9]}\n");

        var (exitCode, output) = project.Run("build");

        Assert.NotEqual(0, exitCode);
        var diagnostics = ConsumerProject.Diagnostics(output);
        Assert.Contains("memory/selection.yaml(3,8,3,18): error MC4005: graph file 'graph.yaml' has 5 error(s); no package is produced until they are fixed", diagnostics);
        Assert.DoesNotContain(diagnostics, line => line.Contains("MC4002", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(project.Output, "memory-context", "broken-path.context.json")));
    }

    [Fact]
    public void A_selection_naming_a_file_outside_the_project_fails_the_build_with_MC4010_and_the_file_is_not_read()
    {
        var project = new ConsumerProject();
        var outside = Path.Combine(Path.GetDirectoryName(project.Directory)!, Path.GetFileName(project.Directory) + "-secret");
        System.IO.Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, ".env"), "DB_PASSWORD=hunter2\n");
        project.Write("memory/selection.yaml", $"schema_version: markitect.memory.selection.v1\nid: leak\ngraph: ../../{Path.GetFileName(outside)}/.env\nselect: {{nodes: [n1]}}\n");

        var (exitCode, output) = project.Run("build");

        Assert.NotEqual(0, exitCode);
        var diagnostic = Assert.Single(ConsumerProject.Diagnostics(output));
        Assert.StartsWith($"memory/selection.yaml(3,8,3,{19 + Path.GetFileName(outside).Length}): error MC4010: graph file '../../{Path.GetFileName(outside)}/.env' resolves to '{Path.Combine(outside, ".env")}', outside the root folder '{project.Directory}'", diagnostic, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(project.Output, "memory-context", "leak.context.json")));
    }

    [Fact]
    public void A_no_change_rebuild_skips_validation_and_a_touched_fixture_runs_it_again()
    {
        var project = new ConsumerProject().AddExample("decision-graph.yaml");
        Assert.Equal(0, project.Run("build").ExitCode);

        var (_, unchanged) = project.Run("build", "-v:detailed");
        Assert.Contains("Skipping target \"MemoryContractsValidate\" because all output files are up-to-date", unchanged, StringComparison.Ordinal);

        File.SetLastWriteTimeUtc(Path.Combine(project.Directory, "memory", "decision-graph.yaml"), DateTime.UtcNow.AddSeconds(5));
        var (_, touched) = project.Run("build", "-v:detailed");
        Assert.DoesNotContain("Skipping target \"MemoryContractsValidate\"", touched, StringComparison.Ordinal);
        Assert.Contains("Task \"ValidateMemoryFixtures\"", touched, StringComparison.Ordinal);
    }

    [Fact]
    public void Targets_hooked_to_the_extension_points_run_around_validation_and_packing_on_every_build()
    {
        var project = new ConsumerProject().AddExample("decision-graph.yaml").AddExample("decision-graph-selection.yaml").AddExample("memory-profile.local.yaml");
        var file = Path.Combine(project.Directory, "Consumer.csproj");
        File.WriteAllText(file, File.ReadAllText(file).Replace("</Project>", """
              <Target Name="BeforeHook" AfterTargets="MemoryContractsBeforeValidate"><Message Importance="high" Text="hook: before" /></Target>
              <Target Name="AfterHook" AfterTargets="MemoryContractsAfterValidate"><Message Importance="high" Text="hook: valid @(MemoryContractsValidSelection->'%(PackageId)')" /></Target>
              <Target Name="BeforePackHook" AfterTargets="MemoryContractsBeforePack"><Message Importance="high" Text="hook: before pack" /></Target>
              <Target Name="AfterPackHook" AfterTargets="MemoryContractsAfterPack"><ItemGroup><_Seen Include="$(MemoryContractsPackagePath)*.context.json" /></ItemGroup><Message Importance="high" Text="hook: packed @(_Seen->'%(Filename)%(Extension)')" /></Target>
            </Project>
            """, StringComparison.Ordinal));

        foreach (var run in new[] { "first", "no change" })
        {
            var (exitCode, output) = project.Run("build", "-v:detailed");
            Assert.True(exitCode == 0, run + ": " + output);
            var order = new[] { "hook: before", "hook: valid contract-boundary-decisions", "hook: before pack", "hook: packed contract-boundary-decisions.context.json" }
                .Select(line => output.IndexOf(line, StringComparison.Ordinal))
                .ToArray();
            Assert.True(order.All(index => index >= 0) && order.SequenceEqual(order.Order()), run + ": " + string.Join(", ", order) + Environment.NewLine + output);
            Assert.Equal(run == "first", output.Contains("Task \"PackMemoryContexts\"", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Packing_reads_each_selection_again_so_an_edit_after_validation_never_ships_unchecked()
    {
        var project = new ConsumerProject().AddExample("decision-graph.yaml").AddExample("decision-graph-selection.yaml").AddExample("memory-profile.local.yaml");
        var file = Path.Combine(project.Directory, "Consumer.csproj");
        var selection = Path.Combine(project.Directory, "memory", "decision-graph-selection.yaml");
        // Between the two tasks, as a racing editor would, the selection is overwritten with one that is not valid.
        File.WriteAllText(file, File.ReadAllText(file).Replace("</Project>", $$"""
              <Target Name="Race" AfterTargets="MemoryContractsBeforePack"><WriteLinesToFile File="{{selection}}" Lines="schema_version: broken" Overwrite="true" /></Target>
            </Project>
            """, StringComparison.Ordinal));

        var (exitCode, output) = project.Run("build");

        Assert.NotEqual(0, exitCode);
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(output, @"decision-graph-selection\.yaml\(1,[0-9]+[0-9,]*\): error MC[0-9]{4}"), output);
        Assert.False(File.Exists(Path.Combine(project.Intermediate, "packages", "contract-boundary-decisions.context.json")), output);
        Assert.False(File.Exists(Path.Combine(project.Output, "memory-context", "contract-boundary-decisions.context.json")), output);
        Assert.NotEqual(0, project.Run("build").ExitCode);
    }

    [Fact]
    public void Clean_removes_the_packages()
    {
        var project = new ConsumerProject().AddExample("decision-graph.yaml").AddExample("decision-graph-selection.yaml").AddExample("memory-profile.local.yaml");
        Assert.Equal(0, project.Run("build").ExitCode);
        var package = Path.Combine(project.Output, "memory-context", "contract-boundary-decisions.context.json");
        Assert.True(File.Exists(package));

        var (exitCode, output) = project.Run("clean");

        Assert.True(exitCode == 0, output);
        Assert.False(File.Exists(package));
        Assert.Empty(Directory.GetFiles(project.Directory, "*.context.json", SearchOption.AllDirectories));
    }

    [Fact]
    public void Pack_carries_the_context_packages_unless_switched_off()
    {
        var project = new ConsumerProject().AddExample("decision-graph.yaml").AddExample("decision-graph-selection.yaml").AddExample("memory-profile.local.yaml");
        var (exitCode, output) = project.Run("pack", "-o", "out");
        Assert.True(exitCode == 0, output);
        using (var nupkg = ZipFile.OpenRead(Path.Combine(project.Directory, "out", "Consumer.1.0.0.nupkg")))
        {
            Assert.Contains(nupkg.Entries, entry => entry.FullName == "memory-context/contract-boundary-decisions.context.json");
        }

        var excluded = new ConsumerProject("<MemoryContractsIncludePackagesInNuGet>false</MemoryContractsIncludePackagesInNuGet>")
            .AddExample("decision-graph.yaml").AddExample("decision-graph-selection.yaml").AddExample("memory-profile.local.yaml");
        Assert.Equal(0, excluded.Run("pack", "-o", "out").ExitCode);
        using var without = ZipFile.OpenRead(Path.Combine(excluded.Directory, "out", "Consumer.1.0.0.nupkg"));
        Assert.DoesNotContain(without.Entries, entry => entry.FullName.StartsWith("memory-context/", StringComparison.Ordinal));
    }

    [Fact]
    public void Warnings_stay_warnings_unless_the_project_says_otherwise()
    {
        const string OverBudget = "schema_version: markitect.memory.selection.v1\nid: tight\ngraph: decision-graph.yaml\nbudget: {max_items: 1}\nselect: {nodes: [validate-in-build, keep-compiler-boundary]}\n";
        var expected = "memory/tight.yaml(4,9,4,22): warning MC4003: package 'tight' is over its budget (max_items 1 from the selection): 2 items and 126 tokens were selected; dropped 1 item(s): keep-compiler-boundary";

        var lenient = new ConsumerProject().AddExample("decision-graph.yaml").Write("memory/tight.yaml", OverBudget);
        var (lenientExit, lenientOutput) = lenient.Run("build");
        Assert.True(lenientExit == 0, lenientOutput);
        Assert.Equal([expected], ConsumerProject.Diagnostics(lenientOutput));

        var strict = new ConsumerProject("<TreatWarningsAsErrors>true</TreatWarningsAsErrors>").AddExample("decision-graph.yaml").Write("memory/tight.yaml", OverBudget);
        var (strictExit, strictOutput) = strict.Run("build");
        Assert.NotEqual(0, strictExit);
        Assert.Equal([expected.Replace("warning MC4003", "error MC4003")], ConsumerProject.Diagnostics(strictOutput));

        var listed = new ConsumerProject("<WarningsAsErrors>MC4003</WarningsAsErrors>").AddExample("decision-graph.yaml").Write("memory/tight.yaml", OverBudget);
        Assert.NotEqual(0, listed.Run("build").ExitCode);

        var quiet = new ConsumerProject("<NoWarn>$(NoWarn);MC4003</NoWarn>").AddExample("decision-graph.yaml").Write("memory/tight.yaml", OverBudget);
        var (quietExit, quietOutput) = quiet.Run("build");
        Assert.True(quietExit == 0, quietOutput);
        Assert.Empty(ConsumerProject.Diagnostics(quietOutput));
    }

    [Fact]
    public void Validation_can_be_switched_off()
    {
        var project = new ConsumerProject("<MemoryContractsValidate>false</MemoryContractsValidate>").AddExample("invalid-memory-graph.yaml");
        var (exitCode, output) = project.Run("build");
        Assert.True(exitCode == 0, output);
        Assert.Empty(ConsumerProject.Diagnostics(output));
    }

    [Fact]
    public void Design_time_builds_neither_validate_nor_pack()
    {
        var project = new ConsumerProject().AddExample("invalid-memory-graph.yaml").AddExample("decision-graph.yaml").AddExample("decision-graph-selection.yaml").AddExample("memory-profile.local.yaml");

        var (exitCode, output) = project.Run("build", "-p:DesignTimeBuild=true");

        Assert.True(exitCode == 0, output);
        Assert.Empty(ConsumerProject.Diagnostics(output));
        Assert.False(Directory.Exists(Path.Combine(project.Output, "memory-context")));
    }

    [Fact]
    public void A_solution_of_fixture_projects_builds_in_parallel_and_reports_per_project()
    {
        var good = new ConsumerProject().AddExample("decision-graph.yaml").AddExample("decision-graph-selection.yaml").AddExample("memory-profile.local.yaml");
        var bad = new ConsumerProject().AddExample("invalid-memory-graph.yaml", "decisions.yaml");
        var solution = TempFolders.Create("solution");
        File.WriteAllText(Path.Combine(solution, "Build.proj"), $"""
            <Project DefaultTargets="Build">
              <ItemGroup>
                <ProjectToBuild Include="{good.Directory}/Consumer.csproj;{bad.Directory}/Consumer.csproj" />
              </ItemGroup>
              <Target Name="Build">
                <MSBuild Projects="@(ProjectToBuild)" Targets="Restore" Properties="MSBuildRestoreSessionId=$([System.Guid]::NewGuid())" BuildInParallel="true" />
                <MSBuild Projects="@(ProjectToBuild)" Targets="Build" BuildInParallel="true" ContinueOnError="true" />
              </Target>
            </Project>
            """);

        var (exitCode, output) = ConsumerProject.RunIn(solution, "build", "Build.proj", "-m:2", "-nodeReuse:false");

        Assert.NotEqual(0, exitCode);
        var diagnostics = ConsumerProject.Diagnostics(output);
        Assert.Equal(5, diagnostics.Length);
        Assert.All(diagnostics, line => Assert.StartsWith("memory/decisions.yaml(", line, StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(good.Output, "memory-context", "contract-boundary-decisions.context.json")), output);
    }

    [Fact]
    public void A_changed_fixture_revalidates_only_itself_and_what_depends_on_it()
    {
        var project = new ConsumerProject()
            .AddExample("decision-graph.yaml").AddExample("decision-graph-selection.yaml").AddExample("memory-profile.local.yaml").AddExample("knowledge-neighborhood.yaml");
        Assert.Contains("validated 4 of 4 fixture(s); 0 unchanged", Build(project), StringComparison.Ordinal);

        File.AppendAllText(Path.Combine(project.Directory, "memory", "knowledge-neighborhood.yaml"), "# a comment changes the content\n");
        Assert.Contains("validated 1 of 4 fixture(s); 3 unchanged", Build(project), StringComparison.Ordinal);

        File.AppendAllText(Path.Combine(project.Directory, "memory", "decision-graph.yaml"), "# the selection depends on this graph\n");
        Assert.Contains("validated 2 of 4 fixture(s); 2 unchanged", Build(project), StringComparison.Ordinal);

        // A broken fixture keeps failing the build while only an unrelated one changes: its errors come from the cache.
        File.WriteAllText(Path.Combine(project.Directory, "memory", "knowledge-neighborhood.yaml"), ConsumerProject.Example("knowledge-neighborhood.yaml").Replace("target: graph-contract-v1}", "target: nowhere}"));
        var broken = project.Run("build", "-v:n");
        Assert.NotEqual(0, broken.ExitCode);
        File.AppendAllText(Path.Combine(project.Directory, "memory", "memory-profile.local.yaml"), "# unrelated\n");
        var again = project.Run("build", "-v:n");
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("validated 2 of 4 fixture(s); 2 unchanged", again.Output, StringComparison.Ordinal);
        Assert.Equal(ConsumerProject.Diagnostics(broken.Output), ConsumerProject.Diagnostics(again.Output));
        Assert.Contains(ConsumerProject.Diagnostics(again.Output), line => line.Contains("error MC2005: edge 'guide-mentions-graph' targets node 'nowhere'", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(project.Output, "memory-context", "contract-boundary-decisions.context.json")));
    }

    private static string Build(ConsumerProject project)
    {
        var (exitCode, output) = project.Run("build", "-v:n");
        Assert.True(exitCode == 0, output);
        return output;
    }
    [Fact]
    public void A_no_change_rebuild_replays_the_warnings_it_skipped_validating()
    {
        const string OverBudget = "schema_version: markitect.memory.selection.v1\nid: tight\ngraph: decision-graph.yaml\nbudget: {max_items: 1}\nselect: {nodes: [validate-in-build, keep-compiler-boundary]}\n";
        var project = new ConsumerProject().AddExample("decision-graph.yaml").Write("memory/tight.yaml", OverBudget);
        var (_, first) = project.Run("build");
        var warning = Assert.Single(ConsumerProject.Diagnostics(first));
        Assert.Contains("warning MC4003", warning, StringComparison.Ordinal);

        var (exitCode, again) = project.Run("build");
        Assert.True(exitCode == 0, again);
        Assert.Equal([warning], ConsumerProject.Diagnostics(again).Distinct());
        var (_, detailed) = project.Run("build", "-v:detailed");
        Assert.Contains("Skipping target \"MemoryContractsValidate\" because all output files are up-to-date", detailed, StringComparison.Ordinal);
        Assert.Contains("validated 0 of 2 fixture(s); 2 unchanged since the last build", detailed, StringComparison.Ordinal);
    }

    [Fact]
    public void A_no_change_rebuild_with_nothing_to_replay_does_not_load_the_validation_task_and_packs_again_when_the_package_stamp_is_gone()
    {
        var project = new ConsumerProject()
            .AddExample("decision-graph.yaml").AddExample("decision-graph-selection.yaml").AddExample("memory-profile.local.yaml");
        var (firstExit, first) = project.Run("build");
        Assert.True(firstExit == 0, first);
        Assert.Empty(ConsumerProject.Diagnostics(first));
        var package = Path.Combine(project.Output, "memory-context", "contract-boundary-decisions.context.json");
        Assert.False(File.Exists(Path.Combine(project.Intermediate, "validation.replay")), first);

        var (quietExit, quiet) = project.Run("build", "-v:detailed");
        Assert.True(quietExit == 0, quiet);
        Assert.Contains("Skipping target \"MemoryContractsValidate\" because all output files are up-to-date", quiet, StringComparison.Ordinal);
        Assert.DoesNotContain("MemoryContracts: validated", quiet, StringComparison.Ordinal);
        Assert.DoesNotContain("Task \"ValidateMemoryFixtures\"", quiet, StringComparison.Ordinal);

        // Packing must run (its stamp is gone): the selections come from the list the last validation wrote, and the
        // package is made again, still without validating.
        var (repackExit, repack) = RebuildWithoutPackage(project, package);
        Assert.True(repackExit == 0, repack);
        Assert.Contains("Task \"PackMemoryContexts\"", repack, StringComparison.Ordinal);
        Assert.DoesNotContain("Task \"ValidateMemoryFixtures\"", repack, StringComparison.Ordinal);
        Assert.True(File.Exists(package), repack);
    }

    [Theory]
    [InlineData("it's a;b%41")]
    [InlineData("pipe|in name")]
    [InlineData(" padded ")]
    public void A_selection_in_a_folder_with_msbuild_special_characters_is_packed_on_a_full_and_on_a_no_change_build(string folder)
    {
        var project = new ConsumerProject();
        Directory.CreateDirectory(Path.Combine(project.Directory, "memory", folder));
        project.Write(Path.Combine("memory", folder, "decision-graph.yaml"), ConsumerProject.Example("decision-graph.yaml"))
            .Write(Path.Combine("memory", folder, "decision-graph-selection.yaml"), ConsumerProject.Example("decision-graph-selection.yaml"))
            .Write(Path.Combine("memory", folder, "memory-profile.local.yaml"), ConsumerProject.Example("memory-profile.local.yaml"));
        var package = Path.Combine(project.Output, "memory-context", "contract-boundary-decisions.context.json");

        var (fullExit, full) = project.Run("build");
        Assert.True(fullExit == 0, full);
        Assert.Empty(ConsumerProject.Diagnostics(full));
        Assert.True(File.Exists(package), full);

        // The no-change build names the selection from what the last validation left, never from a misread path.
        var (repackExit, repack) = RebuildWithoutPackage(project, package);
        Assert.True(repackExit == 0, repack);
        Assert.Contains("Skipping target \"MemoryContractsValidate\" because all output files are up-to-date", repack, StringComparison.Ordinal);
        Assert.Contains("Task \"PackMemoryContexts\"", repack, StringComparison.Ordinal);
        Assert.True(File.Exists(package), repack);
    }

    [Fact]
    public void Changing_a_property_that_changes_the_outcome_validates_again_without_touching_a_fixture()
    {
        const string OverBudget = "schema_version: markitect.memory.selection.v1\nid: tight\ngraph: decision-graph.yaml\nbudget: {max_items: 1}\nselect: {nodes: [validate-in-build, keep-compiler-boundary]}\n";
        var project = new ConsumerProject().AddExample("decision-graph.yaml").Write("memory/tight.yaml", OverBudget);
        Assert.Equal(0, project.Run("build").ExitCode);
        Assert.True(File.Exists(Path.Combine(project.Output, "memory-context", "tight.context.json")));

        // The package format: the yaml package replaces the json one, in obj/ and in the output.
        var (yamlExit, yamlOutput) = project.Run("build", "-p:MemoryContractsPackageFormat=yaml");
        Assert.True(yamlExit == 0, yamlOutput);
        Assert.True(File.Exists(Path.Combine(project.Output, "memory-context", "tight.context.yaml")), yamlOutput);
        Assert.False(File.Exists(Path.Combine(project.Output, "memory-context", "tight.context.json")), yamlOutput);

        // The warning policy: the same warning now fails the build, and the package it no longer vouches for leaves the output.
        var (strictExit, strictOutput) = project.Run("build", "-p:MemoryContractsPackageFormat=yaml", "-p:MemoryContractsTreatWarningsAsErrors=true");
        Assert.NotEqual(0, strictExit);
        Assert.Contains(ConsumerProject.Diagnostics(strictOutput), line => line.Contains("error MC4003", StringComparison.Ordinal));
    }

    [Fact]
    public void A_red_build_takes_the_package_of_a_selection_that_broke_out_of_the_output()
    {
        var project = new ConsumerProject().AddExample("decision-graph.yaml").AddExample("decision-graph-selection.yaml").AddExample("memory-profile.local.yaml");
        Assert.Equal(0, project.Run("build").ExitCode);
        var package = Path.Combine(project.Output, "memory-context", "contract-boundary-decisions.context.json");
        Assert.True(File.Exists(package));

        File.WriteAllText(Path.Combine(project.Directory, "memory", "decision-graph.yaml"), ConsumerProject.Example("decision-graph.yaml").Replace("target: validate-in-build}", "target: missing-node}", StringComparison.Ordinal));
        var (exitCode, output) = project.Run("build");
        Assert.NotEqual(0, exitCode);
        Assert.False(File.Exists(package), output);
    }
    [Fact]
    public void The_build_keeps_a_copy_of_the_schemas_where_the_project_asks()
    {
        var project = new ConsumerProject("<MemoryContractsSchemaExportPath>$(MSBuildProjectDirectory)/.schemas/</MemoryContractsSchemaExportPath>").AddExample("decision-graph.yaml");
        var (exitCode, output) = project.Run("build");
        Assert.True(exitCode == 0, output);
        foreach (var schema in Directory.GetFiles(Path.Combine(ConsumerProject.RepositoryRoot, "schemas"), "*.schema.json"))
        {
            Assert.Equal(File.ReadAllBytes(schema), File.ReadAllBytes(Path.Combine(project.Directory, ".schemas", Path.GetFileName(schema))));
        }
    }

    /// <summary>
    /// Deletes the packing stamp and the package (in obj/ and in the output) of a project that built already, and builds
    /// again with a detailed log: packing must run, while nothing changed for validation.
    /// </summary>
    private static (int ExitCode, string Output) RebuildWithoutPackage(ConsumerProject project, string package)
    {
        File.Delete(Path.Combine(project.Intermediate, "packed.stamp"));
        File.Delete(Path.Combine(project.Intermediate, "packages", Path.GetFileName(package)));
        File.Delete(package);
        return project.Run("build", "-v:detailed");
    }
}
