using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Commons.Insights;

namespace Commons.Pools.Client;

/// <summary>
/// How every request to a pool is signed: Ed25519 by the member key over
/// <c>commons-request/v1 \n METHOD \n path?query \n unix-seconds \n sha256(body)</c>, plus
/// <c>\n nonce</c> when a nonce is sent, in three or four headers. The timestamp bounds replays to a
/// short window and the pool accepts each signature once within it; the nonce lets a client send the
/// same request twice in one second as two requests.
/// </summary>
public static class RequestSignature
{
    /// <summary>The member key id (<c>ed25519:...</c>).</summary>
    public const string KeyHeader = "Commons-Key";

    /// <summary>Unix seconds when the request was signed.</summary>
    public const string TimestampHeader = "Commons-Timestamp";

    /// <summary>base64url of the Ed25519 signature.</summary>
    public const string SignatureHeader = "Commons-Signature";

    /// <summary>A random value that makes each request (and so its signature) unique; optional, signed when present.</summary>
    public const string NonceHeader = "Commons-Nonce";

    /// <summary>Longest nonce accepted.</summary>
    public const int MaxNonceLength = 64;

    /// <summary>How far a request's timestamp may be from the pool's clock.</summary>
    public static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(5);

    /// <summary>The exact bytes that are signed.</summary>
    public static byte[] StringToSign(string method, string pathAndQuery, long unixSeconds, ReadOnlySpan<byte> body, string? nonce = null)
    {
        var bodyHash = Convert.ToHexStringLower(SHA256.HashData(body));
        var text = string.Create(CultureInfo.InvariantCulture,
            $"commons-request/v1\n{method.ToUpperInvariant()}\n{pathAndQuery}\n{unixSeconds}\n{bodyHash}");
        return Encoding.UTF8.GetBytes(string.IsNullOrEmpty(nonce) ? text : text + "\n" + nonce);
    }

    /// <summary>A fresh random nonce (128 bits, base64url).</summary>
    public static string NewNonce() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    /// <summary>Signs a request: returns the timestamp and signature header values.</summary>
    public static (string Timestamp, string Signature) Sign(ContributorKey key, string method, string pathAndQuery, ReadOnlySpan<byte> body, DateTimeOffset now, string? nonce = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        var seconds = now.ToUnixTimeSeconds();
        var signature = key.Sign(StringToSign(method, pathAndQuery, seconds, body, nonce));
        return (seconds.ToString(CultureInfo.InvariantCulture), Base64Url.EncodeToString(signature));
    }

    /// <summary>Checks a request's headers; null when it is good, otherwise the reason.</summary>
    public static string? Verify(string? keyId, string? timestamp, string? signature, string method, string pathAndQuery, ReadOnlySpan<byte> body, DateTimeOffset now, string? nonce = null)
    {
        if (string.IsNullOrEmpty(keyId) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            return $"The request is not signed: the {KeyHeader}, {TimestampHeader} and {SignatureHeader} headers are required.";
        }

        if (!ContributorKey.IsWellFormedKeyId(keyId))
        {
            return $"{KeyHeader} is not an ed25519 key id.";
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return $"{TimestampHeader} must be unix seconds.";
        }

        var skew = (now - DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253402300799))).Duration();
        if (skew > MaxSkew)
        {
            return $"The request was signed {skew.TotalSeconds:F0} s away from the pool's clock; at most {MaxSkew.TotalSeconds:F0} s are allowed.";
        }

        if (!string.IsNullOrEmpty(nonce) && (nonce.Length > MaxNonceLength || !Base64Url.IsValid(nonce)))
        {
            return $"{NonceHeader} must be at most {MaxNonceLength} base64url characters.";
        }

        byte[] raw;
        try
        {
            raw = Base64Url.DecodeFromChars(signature);
        }
        catch (FormatException)
        {
            return $"{SignatureHeader} is not base64url.";
        }

        // One spelling per signature (no padding, no stray low bits), so that a replay cache keyed on
        // the header cannot be sidestepped by re-encoding the same signature.
        if (!string.Equals(Base64Url.EncodeToString(raw), signature, StringComparison.Ordinal))
        {
            return $"{SignatureHeader} is not canonical base64url (no padding).";
        }

        return ContributorKey.Verify(keyId, StringToSign(method, pathAndQuery, seconds, body, nonce), raw)
            ? null
            : "The request signature does not verify against its key.";
    }
}
