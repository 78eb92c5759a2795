using System.Net;
using System.Text;
using Commons.Insights;
using Commons.Pools.Client;

namespace Commons.Community.Tests;

public sealed class OutboxTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "commons-outbox-" + Guid.NewGuid().ToString("N"));
    private readonly ContributorKey _key = ContributorKey.Create();

    [Fact]
    public async Task Deliver_PoolFailsTwiceThenAccepts_RetriesWithGrowingBackoff()
    {
        var handler = new ScriptedHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);
        var waits = new List<TimeSpan>();
        var outbox = new PoolOutbox(_folder, (wait, _) => { waits.Add(wait); return Task.CompletedTask; }) { InitialBackoff = TimeSpan.FromSeconds(1) };
        outbox.Enqueue(Artifacts.Sign(_key, "t.outbox", "a situation", "some advice"));
        using var http = new HttpClient(handler) { BaseAddress = new Uri("http://127.0.0.1:9") };

        var delivery = await outbox.DeliverAsync(new PoolClient(http, _key));

        Assert.Equal(1, delivery.Sent);
        Assert.Equal(3, handler.Calls);
        Assert.Equal(2, waits.Count);
        Assert.True(waits[1] > waits[0] / 2 && waits[1] >= TimeSpan.FromSeconds(1), "the second wait is from a doubled backoff");
        Assert.Equal(0, outbox.PendingCount);
        Assert.Equal(1, outbox.SentCount);
    }

    [Fact]
    public async Task Deliver_PoolRejectsArtifact_SetsItAsideWithReasonAndDoesNotRetry()
    {
        var handler = new ScriptedHandler(HttpStatusCode.BadRequest);
        var outbox = new PoolOutbox(_folder, (_, _) => Task.CompletedTask);
        outbox.Enqueue(Artifacts.Sign(_key, "t.outbox", "a situation", "some advice"));
        using var http = new HttpClient(handler) { BaseAddress = new Uri("http://127.0.0.1:9") };

        var delivery = await outbox.DeliverAsync(new PoolClient(http, _key));

        Assert.Equal(1, delivery.Rejected);
        Assert.Equal(1, handler.Calls);
        Assert.Equal(1, outbox.RejectedCount);
        Assert.Contains("scripted refusal", delivery.Reasons[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_PoolUnreachable_KeepsArtifactWaiting()
    {
        var outbox = new PoolOutbox(_folder, (_, _) => Task.CompletedTask) { MaxAttempts = 3 };
        outbox.Enqueue(Artifacts.Sign(_key, "t.outbox", "a situation", "some advice"));
        using var http = new HttpClient(new ScriptedHandler()) { BaseAddress = new Uri("http://127.0.0.1:9") };

        var delivery = await outbox.DeliverAsync(new PoolClient(http, _key));

        Assert.Equal(1, delivery.Waiting);
        Assert.Equal(1, outbox.PendingCount);
    }

    public void Dispose()
    {
        _key.Dispose();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>Answers with the scripted statuses in turn; with none left, the connection fails.</summary>
    private sealed class ScriptedHandler(params HttpStatusCode[] statuses) : HttpMessageHandler
    {
        public int Calls { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Calls >= statuses.Length)
            {
                Calls++;
                throw new HttpRequestException("connection refused");
            }

            var status = statuses[Calls++];
            var body = status == HttpStatusCode.OK
                ? $"{{\"artifactId\":\"x\",\"topic\":\"t.outbox\",\"sequence\":1,\"duplicate\":false,\"receivedAt\":\"{DateTimeOffset.UtcNow:O}\"}}"
                : "{\"error\":\"scripted refusal\"}";
            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }
}
