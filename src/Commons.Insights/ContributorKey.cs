using System.Buffers.Text;
using NSec.Cryptography;

namespace Commons.Insights;

/// <summary>
/// A member's Ed25519 signing key for one pool. <see cref="KeyId"/> (<c>ed25519:</c> + base64url of the
/// 32-byte public key) is the artifact's <c>contributor</c>, so any receiver can verify the signature.
/// </summary>
public sealed class ContributorKey : IDisposable
{
    /// <summary>Prefix of every key id.</summary>
    public const string KeyIdPrefix = "ed25519:";

    private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;
    private readonly Key _key;

    private ContributorKey(Key key)
    {
        _key = key;
        KeyId = KeyIdPrefix + Base64Url.EncodeToString(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    /// <summary>The pseudonymous contributor id: <c>ed25519:</c> + base64url (no padding) of the public key.</summary>
    public string KeyId { get; }

    /// <summary>Creates a new random key.</summary>
    public static ContributorKey Create() =>
        new(Key.Create(Algorithm, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

    /// <summary>Imports a 32-byte raw Ed25519 private key (seed).</summary>
    public static ContributorKey Import(ReadOnlySpan<byte> rawPrivateKey) =>
        new(Key.Import(Algorithm, rawPrivateKey, KeyBlobFormat.RawPrivateKey, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

    /// <summary>The 32-byte raw private key, for the person's own key store.</summary>
    public byte[] ExportPrivateKey() => _key.Export(KeyBlobFormat.RawPrivateKey);

    /// <summary>Signs bytes with Ed25519 (64-byte signature).</summary>
    public byte[] Sign(ReadOnlySpan<byte> data) => Algorithm.Sign(_key, data);

    /// <summary>Verifies an Ed25519 signature against a key id; false for a malformed key id.</summary>
    public static bool Verify(string keyId, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (!TryDecodeKeyId(keyId, out var raw))
        {
            return false;
        }

        if (!PublicKey.TryImport(Algorithm, raw, KeyBlobFormat.RawPublicKey, out var publicKey) || publicKey is null)
        {
            return false;
        }

        return signature.Length == Algorithm.SignatureSize && Algorithm.Verify(publicKey, data, signature);
    }

    /// <summary>True when the text has the shape of a key id (prefix and 32 bytes of base64url).</summary>
    public static bool IsWellFormedKeyId(string keyId) => TryDecodeKeyId(keyId, out _);

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();

    private static bool TryDecodeKeyId(string keyId, out byte[] raw)
    {
        raw = [];
        if (!keyId.StartsWith(KeyIdPrefix, StringComparison.Ordinal) || keyId.Length != KeyIdPrefix.Length + 43)
        {
            return false;
        }

        var encoded = keyId[KeyIdPrefix.Length..];
        if (!Base64Url.IsValid(encoded))
        {
            return false;
        }

        raw = Base64Url.DecodeFromChars(encoded);
        return raw.Length == 32 && Base64Url.EncodeToString(raw) == encoded;
    }
}
