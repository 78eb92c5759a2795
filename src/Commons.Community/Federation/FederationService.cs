using Commons.Abstractions.Pools;
using Commons.Community.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Commons.Community.Federation;

/// <summary>Pulls every peer pool's feed at the policy's interval (each silo asks; the peer grain serialises).</summary>
public sealed partial class FederationService(
    IGrainFactory grains,
    IOptions<PoolOptions> options,
    TimeProvider time,
    ILogger<FederationService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.FederationIntervalSeconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                foreach (var peer in await grains.GetGrain<IPoolDirectoryGrain>(0).ListPeersAsync().ConfigureAwait(false))
                {
                    await grains.GetGrain<IPeerGrain>(peer).SyncAsync().ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRoundFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A federation round failed; the next one retries.")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);
}
