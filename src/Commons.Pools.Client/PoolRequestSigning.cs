using Commons.Insights;

namespace Commons.Pools.Client;

/// <summary>A pool request's signing inputs; <see cref="Apply"/> (re)writes its signature headers with a fresh nonce.</summary>
public sealed record PoolRequestSigning(ContributorKey Key, TimeProvider Time, string Method, string PathAndQuery, byte[] Body)
{
    public void Apply(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        // The pool accepts each signature once: the nonce keeps two identical calls in one second apart.
        var nonce = RequestSignature.NewNonce();
        var (timestamp, signature) = RequestSignature.Sign(Key, Method, PathAndQuery, Body, Time.GetUtcNow(), nonce);
        foreach (var header in new[] { RequestSignature.KeyHeader, RequestSignature.TimestampHeader, RequestSignature.SignatureHeader, RequestSignature.NonceHeader })
        {
            request.Headers.Remove(header);
        }

        request.Headers.Add(RequestSignature.KeyHeader, Key.KeyId);
        request.Headers.Add(RequestSignature.TimestampHeader, timestamp);
        request.Headers.Add(RequestSignature.SignatureHeader, signature);
        request.Headers.Add(RequestSignature.NonceHeader, nonce);
    }
}
