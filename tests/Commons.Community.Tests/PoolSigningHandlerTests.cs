using System.Net;
using Commons.Insights;
using Commons.Pools.Client;

namespace Commons.Community.Tests;

/// <summary>Each attempt at a pool request carries a signature of its own, so a retry is never taken for a replay.</summary>
public sealed class PoolSigningHandlerTests
{
    [Fact]
    public async Task SendAsync_SameRequestTwice_EachAttemptSignedAfreshAndVerifies()
    {
        using var key = ContributorKey.Create();
        var recorder = new Recorder();
        using var invoker = new HttpMessageInvoker(new PoolSigningHandler { InnerHandler = recorder });
        var body = "{\"topic\":\"t\"}"u8.ToArray();
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://pool.test/v1/digest") { Content = new ByteArrayContent(body) };
        var signing = new PoolRequestSigning(key, TimeProvider.System, "POST", "/v1/digest", body);
        signing.Apply(request);
        request.Options.Set(PoolSigningHandler.Signing, signing);

        // What a retry handler does: the same request goes down the inner handlers again.
        await invoker.SendAsync(request, CancellationToken.None);
        await invoker.SendAsync(request, CancellationToken.None);

        Assert.Equal(2, recorder.Seen.Count);
        Assert.NotEqual(recorder.Seen[0].Nonce, recorder.Seen[1].Nonce);
        Assert.NotEqual(recorder.Seen[0].Signature, recorder.Seen[1].Signature);
        Assert.All(recorder.Seen, s => Assert.Null(RequestSignature.Verify(key.KeyId, s.Timestamp, s.Signature, "POST", "/v1/digest", body, DateTimeOffset.UtcNow, s.Nonce)));
    }

    private sealed class Recorder : HttpMessageHandler
    {
        public List<(string Timestamp, string Signature, string Nonce)> Seen { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Seen.Add((request.Headers.GetValues(RequestSignature.TimestampHeader).Single(), request.Headers.GetValues(RequestSignature.SignatureHeader).Single(),
                request.Headers.GetValues(RequestSignature.NonceHeader).Single()));
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        }
    }
}
