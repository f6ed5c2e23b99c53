using System.Security.Cryptography;
using System.Text;

namespace MemoryContracts.Runtime.Postgres;

/// <summary>
/// The HMAC keys of the ledger, by version. New rows are signed with the current version; rows signed with an
/// older version stay verifiable as long as its key is kept in the ring, so keys rotate without re-signing.
/// </summary>
public sealed class IntegrityKeys
{
    private readonly Dictionary<string, byte[]> _keys;

    /// <summary>Creates a key ring; <paramref name="current"/> must be one of its versions.</summary>
    public IntegrityKeys(string current, IReadOnlyDictionary<string, byte[]> keys)
    {
        if (!keys.ContainsKey(current))
        {
            throw new ArgumentException($"the current key version '{current}' is not in the key ring", nameof(current));
        }

        if (keys.Values.Any(key => key.Length < 16))
        {
            throw new ArgumentException("every integrity key must have at least 16 bytes", nameof(keys));
        }

        Current = current;
        _keys = keys.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>The version new rows are signed with.</summary>
    public string Current { get; }

    /// <summary>The versions in the ring.</summary>
    public IReadOnlyCollection<string> Versions => _keys.Keys;

    /// <summary>
    /// Reads the ring from <c>MEMORYCONTRACTS_HMAC_KEYS</c> (<c>v1=base64;v2=base64</c>; the last one is current
    /// unless <c>MEMORYCONTRACTS_HMAC_CURRENT</c> names another). Null when the variable is not set; a ring that
    /// cannot be used (an entry that is not version=base64, a key under 16 bytes, a current version it lacks) is MC5030.
    /// </summary>
    public static IntegrityKeys? FromEnvironment()
    {
        var ring = Environment.GetEnvironmentVariable("MEMORYCONTRACTS_HMAC_KEYS");
        return string.IsNullOrWhiteSpace(ring) ? null : Parse(ring, Environment.GetEnvironmentVariable("MEMORYCONTRACTS_HMAC_CURRENT"));
    }

    /// <summary>The ring from the environment (see <see cref="FromEnvironment"/>); MC5030 when the variable is not set.</summary>
    public static IntegrityKeys RequireFromEnvironment() =>
        FromEnvironment() ?? throw Unusable("it is not set, and the PostgreSQL engine signs every row");

    /// <summary>MC5030 on <c>MEMORYCONTRACTS_HMAC_KEYS</c>: what is wrong with it, and how to write it.</summary>
    private static MemoryStoreException Unusable(string problem) => new(Diagnostics.DiagnosticCatalog.PostgresSetup.Create(
        Diagnostics.SourceLocation.Origin("MEMORYCONTRACTS_HMAC_KEYS"),
        problem,
        "set it to version=base64-key pairs separated by ';' (the last one current), each key at least 16 random bytes, for example v1=$(head -c 32 /dev/urandom | base64)"));

    /// <summary>
    /// Reads a ring written as <c>v1=base64;v2=base64</c>; the last version is current unless <paramref name="current"/>
    /// names another. A ring that cannot be used is MC5030 naming the entry, never the key itself.
    /// </summary>
    public static IntegrityKeys Parse(string ring, string? current = null)
    {
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        string? last = null;
        var position = 0;
        foreach (var entry in ring.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            position++;
            var split = entry.Split('=', 2);
            if (split.Length != 2 || split[0].Length == 0)
            {
                throw Unusable($"entry {position} is not version=base64");
            }

            var key = new byte[split[1].Length];
            if (!Convert.TryFromBase64String(split[1], key, out var length))
            {
                throw Unusable($"the key of version '{split[0]}' is not base64");
            }

            if (length < 16)
            {
                throw Unusable($"the key of version '{split[0]}' has {length} bytes; an integrity key needs at least 16");
            }

            keys[split[0]] = key[..length];
            last = split[0];
        }

        if (last is null)
        {
            throw Unusable("it names no key");
        }

        current = current is { Length: > 0 } ? current : last;
        return keys.ContainsKey(current)
            ? new IntegrityKeys(current, keys)
            : throw Unusable($"MEMORYCONTRACTS_HMAC_CURRENT names version '{current}', which the ring lacks");
    }

    /// <summary>
    /// The MAC of a row: HMAC-SHA256 with the version's key over the owner, graph, sequence, the previous row's MAC
    /// (the chain) and the canonical body (<see cref="CanonicalText"/>). Null when the version is not in the ring.
    /// </summary>
    public byte[]? Sign(string version, string owner, string graph, long sequence, ReadOnlySpan<byte> previous, string body)
    {
        if (!_keys.TryGetValue(version, out var key))
        {
            return null;
        }

        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(Encoding.UTF8.GetBytes($"{owner}\n{graph}\n{sequence}\n"));
        hmac.AppendData(previous);
        hmac.AppendData("\n"u8);
        hmac.AppendData(Encoding.UTF8.GetBytes(CanonicalText.Of(body)));
        return hmac.GetHashAndReset();
    }

    /// <summary>
    /// The MAC of a stored item that is not an event row (a profile, a graph header, a plan): HMAC-SHA256 over the
    /// owner, what it is and its id, and the canonical body. Null when the version is not in the ring.
    /// </summary>
    public byte[]? SignItem(string version, string owner, string item, string id, string body) => Sign(version, owner, item + ":" + id, 0, [], body);
}
