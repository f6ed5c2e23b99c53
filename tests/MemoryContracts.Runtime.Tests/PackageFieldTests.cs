using MemoryContracts.Packing;
using MemoryContracts.Validation;
using Xunit;

namespace MemoryContracts.Runtime.Tests;

/// <summary>
/// Issue 14: a context package carries each element part (source, provenance, policy, freshness) as the element
/// writer writes it; read back by the contract loader, every field is what the loader read from the fixture. A field
/// the element writer drops fails here as it fails the store conformance suite.
/// </summary>
public sealed class PackageFieldTests : IDisposable
{
    private readonly string _folder = TestSupport.TempFolder("package-fields");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(PackageFormat.Json)]
    [InlineData(PackageFormat.Yaml)]
    public void Every_element_field_a_package_item_carries_comes_back_as_the_loader_reads_it(PackageFormat format)
    {
        var fixture = Path.Combine(TestSupport.Root, "tests", "MemoryContracts.Runtime.Tests", "Fixtures", "every-field.graph.json");
        File.Copy(fixture, Path.Combine(_folder, "every-field.graph.json"));
        var selection = TestSupport.Write(_folder, "every-field.selection.yaml", "schema_version: markitect.memory.selection.v1\nid: every-field-package\ngraph: every-field.graph.json\nselect:\n  nodes: [n1]\n");
        var validator = new ContractValidator();
        var graph = validator.Validate(Path.Combine(_folder, "every-field.graph.json")).Graph!;
        var node = graph.Nodes[0];
        var compiled = SelectionCompiler.Compile(validator.Validate(selection).Selection!, graph, null, "every-field.selection.yaml").Package;

        var written = TestSupport.Write(_folder, "package." + (format == PackageFormat.Json ? "json" : "yaml"), ContextPackageWriter.Write(compiled, format));
        var read = new ContractValidator().Validate(written);
        Assert.Empty(read.Diagnostics);
        var item = Assert.Single(read.ContextPackage!.Items);
        Assert.Equal(ModelDump.Of(node.Source), ModelDump.Of(item.Source));
        Assert.Equal(ModelDump.Of(node.Provenance), ModelDump.Of(item.Provenance));
        Assert.Equal(ModelDump.Of(node.Policy), ModelDump.Of(item.Policy));
        Assert.Equal(ModelDump.Of(node.Lifecycle), ModelDump.Of(item.Freshness));
    }
}
