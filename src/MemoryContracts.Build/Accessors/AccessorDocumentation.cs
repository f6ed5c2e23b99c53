using System.Text;
using MemoryContracts.Generators.Emitting;

namespace MemoryContracts.Build.Accessors;

/// <summary>
/// The XML documentation file beside an <see cref="AccessorAssembly"/>, in the compiler's layout: the summaries the
/// generator writes on each member, under the members' documentation ids, so an editor shows the same text on hover.
/// </summary>
internal static class AccessorDocumentation
{
    /// <summary>The documentation of the accessors of <paramref name="plans"/> in <c>MemoryFixtures</c> of <paramref name="rootNamespace"/>.</summary>
    public static string Write(string assemblyName, string? rootNamespace, IReadOnlyList<AccessorPlan> plans)
    {
        var text = new StringBuilder("<?xml version=\"1.0\"?>\n<doc>\n    <assembly>\n        <name>");
        text.Append(SourceWriter.Xml(assemblyName)).Append("</name>\n    </assembly>\n    <members>\n");
        var container = string.IsNullOrEmpty(rootNamespace) ? "MemoryFixtures" : rootNamespace + ".MemoryFixtures";
        Member(text, "T:" + container).Append(SourceWriter.Xml(AccessorPlan.ContainerSummary)).Append(EndMember);
        foreach (var plan in plans)
        {
            var fixture = container + "." + plan.ClassName;
            Member(text, "T:" + fixture).Append(SourceWriter.Xml(plan.Summary)).Append(EndMember);
            Member(text, "F:" + fixture + ".Id").Append(SourceWriter.Xml(AccessorPlan.IdSummary)).Append(EndMember);
            Member(text, "F:" + fixture + ".SchemaVersion").Append(SourceWriter.Xml(AccessorPlan.SchemaVersionSummary)).Append(EndMember);
            Member(text, "F:" + fixture + ".Path").Append(SourceWriter.Xml(AccessorPlan.PathSummary)).Append(EndMember);
            foreach (var elements in plan.Elements)
            {
                var group = fixture + "." + elements.ClassName;
                Member(text, "T:" + group).Append(SourceWriter.Xml(elements.Summary)).Append(EndMember);
                foreach (var member in elements.Members)
                {
                    elements.AppendSummary(Member(text, "F:" + group + "." + member.Name), member).Append(EndMember);
                }

                var byKind = group + "." + ElementAccessors.ByKindClassName;
                Member(text, "T:" + byKind).Append(SourceWriter.Xml(elements.ByKindSummary)).Append(EndMember);
                foreach (var kind in elements.ByKind)
                {
                    Member(text, "P:" + byKind + "." + kind.Name).Append(SourceWriter.Xml(elements.GroupSummary(kind))).Append(EndMember);
                }
            }
        }

        return text.Append("    </members>\n</doc>\n").ToString();
    }

    private const string EndMember = "</summary>\n        </member>\n";

    private static StringBuilder Member(StringBuilder text, string id) =>
        text.Append("        <member name=\"").Append(SourceWriter.Xml(id)).Append("\">\n            <summary>");
}
