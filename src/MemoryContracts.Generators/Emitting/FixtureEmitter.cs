using System.Linq;
using MemoryContracts.Text;

namespace MemoryContracts.Generators.Emitting;

/// <summary>
/// Writes the typed accessors of one fixture as C#: <c>MemoryFixtures.&lt;Name&gt;</c> with the constants of its
/// <see cref="AccessorPlan"/>, each documented in one summary.
/// </summary>
internal static class FixtureEmitter
{
    /// <summary>The <c>MemoryFixtures</c> class with no fixture in it, in the project's root namespace.</summary>
    public static string EmitAnchor(string? rootNamespace) => InMemoryFixtures(rootNamespace, static _ => { });

    public static string Emit(AccessorPlan plan, string? rootNamespace) =>
        InMemoryFixtures(rootNamespace, writer => EmitFixture(writer, plan));

    /// <summary>A source file with <c>MemoryFixtures</c> in the project's root namespace, its members written by <paramref name="members"/>.</summary>
    private static string InMemoryFixtures(string? rootNamespace, System.Action<SourceWriter> members)
    {
        var writer = VocabularyEmitter.Header();
        var hasNamespace = !string.IsNullOrEmpty(rootNamespace);
        if (hasNamespace)
        {
            writer.Open("namespace " + rootNamespace);
        }

        writer.Summary(AccessorPlan.ContainerSummary);
        writer.Open("internal static partial class MemoryFixtures");
        members(writer);
        writer.Close();
        if (hasNamespace)
        {
            writer.Close();
        }

        return writer.ToString();
    }

    private static void EmitFixture(SourceWriter writer, AccessorPlan plan)
    {
        writer.Summary(plan.Summary);
        writer.Open($"internal static class {plan.ClassName}");
        writer.Summary(AccessorPlan.IdSummary);
        writer.Line($"public const string Id = {SourceWriter.Literal(plan.Id)};").Line();
        writer.Summary(AccessorPlan.SchemaVersionSummary);
        writer.Line($"public const string SchemaVersion = {SourceWriter.Literal(plan.SchemaVersion)};").Line();
        writer.Summary(AccessorPlan.PathSummary);
        writer.Line($"public const string Path = {SourceWriter.Literal(plan.Path)};");
        foreach (var elements in plan.Elements)
        {
            EmitElements(writer, elements);
        }

        writer.Close();
    }

    private static void EmitElements(SourceWriter writer, ElementAccessors elements)
    {
        writer.Line();
        writer.Summary(elements.Summary);
        writer.Open($"public static class {elements.ClassName}");
        foreach (var member in elements.Members)
        {
            elements.AppendSummary(writer.StartLine().Append("/// <summary>"), member).Append("</summary>\n");
            QuotedString.Append(writer.StartLine().Append("public const string ").Append(member.Name).Append(" = "), member.Element.Id).Append(";\n\n");
        }

        writer.Summary(elements.ByKindSummary);
        writer.Open($"public static class {ElementAccessors.ByKindClassName}");
        foreach (var group in elements.ByKind)
        {
            writer.Summary(elements.GroupSummary(group));
            writer.Line($"public static global::System.Collections.Generic.IReadOnlyList<string> {group.Name} {{ get; }} = new string[] {{ {string.Join(", ", group.Members.Select(member => member.Name))} }};");
        }

        writer.Close().Close();
    }
}
