using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;

namespace MemoryContracts.Runtime.Review;

/// <summary>
/// Reviewer keys and signed approvals. A reviewer holds an ECDSA P-256 private key (PKCS#8 PEM); the profile declares
/// the public half as <c>ecdsa-p256:</c> followed by the base64 SubjectPublicKeyInfo. An approval signs a statement
/// that names the format, the plan id, the reviewer, the time and the reason, so a signature for one plan, reviewer
/// or time approves nothing else.
/// </summary>
public static class ApprovalSigner
{
    /// <summary>The prefix of a declared reviewer key.</summary>
    public const string KeyPrefix = "ecdsa-p256:";

    private const string StatementFormat = "markitect.memory.approval.v1";

    /// <summary>A new reviewer key pair: the private key as PKCS#8 PEM (keep it secret) and the public key to declare in the profile.</summary>
    public static (string PrivateKeyPem, string PublicKey) CreateKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return (key.ExportPkcs8PrivateKeyPem(), KeyPrefix + Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>The public key (as a profile declares it) of a PKCS#8 PEM private key; null if the text is not a P-256 private key.</summary>
    public static string? PublicKeyOf(string privateKeyPem)
    {
        using var key = ReadPrivateKey(privateKeyPem);
        return key is null ? null : KeyPrefix + Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());
    }

    /// <summary>Signs an approval of a plan by a reviewer with their private key (PKCS#8 PEM).</summary>
    /// <exception cref="ArgumentException">The key is not an ECDSA P-256 private key.</exception>
    public static Approval Sign(string planId, string reviewer, string at, string reason, string privateKeyPem)
    {
        using var key = ReadPrivateKey(privateKeyPem) ?? throw new ArgumentException("not an ECDSA P-256 private key in PKCS#8 PEM form", nameof(privateKeyPem));
        var approval = new Approval(reviewer, at, reason) { Plan = planId };
        return approval with { Signature = Convert.ToBase64String(key.SignData(Statement(approval), HashAlgorithmName.SHA256)) };
    }

    /// <summary>Whether a declared public key is a usable ECDSA P-256 key.</summary>
    public static bool IsValidPublicKey(string declared)
    {
        using var key = ReadPublicKey(declared);
        return key is not null;
    }

    /// <summary>Whether the approval's signature verifies with the declared public key over its own statement.</summary>
    public static bool Verify(Approval approval, string declaredPublicKey)
    {
        using var key = ReadPublicKey(declaredPublicKey);
        if (key is null || approval.Plan is null || approval.Signature is null)
        {
            return false;
        }

        var signature = new byte[64];
        return Convert.TryFromBase64String(approval.Signature, signature, out var length) && length == 64
            && key.VerifyData(Statement(approval), signature, HashAlgorithmName.SHA256);
    }

    /// <summary>The bytes a reviewer signs: compact JSON of format, plan, reviewer, time and reason, in this order.</summary>
    internal static byte[] Statement(Approval approval)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteString("format", StatementFormat);
            writer.WriteString("plan", approval.Plan);
            writer.WriteString("reviewer", approval.By);
            writer.WriteString("at", approval.At);
            writer.WriteString("reason", approval.Reason);
            writer.WriteEndObject();
        }

        return output.WrittenSpan.ToArray();
    }

    private static bool IsP256(ECDsa key) =>
        key.KeySize == 256 && key.ExportParameters(includePrivateParameters: false).Curve.Oid.Value == ECCurve.NamedCurves.nistP256.Oid.Value;

    private static ECDsa? ReadPrivateKey(string pem)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            if (IsP256(key))
            {
                return key;
            }
        }
        catch (Exception exception) when (exception is ArgumentException or CryptographicException)
        {
        }

        key.Dispose();
        return null;
    }

    private static ECDsa? ReadPublicKey(string declared)
    {
        if (!declared.StartsWith(KeyPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var key = ECDsa.Create();
        try
        {
            var bytes = Convert.FromBase64String(declared[KeyPrefix.Length..]);
            key.ImportSubjectPublicKeyInfo(bytes, out var read);
            if (read == bytes.Length && IsP256(key))
            {
                return key;
            }
        }
        catch (Exception exception) when (exception is FormatException or CryptographicException)
        {
        }

        key.Dispose();
        return null;
    }
}
