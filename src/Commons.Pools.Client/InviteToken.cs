using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Commons.Insights;

namespace Commons.Pools.Client;

/// <summary>
/// An invite to a pool: <c>commons-invite/v1.PAYLOAD.SIGNATURE</c>, where the payload (base64url JSON)
/// names the pool's admin key, an id, the expiry, how many keys may use it and, for another pool,
/// <c>"role": "peer"</c> (a peer may also read the pool's feed); the signature is the admin key's
/// Ed25519 signature over the payload text.
/// </summary>
public sealed record InviteToken(string PoolKey, string Id, DateTimeOffset Expires, int Uses, bool Peer = false)
{
    /// <summary>The payload's role for an invite that admits a peer pool.</summary>
    public const string PeerRole = "peer";

    /// <summary>The token's prefix.</summary>
    public const string Prefix = "commons-invite/v1.";

    /// <summary>Creates and signs an invite with the pool's admin key; <paramref name="peer"/> for another pool.</summary>
    public static string Create(ContributorKey adminKey, TimeSpan lifetime, int uses, DateTimeOffset now, bool peer = false)
    {
        ArgumentNullException.ThrowIfNull(adminKey);
        ArgumentOutOfRangeException.ThrowIfLessThan(uses, 1);
        var id = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var fields = new Dictionary<string, object>
        {
            ["pool"] = adminKey.KeyId,
            ["id"] = id,
            ["expires"] = now.Add(lifetime).ToUnixTimeSeconds(),
            ["uses"] = uses,
        };
        if (peer)
        {
            fields["role"] = PeerRole;
        }

        var payload = JsonSerializer.Serialize(fields);
        var encoded = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload));
        var signature = Base64Url.EncodeToString(adminKey.Sign(Encoding.ASCII.GetBytes(encoded)));
        return Prefix + encoded + "." + signature;
    }

    /// <summary>
    /// Reads a token and checks its signature against the pool key it names; null and a reason when it
    /// is malformed or forged. Whether that key is the pool's admin key is the pool's check.
    /// </summary>
    public static InviteToken? TryRead(string? token, out string reason)
    {
        reason = "The invite is not a commons invite token.";
        if (string.IsNullOrWhiteSpace(token) || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = token[Prefix.Length..].Split('.');
        if (parts.Length != 2 || !Base64Url.IsValid(parts[0]) || !Base64Url.IsValid(parts[1]))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
            var root = document.RootElement;
            var invite = new InviteToken(
                root.GetProperty("pool").GetString() ?? "",
                root.GetProperty("id").GetString() ?? "",
                DateTimeOffset.FromUnixTimeSeconds(root.GetProperty("expires").GetInt64()),
                root.GetProperty("uses").GetInt32(),
                root.TryGetProperty("role", out var role) && role.GetString() == PeerRole);
            if (!ContributorKey.Verify(invite.PoolKey, Encoding.ASCII.GetBytes(parts[0]), Base64Url.DecodeFromChars(parts[1])))
            {
                reason = "The invite's signature does not verify.";
                return null;
            }

            reason = "";
            return invite;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentOutOfRangeException)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"The invite is damaged: {ex.Message}");
            return null;
        }
    }
}
