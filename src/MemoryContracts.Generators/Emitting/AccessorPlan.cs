using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using MemoryContracts.Generators.Model;
using MemoryContracts.Generators.Parsing;

namespace MemoryContracts.Generators.Emitting;

/// <summary>
/// The typed accessors of one fixture as names, values and documentation: <c>MemoryFixtures.&lt;ClassName&gt;</c> with
/// the fixture's id, contract and path and, for graphs, the ids of its nodes, edges and events with their kinds. The
/// generator writes a plan as C# (<c>FixtureEmitter</c>); with <c>MemoryContractsAccessors=Assembly</c> the
/// build writes the same plan as metadata, so both forms have the same members by construction.
/// </summary>
internal sealed class AccessorPlan
{
    /// <summary>Documentation of the fixture's <see cref="Id"/> constant.</summary>
    public const string IdSummary = "The fixture's id.";

    /// <summary>Documentation of the fixture's <see cref="SchemaVersion"/> constant.</summary>
    public const string SchemaVersionSummary = "The contract the fixture follows.";

    /// <summary>Documentation of the fixture's <see cref="Path"/> constant.</summary>
    public const string PathSummary = "The fixture's path, relative to the project.";

    /// <summary>Documentation of the <c>MemoryFixtures</c> class.</summary>
    public const string ContainerSummary = "Typed ids of the memory fixtures of this project.";

    private AccessorPlan(string className, string summary, string id, string schemaVersion, string path, IReadOnlyList<ElementAccessors> elements)
    {
        ClassName = className;
        Summary = summary;
        Id = id;
        SchemaVersion = schemaVersion;
        Path = path;
        Elements = elements;
    }

    /// <summary>The fixture's class, nested in <c>MemoryFixtures</c>.</summary>
    public string ClassName { get; }

    /// <summary>The class's documentation, plain text.</summary>
    public string Summary { get; }

    /// <summary>The fixture's id (empty when it has none).</summary>
    public string Id { get; }

    /// <summary>The fixture's <c>schema_version</c>.</summary>
    public string SchemaVersion { get; }

    /// <summary>The fixture's path relative to the project, with forward slashes.</summary>
    public string Path { get; }

    /// <summary>For a graph, its nodes, edges and events, in that order; nothing for other fixtures.</summary>
    public IReadOnlyList<ElementAccessors> Elements { get; }

    /// <summary>
    /// Whether only planning accessors finds the problem (names that collide, MC2011), as opposed to the build's
    /// validation; the others are left to validation when it runs, so each problem is reported once.
    /// </summary>
    public static bool IsFoundOnlyByPlanning(string code) => code == "MC2011";

    /// <summary>
    /// Plans the accessors of a fixture that was read without problems, or explains in <paramref name="diagnostics"/>
    /// why it gets none: MC2011 when another fixture (<paramref name="ownerPath"/>, the first by path) already has its
    /// class name, MC1002 when its contract is not known (<paramref name="family"/> null). A fixture that could not be
    /// read has its own diagnostics and no accessors.
    /// </summary>
    public static AccessorPlan? ForFixture(FixtureModel fixture, string displayPath, string ownerPath, string? family, List<DiagnosticInfo> diagnostics)
    {
        if (fixture.Diagnostics.Count > 0)
        {
            return null;
        }

        if (ownerPath != fixture.Path)
        {
            diagnostics.Add(DiagnosticInfos.At("MC2011", $"fixture '{fixture.Path}' becomes MemoryFixtures.{Identifiers.ToPascalCase(fixture.Name)}, which '{ownerPath}' already is; rename one of the files", fixture.Path, FilePosition.FileStart));
            return null;
        }

        if (family is null)
        {
            diagnostics.Add(DiagnosticInfos.At("MC1002", $"schema_version '{fixture.SchemaVersion}' is not a known contract; no accessors are generated for this fixture", fixture.Path, FilePosition.FileStart));
            return null;
        }

        return Create(fixture, displayPath, family, diagnostics);
    }

    /// <summary>
    /// Plans the accessors of a fixture whose contract is of <paramref name="family"/>. An element id whose C# name
    /// another id (or a generated member) already has gets no accessor, and MC2011 at its position in <paramref name="diagnostics"/>.
    /// </summary>
    private static AccessorPlan Create(FixtureModel fixture, string displayPath, string family, List<DiagnosticInfo> diagnostics)
    {
        var elements = family == "graph"
            ? new[]
            {
                ElementAccessors.Create(fixture, displayPath, "Nodes", "node", fixture.Nodes, diagnostics),
                ElementAccessors.Create(fixture, displayPath, "Edges", "edge", fixture.Edges, diagnostics),
                ElementAccessors.Create(fixture, displayPath, "Events", "event", fixture.Events, diagnostics),
            }
            : [];
        var summary = $"{Describe(family)} '{fixture.Id}' ({displayPath}){(fixture.Title is null ? "." : ": " + fixture.Title)}";
        return new AccessorPlan(Identifiers.ToPascalCase(fixture.Name), summary, fixture.Id ?? string.Empty, fixture.SchemaVersion ?? string.Empty, displayPath, elements);
    }

