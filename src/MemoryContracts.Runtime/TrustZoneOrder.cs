namespace MemoryContracts.Runtime;

/// <summary>Trust zones ordered as the graph schema lists them, narrowest first.</summary>
internal static class TrustZoneOrder
{
    /// <summary>The zone's place in the order; unknown zones count as the widest.</summary>
    public static int Rank(string zone) => TrustZones.TryParse(zone, out var value) ? TrustZones.All.ToList().IndexOf(value) : int.MaxValue;

    /// <summary>Whether <paramref name="zone"/> is wider than <paramref name="widest"/>.</summary>
    public static bool IsWider(string zone, string widest) => Rank(zone) > Rank(widest);
}
