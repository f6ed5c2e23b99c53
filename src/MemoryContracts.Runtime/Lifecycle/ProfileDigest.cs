using System.Security.Cryptography;
using MemoryContracts.Model;
using MemoryContracts.Runtime.Json;

namespace MemoryContracts.Runtime.Lifecycle;

/// <summary>The SHA-256 (hex) of a profile's deterministic stored form: a plan binds to the profile it was made under.</summary>
internal static class ProfileDigest
{
    public static string Of(MemoryProfile profile) => Convert.ToHexString(SHA256.HashData(EnvelopeJson.WriteProfile(profile))).ToLowerInvariant();
}