    /// <summary>The path relative to the project, with forward slashes, so generated code is the same on every machine.</summary>
    public static string DisplayPath(string path, string? projectDirectory)
    {
        var normalized = path.Replace('\\', '/');
        if (projectDirectory is { Length: > 0 })
        {
            var directory = projectDirectory.Replace('\\', '/').TrimEnd('/') + "/";
            if (normalized.StartsWith(directory, System.StringComparison.OrdinalIgnoreCase))
            {
                return normalized.Substring(directory.Length);
            }
        }

        return normalized.Substring(normalized.LastIndexOf('/') + 1);
    }

    /// <summary>The family as the class's summary starts: <c>Graph</c>, <c>Profile</c>, <c>Selection</c>, ...</summary>
    private static string Describe(string family) => char.ToUpperInvariant(family[0]) + family.Substring(1);
}

/// <summary>The ids of one kind of graph element (<c>Nodes</c>, <c>Edges</c> or <c>Events</c>) and their <c>ByKind</c> lists.</summary>
internal sealed class ElementAccessors
{
    /// <summary>The name of the nested class that groups the ids by kind.</summary>
    public const string ByKindClassName = "ByKind";

    private readonly string _definedIn;

    private ElementAccessors(string className, string element, string summary, string displayPath, IReadOnlyList<ElementMember> members, IReadOnlyList<KindGroup> byKind)
    {
        ClassName = className;
        Element = element;
        Summary = summary;
        Members = members;
        ByKind = byKind;
        _definedIn = " (defined at " + SourceWriter.Xml(displayPath) + "(";
    }

    /// <summary>The class's name: <c>Nodes</c>, <c>Edges</c> or <c>Events</c>.</summary>
    public string ClassName { get; }

    /// <summary>The element in words: <c>node</c>, <c>edge</c> or <c>event</c>.</summary>
    public string Element { get; }

    /// <summary>The class's documentation, plain text.</summary>
    public string Summary { get; }

    /// <summary>The ids that get a constant, in file order.</summary>
    public IReadOnlyList<ElementMember> Members { get; }

    /// <summary>The members with a kind, grouped by it, in ordinal order of the groups' names.</summary>
    public IReadOnlyList<KindGroup> ByKind { get; }

    /// <summary>Documentation of the <c>ByKind</c> class.</summary>
    public string ByKindSummary => $"The {Element} ids grouped by kind.";

    /// <summary>Appends a member's documentation, escaped for XML: its kind, title and where its id is defined.</summary>
    public StringBuilder AppendSummary(StringBuilder text, ElementMember member)
    {
        var item = member.Element;
        SourceWriter.AppendXml(text, item.Kind ?? Element).Append(": ");
        return SourceWriter.AppendXml(text, item.Title ?? item.Id).Append(_definedIn)
            .Append((item.IdPosition.StartLine + 1).ToString(CultureInfo.InvariantCulture)).Append(',')
            .Append((item.IdPosition.StartColumn + 1).ToString(CultureInfo.InvariantCulture)).Append("))");
    }

    /// <summary>Documentation of a <c>ByKind</c> list.</summary>
    public string GroupSummary(KindGroup group) => $"The {Element}s of kind '{group.Kind}'.";

    internal static ElementAccessors Create(FixtureModel fixture, string displayPath, string className, string element, EquatableArray<ElementModel> elements, List<DiagnosticInfo> diagnostics)
    {
        var members = new List<ElementMember>(elements.Count);
        var byName = new Dictionary<string, ElementModel>(System.StringComparer.Ordinal);
        var reserved = new HashSet<string>(System.StringComparer.Ordinal) { className, ByKindClassName };
        foreach (var item in elements)
        {
            var member = Identifiers.ToPascalCase(item.Id);
            if (reserved.Contains(member) || byName.ContainsKey(member))
            {
                var other = byName.TryGetValue(member, out var first) ? $"{element} '{first.Id}'" : "a generated member";
                diagnostics.Add(DiagnosticInfos.At("MC2011", $"{element} id '{item.Id}' becomes the C# name '{className}.{member}', which {other} already has; no accessor is generated for it", fixture.Path, item.IdPosition));
                continue;
            }

            byName.Add(member, item);
            members.Add(new ElementMember(member, item));
        }

        var byKind = members
            .Where(member => member.Element.Kind is not null)
            .GroupBy(member => Identifiers.ToPascalCase(member.Element.Kind!))
            .OrderBy(group => group.Key, System.StringComparer.Ordinal)
            .Select(group => new KindGroup(group.Key, group.First().Element.Kind!, group.ToArray()))
            .ToArray();
        return new ElementAccessors(className, element, $"The ids of the {element}s of graph '{fixture.Id}'.", displayPath, members, byKind);
    }
}

/// <summary>An element id with the C# name of its constant.</summary>
/// <param name="Name">The constant's name.</param>
/// <param name="Element">The element.</param>
internal readonly record struct ElementMember(string Name, ElementModel Element);

/// <summary>A <c>ByKind</c> list: the members of one kind.</summary>
/// <param name="Name">The list's C# name.</param>
/// <param name="Kind">The kind, as the fixture writes it.</param>
/// <param name="Members">The members, in file order.</param>
internal sealed record KindGroup(string Name, string Kind, IReadOnlyList<ElementMember> Members);
