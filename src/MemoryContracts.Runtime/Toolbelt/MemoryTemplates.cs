namespace MemoryContracts.Runtime.Toolbelt;

/// <summary>The templates of memory files (front matter and anchored canonical sections), per the seed.</summary>
internal static class MemoryTemplates
{
    /// <summary>The names of the templates.</summary>
    public static IReadOnlyList<string> Names { get; } = ["profile", "part", "relationship"];

    /// <summary>A new memory file of a template, for an id and a title.</summary>
    public static string Create(string template, string id, string title)
    {
        var sections = template switch
        {
            "profile" => new[] { ("Overview", "overview v1"), ("Identity", "identity v1"), ("Preferences", "preferences v1"), ("Evidence", "evidence v1"), ("Notes", "notes v1") },
            "part" => [("Identity", "identity v1"), ("Role", "role v1"), ("Evidence", "evidence v1"), ("Relationships", "relationships v1"), ("Notes", "notes v1")],
            "relationship" => [("Parties", "parties v1"), ("Dynamics", "dynamics v1"), ("Evidence", "evidence v1"), ("Notes", "notes v1")],
            _ => throw new ArgumentException($"'{template}' is not a template ({string.Join(", ", Names)})", nameof(template)),
        };
        var lines = new List<string> { "---", $"id: {id}", $"type: {template}", "---", $"# {title}", string.Empty };
        foreach (var (heading, anchor) in sections)
        {
            lines.Add($"## {heading} <!-- anchor: {anchor} -->");
            lines.Add(string.Empty);
        }

        return string.Join("\n", lines) + "\n";
    }
}
