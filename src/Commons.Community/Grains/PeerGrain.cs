using Commons.Community.Hosting;
using Commons.Community.Pooling;
using Commons.Community.Service;
using Commons.Abstractions.Pools;
using Commons.Insights;
using Commons.Pools.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Commons.Community.Grains;

/// <summary>
/// Replication from one peer pool. Every artifact from the peer's feed is parsed and its signature
/// verified here, against its own contributor key, before it enters a local topic: the peer is a relay
/// and need not be trusted.
/// </summary>
public sealed partial class PeerGrain(
    [PersistentState("peer", PoolStorageNames.Pool)] IPersistentState<PeerState> state,
    IHttpClientFactory httpClients,
    TimeProvider time,
    IOptions<PoolOptions> options,
    ILogger<PeerGrain> logger,
    TopicDirectory? directory = null) : Grain, IPeerGrain
{
    /// <summary>The named HttpClient peers are reached with.</summary>
    public const string HttpClientName = "commons-peers";

    private const int PageSize = 256;
    private ContributorKey? _key;

    private string Url => this.GetPrimaryKeyString();

    public async Task<PeerStatus> JoinAsync(string invite)
    {
        var client = await ClientAsync();
        try
        {
            await client.JoinAsync(invite);
            state.State.Joined = true;
            state.State.LastError = null;
        }
        catch (Exception ex) when (ex is PoolApiException or HttpRequestException or TaskCanceledException)
        {
            state.State.LastError = ex.Message;
        }

        await state.WriteStateAsync();
        return Status();
    }

    public async Task<PeerStatus> SyncAsync()
    {
        if (!state.State.Joined)
        {
            return Status();
        }

        var client = await ClientAsync();
        try
        {
            var capped = 0;
            var busy = 0;
            foreach (var topic in await client.ListTopicsAsync())
            {
                // The topic cap holds for what peers relay as for what members publish; a topic left
                // out keeps its cursor, so it arrives whole if the cap is raised.
                if (directory is not null && !await directory.TryRegisterAsync(topic, options.Value.MaxTopics))
                {
                    capped++;
                    continue;
                }

                try
                {
                    await RelayTopicAsync(client, topic);
                }
                catch (TopicBusyException)
                {
                    // This topic still owes its grouping too many new texts: its cursor stays where the
                    // last whole page left it, and the other topics (and withdrawals) go on.
                    busy++;
                }
            }

            if (busy > 0)
            {
                LogTopicsBusy(logger, Url, busy);
            }

            if (capped > 0)
            {
                LogTopicsCapped(logger, Url, capped, options.Value.MaxTopics);
            }

            await SyncWithdrawalsAsync(client);
        }
        catch (Exception ex) when (ex is PoolApiException or HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            LogSyncFailed(logger, Url, ex.Message);
            state.State.LastError = ex.Message;
        }

        state.State.LastSync = time.GetUtcNow();
        await state.WriteStateAsync();
        return Status();
    }

    public Task<PeerStatus> GetStatusAsync() => Task.FromResult(Status());

    private async Task RelayTopicAsync(PoolClient client, string topic)
    {
        while (true)
        {
            var after = state.State.Cursors.GetValueOrDefault(topic);
            var page = await client.ReadFeedAsync(topic, after, PageSize);
            foreach (var item in page.Items)
            {
                await ReplicateAsync(topic, item);
            }

            state.State.Cursors[topic] = page.Next;
            state.State.LastError = null;
            await state.WriteStateAsync();
            // A page can be empty yet not the last: the peer passes over what it withdrew.
            if (!page.HasMore || page.Next <= after)
            {
                return;
            }
        }
    }

    private async Task ReplicateAsync(string topic, StoredArtifact item)
    {
        var parsed = InsightArtifactParser.Parse(item.Json, time.GetUtcNow());
        if (!parsed.IsValid || parsed.Artifact.Topic != topic)
        {
            state.State.Rejected++;
            LogRejected(logger, Url, item.Sequence, parsed.Reason ?? "it belongs to another topic");
            return;
        }

        var artifact = parsed.Artifact;
        if (ServiceProvider.GetService<PoolGovernance>()?.Check(artifact) is { } refusal)
        {
            // This pool's own policy applies to what its peers relay as to what its members send.
            state.State.Rejected++;
            LogRejected(logger, Url, item.Sequence, refusal.Reason);
            return;
        }

        var json = artifact.ToJson();
        var pooled = PooledArtifacts.From(artifact, json, item.Source ?? Url);
        var receipt = await GrainFactory.GetGrain<IInsightPoolGrain>(topic).PublishAsync(pooled);
        if (!receipt.Duplicate)
        {
            state.State.Replicated++;
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _key?.Dispose();
        return Task.CompletedTask;
    }

    private async Task<PoolClient> ClientAsync()
    {
        _key ??= ContributorKey.Import(await GrainFactory.GetGrain<IPoolDirectoryGrain>(0).GetFederationKeyAsync());
        var http = httpClients.CreateClient(HttpClientName);
        http.BaseAddress = new Uri(Url);
        return new PoolClient(http, _key, time);
    }

    private PeerStatus Status() => new(Url, state.State.Joined, state.State.Replicated, state.State.Rejected, state.State.LastSync, state.State.LastError);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replication from {Peer} stopped: {Reason}")]
    private static partial void LogSyncFailed(ILogger logger, string peer, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Topics} topics of {Peer} were not replicated: this pool holds as many topics as Pool:MaxTopics ({MaxTopics}) allows.")]
    private static partial void LogTopicsCapped(ILogger logger, string peer, int topics, int maxTopics);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Topics} topics of {Peer} wait for the next sync: they still owe their grouping too many new texts.")]
    private static partial void LogTopicsBusy(ILogger logger, string peer, int topics);

        [LoggerMessage(Level = LogLevel.Warning, Message = "An artifact from {Peer} at {Sequence} was refused: {Reason}")]
    private static partial void LogRejected(ILogger logger, string peer, long sequence, string reason);
}
