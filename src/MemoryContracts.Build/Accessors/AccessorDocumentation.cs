using System.Text;
using MemoryContracts.Generators.Emitting;

namespace MemoryContracts.Build.Accessors;

/// <summary>
/// The XML documentation file beside an <see cref="AccessorAssembly"/>, in the compiler's layout: the summaries the
/// generator writes on each member, under the members' documentation ids, so an editor shows the same text on hover.
/// </summary>
internal static class AccessorDocumentation
{
    /// <summary>The documentation of the accessors of <paramref name="plans"/> in <c>MemoryFixtures</c> of <paramref name="rootNamespace"/>, and of <paramref name="vocabularies"/>.</summary>
    public static string Write(string assemblyName, string? rootNamespace, IReadOnlyList<AccessorPlan> plans, VocabularyContent vocabularies)
    {
        var text = new StringBuilder("<?xml version=\"1.0\"?>\n<doc>\n    <assembly>\n        <name>");
        text.Append(SourceWriter.Xml(assemblyName)).Append("</name>\n    </assembly>\n    <members>\n");
        var container = string.IsNullOrEmpty(rootNamespace) ? "MemoryFixtures" : rootNamespace + ".MemoryFixtures";
        Summary(text, "T:" + container, AccessorPlan.ContainerSummary);
        foreach (var plan in plans)
        {
            var fixture = container + "." + plan.ClassName;
            Summary(text, "T:" + fixture, plan.Summary);
            Summary(text, "F:" + fixture + ".Id", AccessorPlan.IdSummary);
            Summary(text, "F:" + fixture + ".SchemaVersion", AccessorPlan.SchemaVersionSummary);
            Summary(text, "F:" + fixture + ".Path", AccessorPlan.PathSummary);
            foreach (var elements in plan.Elements)
            {
                var group = fixture + "." + elements.ClassName;
                Summary(text, "T:" + group, elements.Summary);
                foreach (var member in elements.Members)
                {
                    elements.AppendSummary(Member(text, "F:" + group + "." + member.Name), member).Append(EndMember);
                }

                var byKind = group + "." + ElementAccessors.ByKindClassName;
                Summary(text, "T:" + byKind, elements.ByKindSummary);
                foreach (var kind in elements.ByKind)
                {
                    Summary(text, "P:" + byKind + "." + kind.Name, elements.GroupSummary(kind));
                }
            }
        }

        AppendVocabularies(text, vocabularies);
        return text.Append("    </members>\n</doc>\n").ToString();
    }

    private static void AppendVocabularies(StringBuilder text, VocabularyContent content)
    {
        foreach (var vocabulary in content.Vocabularies)
        {
            var type = VocabularyPlan.Namespace + "." + vocabulary.TypeName;
            Summary(text, "T:" + type, vocabulary.Summary);
            foreach (var term in vocabulary.Terms)
            {
                Summary(text, "F:" + type + "." + term.Member, term.Summary);
            }

            var companion = VocabularyPlan.Namespace + "." + vocabulary.CompanionName;
            Summary(text, "T:" + companion, vocabulary.CompanionSummary);
            Summary(text, "F:" + companion + ".SchemaVersion", VocabularyPlan.SchemaVersionSummary);
            Summary(text, "P:" + companion + ".All", VocabularyPlan.AllSummary);
            Summary(text, "P:" + companion + ".WireNames", VocabularyPlan.WireNamesSummary);
            Summary(text, "M:" + companion + ".ToWireName(" + type + ")", VocabularyPlan.ToWireNameSummary);
            Summary(text, "M:" + companion + ".TryParse(System.String," + type + "@)", VocabularyPlan.TryParseSummary);
            Summary(text, "M:" + companion + ".Parse(System.String)", VocabularyPlan.ParseSummary);
        }

        if (content.SchemaVersions is { } schemaVersions)
        {
            var type = VocabularyPlan.Namespace + "." + schemaVersions.ClassName;
            Summary(text, "T:" + type, SchemaVersionsPlan.Summary);
            foreach (var constant in schemaVersions.Constants)
            {
                Summary(text, "F:" + type + "." + constant.Name, constant.Summary);
            }
        }
    }

    private static void Summary(StringBuilder text, string id, string summary) =>
        Member(text, id).Append(SourceWriter.Xml(summary)).Append(EndMember);

    private const string EndMember = "</summary>\n        </member>\n";

    private static StringBuilder Member(StringBuilder text, string id) =>
        text.Append("        <member name=\"").Append(SourceWriter.Xml(id)).Append("\">\n            <summary>");
}
