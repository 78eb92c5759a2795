using System.Buffers.Text;
using System.Text.Json;
using Commons.Insights;

namespace Commons.Pools.Client;

/// <summary>
/// A pool policy and the admin key's Ed25519 signature (base64url) over its canonical JSON (RFC 8785):
/// anyone holding the pool's admin key id (an invite names it) can check that the rules are the admin's.
/// </summary>
public sealed record SignedPoolPolicy(PoolPolicyDocument Policy, string Signature)
{
    /// <summary>Signs <paramref name="policy"/> with the admin key it names.</summary>
    public static SignedPoolPolicy Sign(PoolPolicyDocument policy, ContributorKey adminKey)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(adminKey);
        if (policy.AdminKey != adminKey.KeyId)
        {
            throw new ArgumentException("The policy names another admin key than the one signing it.", nameof(adminKey));
        }

        return new SignedPoolPolicy(policy, Base64Url.EncodeToString(adminKey.Sign(CanonicalBytes(policy))));
    }

    /// <summary>Whether the signature is <paramref name="adminKey"/>'s over this policy, and the policy names that key.</summary>
    public bool IsSignedBy(string adminKey) =>
        Policy is not null && Policy.AdminKey == adminKey && Base64Url.IsValid(Signature ?? "")
        && ContributorKey.Verify(adminKey, CanonicalBytes(Policy), Base64Url.DecodeFromChars(Signature));

    /// <summary>The bytes the signature covers.</summary>
    public static byte[] CanonicalBytes<T>(T value) => CanonicalJson.SerializeToUtf8(JsonSerializer.SerializeToNode(value, PoolClient.Json));
}
