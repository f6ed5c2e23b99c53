namespace MemoryContracts.Runtime;

/// <summary>Trust zones ordered as the graph schema lists them, narrowest first.</summary>
internal static class TrustZoneOrder
{
    /// <summary>The zone's place in the order; unknown zones count as the widest.</summary>
    public static int Rank(string zone) => TrustZones.TryParse(zone, out var value) ? TrustZones.All.ToList().IndexOf(value) : int.MaxValue;

    /// <summary>The narrowest zone: what a subject that names none may receive.</summary>
    public static string Narrowest { get; } = TrustZones.All[0].ToWireName();

    /// <summary>Whether a zone is a term of the vocabulary, spelled exactly.</summary>
    public static bool IsKnown(string zone) => TrustZones.TryParse(zone, out _);

    /// <summary>The zones, narrowest first, for messages.</summary>
    public static string Listed => string.Join(", ", TrustZones.All.Select(zone => zone.ToWireName()));

    /// <summary>Whether <paramref name="zone"/> is wider than <paramref name="widest"/>.</summary>
    public static bool IsWider(string zone, string widest) => Rank(zone) > Rank(widest);
}
