using System.Text;
using Commons.Insights;
using Commons.Pools.Client;

namespace Commons.Community.Tests;

/// <summary>The signed-request headers, without a pool.</summary>
public sealed class RequestSignatureTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private readonly ContributorKey _key = ContributorKey.Create();

    public void Dispose() => _key.Dispose();

    [Fact]
    public void Verify_SignedRequest_Verifies()
    {
        var body = Encoding.UTF8.GetBytes("{}");
        var (timestamp, signature) = RequestSignature.Sign(_key, "POST", PoolWire.Query, body, Now);

        Assert.Null(RequestSignature.Verify(_key.KeyId, timestamp, signature, "POST", PoolWire.Query, body, Now));
    }

    [Fact]
    public void Verify_SignatureWithPadding_DoesNotVerify()
    {
        var body = Encoding.UTF8.GetBytes("{}");
        var (timestamp, signature) = RequestSignature.Sign(_key, "POST", PoolWire.Query, body, Now);

        var reason = RequestSignature.Verify(_key.KeyId, timestamp, signature + "==", "POST", PoolWire.Query, body, Now);

        Assert.NotNull(reason);
        Assert.Contains("canonical", reason, StringComparison.Ordinal);
    }
}
