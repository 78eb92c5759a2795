using System.Buffers.Text;
using Commons.Insights;

namespace Commons.Pools.Client;

/// <summary>A statement and an Ed25519 signature (base64url) over its canonical JSON by the key it names as its author.</summary>
public sealed record SignedStatement<T>(T Statement, string Signature)
    where T : class
{
    /// <summary>Signs <paramref name="statement"/> with <paramref name="key"/>.</summary>
    public static SignedStatement<T> Sign(T statement, ContributorKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new SignedStatement<T>(statement, Base64Url.EncodeToString(key.Sign(SignedPoolPolicy.CanonicalBytes(statement))));
    }

    /// <summary>Whether <paramref name="keyId"/> signed the statement.</summary>
    public bool IsSignedBy(string keyId) =>
        Statement is not null && Base64Url.IsValid(Signature ?? "")
        && ContributorKey.Verify(keyId, SignedPoolPolicy.CanonicalBytes(Statement), Base64Url.DecodeFromChars(Signature));
}
