using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MemoryContracts.Generators.Model;
using MemoryContracts.Generators.Parsing;
using MemoryContracts.Text;

namespace MemoryContracts.Generators.Emitting;

/// <summary>
/// Writes the typed accessors of one fixture: <c>MemoryFixtures.&lt;Name&gt;</c> with its id and, for graphs,
/// the ids of its nodes, edges and events as constants, each documented with kind, title and position in one summary.
/// </summary>
internal static class FixtureEmitter
{
    /// <summary>The <c>MemoryFixtures</c> class with no fixture in it, in the project's root namespace.</summary>
    public static string EmitAnchor(string? rootNamespace) => InMemoryFixtures(rootNamespace, static _ => { });

    public static string Emit(FixtureModel fixture, string displayPath, string? family, string? rootNamespace, List<DiagnosticInfo> diagnostics) =>
        InMemoryFixtures(rootNamespace, writer => EmitFixture(writer, fixture, displayPath, family, diagnostics));

    /// <summary>A source file with <c>MemoryFixtures</c> in the project's root namespace, its members written by <paramref name="members"/>.</summary>
    private static string InMemoryFixtures(string? rootNamespace, System.Action<SourceWriter> members)
    {
        var writer = VocabularyEmitter.Header();
        var hasNamespace = !string.IsNullOrEmpty(rootNamespace);
        if (hasNamespace)
        {
            writer.Open("namespace " + rootNamespace);
        }

        writer.Summary("Typed ids of the memory fixtures of this project.");
        writer.Open("internal static partial class MemoryFixtures");
        members(writer);
        writer.Close();
        if (hasNamespace)
        {
            writer.Close();
        }

        return writer.ToString();
    }

    private static void EmitFixture(SourceWriter writer, FixtureModel fixture, string displayPath, string? family, List<DiagnosticInfo> diagnostics)
    {
        var className = Identifiers.ToPascalCase(fixture.Name);
        writer.Summary($"{Describe(family)} '{fixture.Id}' ({displayPath}){(fixture.Title is null ? "." : ": " + fixture.Title)}");
        writer.Open($"internal static class {className}");
        writer.Summary("The fixture's id.");
        writer.Line($"public const string Id = {SourceWriter.Literal(fixture.Id ?? string.Empty)};").Line();
        writer.Summary("The contract the fixture follows.");
        writer.Line($"public const string SchemaVersion = {SourceWriter.Literal(fixture.SchemaVersion ?? string.Empty)};").Line();
        writer.Summary("The fixture's path, relative to the project.");
        writer.Line($"public const string Path = {SourceWriter.Literal(displayPath)};");
        if (family == "graph")
        {
            EmitElements(writer, fixture, displayPath, "Nodes", "node", fixture.Nodes, diagnostics);
            EmitElements(writer, fixture, displayPath, "Edges", "edge", fixture.Edges, diagnostics);
            EmitElements(writer, fixture, displayPath, "Events", "event", fixture.Events, diagnostics);
        }

        writer.Close();
    }

    private static void EmitElements(SourceWriter writer, FixtureModel fixture, string displayPath, string className, string element, EquatableArray<ElementModel> elements, List<DiagnosticInfo> diagnostics)
    {
        var members = new Dictionary<string, ElementModel>(System.StringComparer.Ordinal);
        var definedIn = " (defined at " + SourceWriter.Xml(displayPath) + "(";
        var reserved = new HashSet<string>(System.StringComparer.Ordinal) { className, "ByKind" };
        writer.Line();
        writer.Summary($"The ids of the {element}s of graph '{fixture.Id}'.");
        writer.Open($"public static class {className}");
        foreach (var item in elements)
        {
            var member = Identifiers.ToPascalCase(item.Id);
            if (reserved.Contains(member) || members.ContainsKey(member))
            {
                var other = members.TryGetValue(member, out var first) ? $"{element} '{first.Id}'" : "a generated member";
                diagnostics.Add(DiagnosticInfos.At("MC2011", $"{element} id '{item.Id}' becomes the C# name '{className}.{member}', which {other} already has; no accessor is generated for it", fixture.Path, item.IdPosition));
                continue;
            }

            members.Add(member, item);
            var summary = SourceWriter.AppendXml(writer.StartLine().Append("/// <summary>"), item.Kind ?? element).Append(": ");
            SourceWriter.AppendXml(summary, item.Title ?? item.Id).Append(definedIn)
                .Append((item.IdPosition.StartLine + 1).ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append((item.IdPosition.StartColumn + 1).ToString(CultureInfo.InvariantCulture)).Append("))</summary>\n");
            QuotedString.Append(writer.StartLine().Append("public const string ").Append(member).Append(" = "), item.Id).Append(";\n\n");
        }

        writer.Summary($"The {element} ids grouped by kind.");
        writer.Open("public static class ByKind");
        foreach (var group in members.Where(pair => pair.Value.Kind is not null).GroupBy(pair => Identifiers.ToPascalCase(pair.Value.Kind!)).OrderBy(group => group.Key, System.StringComparer.Ordinal))
        {
            writer.Summary($"The {element}s of kind '{group.First().Value.Kind}'.");
            writer.Line($"public static global::System.Collections.Generic.IReadOnlyList<string> {group.Key} {{ get; }} = new string[] {{ {string.Join(", ", group.Select(pair => pair.Key))} }};");
        }

        writer.Close().Close();
    }

    private static string Describe(string? family) => family switch
    {
        "graph" => "Graph",
        "profile" => "Profile",
        "selection" => "Selection",
        null => "Fixture",
        _ => char.ToUpperInvariant(family[0]) + family.Substring(1),
    };
}
