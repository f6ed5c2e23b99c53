using System.Security.Cryptography;

namespace MemoryContracts.Runtime.Postgres;

/// <summary>
/// A signed statement of where a graph's ledger ended: its last row and that row's MAC. Kept outside the database, it
/// lets <see cref="PostgresMemoryStore.Verify"/> notice a rewind (rows deleted and the head moved back), which the
/// chain alone cannot: the chain of a shortened ledger is still a valid chain.
/// </summary>
/// <param name="Graph">The graph.</param>
/// <param name="Sequence">The last row when the checkpoint was taken.</param>
/// <param name="Mac">That row's MAC, hexadecimal.</param>
/// <param name="KeyVersion">The key version that signed the checkpoint.</param>
/// <param name="Signature">HMAC-SHA256 over the owner, the graph, the sequence and the MAC, hexadecimal.</param>
public sealed record LedgerCheckpoint(string Graph, long Sequence, string Mac, string KeyVersion, string Signature)
{
    /// <summary>Signs a checkpoint with the ring's current key.</summary>
    public static LedgerCheckpoint Sign(IntegrityKeys keys, string owner, string graph, long sequence, string mac) =>
        new(graph, sequence, mac, keys.Current, Convert.ToHexString(Compute(keys, keys.Current, owner, graph, sequence, mac)!));

    /// <summary>Whether the signature is the ring's, for this owner.</summary>
    public bool IsSignedBy(IntegrityKeys keys, string owner) =>
        Compute(keys, KeyVersion, owner, Graph, Sequence, Mac) is { } expected
        && Convert.FromHexString(Signature) is var given
        && CryptographicOperations.FixedTimeEquals(expected, given);

    /// <summary>The checkpoint as text, <c>sequence:mac:version:signature</c>, for <c>--expect-head</c> and witness files.</summary>
    public override string ToString() => $"{Sequence}:{Mac}:{KeyVersion}:{Signature}";

    /// <summary>Reads the text form; null when it is not one.</summary>
    public static LedgerCheckpoint? Parse(string graph, string text)
    {
        var parts = text.Split(':');
        return parts.Length == 4 && long.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var sequence)
            && IsHex(parts[1]) && parts[2].Length > 0 && IsHex(parts[3])
            ? new LedgerCheckpoint(graph, sequence, parts[1], parts[2], parts[3])
            : null;
    }

    private static bool IsHex(string text) => text.Length % 2 == 0 && text.All(Uri.IsHexDigit);

    private static byte[]? Compute(IntegrityKeys keys, string version, string owner, string graph, long sequence, string mac) =>
        keys.SignItem(version, owner, "checkpoint", graph, $"{sequence}\n{mac.ToUpperInvariant()}");
}
