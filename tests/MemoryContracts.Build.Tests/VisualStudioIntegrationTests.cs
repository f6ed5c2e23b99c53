using System.Runtime.CompilerServices;
using System.Xml.Linq;
using Microsoft.Build.Evaluation;
using Xunit;

namespace MemoryContracts.Build.Tests;

/// <summary>
/// Issue 16, finding 8: what Visual Studio reads from an evaluated project. The fast up-to-date check is driven by
/// <c>UpToDateCheckInput</c>/<c>UpToDateCheckBuilt</c>, the Build Action list by <c>AvailableItemName</c>, the
/// Properties window by <c>PropertyPageSchema</c>; the consumer project is evaluated with the SDK's own MSBuild
/// through <c>Microsoft.Build</c> (loaded by the locator), as Visual Studio evaluates it.
/// </summary>
public sealed class VisualStudioIntegrationTests
{
    static VisualStudioIntegrationTests()
    {
        if (!Microsoft.Build.Locator.MSBuildLocator.IsRegistered)
        {
            Microsoft.Build.Locator.MSBuildLocator.RegisterDefaults();
        }
    }

    [Fact]
    public void The_fast_up_to_date_check_compares_fixtures_and_schemas_with_the_validation_stamp()
    {
        var project = new ConsumerProject().AddExample("decision-graph.yaml").AddExample("decision-graph-selection.yaml");
        File.WriteAllText(Path.Combine(project.Directory, "next.schema.json"), "{}");
        AddItem(project, """<MemoryContractSchema Include="next.schema.json" />""");

        var evaluated = Evaluate(project);

        var inputs = evaluated.Where(item => item.Type == "UpToDateCheckInput").ToArray();
        Assert.Equal(["memory/decision-graph-selection.yaml", "memory/decision-graph.yaml", "next.schema.json"], inputs.Select(item => item.Include.Replace('\\', '/')).Order(StringComparer.Ordinal));
        Assert.All(inputs, item => Assert.Equal("MemoryContracts", item.Set));
        var built = Assert.Single(evaluated, item => item.Type == "UpToDateCheckBuilt" && item.Set == "MemoryContracts");
        Assert.Equal("obj/Debug/net10.0/memory-contracts/validated.stamp", built.Include.Replace('\\', '/'));
    }

    [Fact]
    public void Switching_validation_off_takes_the_fixtures_out_of_the_up_to_date_check()
    {
        var project = new ConsumerProject("<MemoryContractsValidate>false</MemoryContractsValidate>").AddExample("decision-graph.yaml");

        Assert.DoesNotContain(Evaluate(project), item => item.Type is "UpToDateCheckInput" or "UpToDateCheckBuilt" && item.Set == "MemoryContracts");
    }

    [Fact]
    public void Visual_Studio_offers_the_item_types_and_a_property_page_for_the_fixture_metadata()
    {
        var project = new ConsumerProject().AddExample("decision-graph.yaml");

        var evaluated = Evaluate(project);

        Assert.Contains(evaluated, item => item.Type == "AvailableItemName" && item.Include == "MemoryFixture");
        Assert.Contains(evaluated, item => item.Type == "AvailableItemName" && item.Include == "MemoryContractSchema");
        var page = Assert.Single(evaluated, item => item.Type == "PropertyPageSchema" && item.Include.EndsWith("MemoryContracts.MemoryFixture.xaml", StringComparison.Ordinal));
        Assert.Equal("File;BrowseObject", page.Context);

        // The page edits exactly the metadata the props file gives defaults to, on MemoryFixture items.
        XNamespace ns = "http://schemas.microsoft.com/build/2009/properties";
        var rule = XDocument.Load(page.Include).Root!.Element(ns + "Rule")!;
        Assert.Equal("MemoryFixture", rule.Element(ns + "Rule.DataSource")!.Element(ns + "DataSource")!.Attribute("ItemType")!.Value);
        var editable = rule.Elements(ns + "BoolProperty").Select(property => (property.Attribute("Name")!.Value, property.Attribute("Default")!.Value)).ToArray();
        var defaults = XDocument.Load(Path.Combine(ConsumerProject.RepositoryRoot, "build", "MemoryContracts.Build.props")).Descendants("MemoryFixture").Single().Elements().Select(element => (element.Name.LocalName, element.Value)).ToArray();
        Assert.Equal(defaults, editable);
    }

    [Fact]
    public void Both_build_files_are_in_MSBuildAllProjects_and_the_extension_points_are_targets()
    {
        var project = new ConsumerProject().AddExample("decision-graph.yaml");

        var (allProjects, targets, dependsOn) = EvaluateBuildFiles(project);

        Assert.Contains(Path.Combine(ConsumerProject.RepositoryRoot, "build", "MemoryContracts.Build.props"), allProjects);
        Assert.Contains(Path.Combine(ConsumerProject.RepositoryRoot, "build", "MemoryContracts.Build.targets"), allProjects);
        Assert.Contains("MemoryContractsBeforeValidate", targets);
        Assert.Contains("MemoryContractsAfterValidate", targets);
        Assert.Equal("MemoryContractsPreparePaths;MemoryContractsWriteSettings;MemoryContractsBeforeValidate;", dependsOn);
    }

    private static void AddItem(ConsumerProject project, string item)
    {
        var path = Path.Combine(project.Directory, "Consumer.csproj");
        File.WriteAllText(path, File.ReadAllText(path).Replace("<ItemGroup>", "<ItemGroup>" + item, StringComparison.Ordinal));
    }

    /// <summary>The evaluated items VS reads, copied out so no Microsoft.Build type leaves this method (the locator must load them first).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static List<EvaluatedItem> Evaluate(ConsumerProject project)
    {
        using var collection = new ProjectCollection();
        var evaluated = collection.LoadProject(Path.Combine(project.Directory, "Consumer.csproj"));
        return evaluated.Items
            .Where(item => item.ItemType is "UpToDateCheckInput" or "UpToDateCheckBuilt" or "AvailableItemName" or "PropertyPageSchema")
            .Select(item => new EvaluatedItem(item.ItemType, item.EvaluatedInclude, item.GetMetadataValue("Set"), item.GetMetadataValue("Context")))
            .ToList();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (string[] AllProjects, string[] Targets, string DependsOn) EvaluateBuildFiles(ConsumerProject project)
    {
        using var collection = new ProjectCollection();
        var evaluated = collection.LoadProject(Path.Combine(project.Directory, "Consumer.csproj"));
        return (evaluated.GetPropertyValue("MSBuildAllProjects").Split(';', StringSplitOptions.RemoveEmptyEntries),
            evaluated.Targets.Keys.ToArray(),
            evaluated.GetPropertyValue("MemoryContractsValidateDependsOn"));
    }

    private sealed record EvaluatedItem(string Type, string Include, string Set, string Context);
}
