using Commons.Personal.Agents;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Commons.Personal.Pools;

/// <summary>
/// Syncs with the pools in the background while a long-running host (<c>commons chat</c>) runs: first a
/// few seconds after start, then every <see cref="PoolSyncOptions.IntervalSeconds"/>. A pool that is down
/// is tried again at the next sync; nothing here waits on a reply or delays one.
/// </summary>
public sealed partial class PoolSyncWorker(PoolSync sync, IOptions<PoolSyncOptions> options, IOptions<AgentOptions> agent, ILogger<PoolSyncWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = options.Value.IntervalSeconds;
        if (every <= 0)
        {
            return;
        }

        try
        {
            await Task.Delay(TimeSpan.FromSeconds(options.Value.FirstSyncSeconds), stoppingToken).ConfigureAwait(false);
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(every));
            do
            {
                try
                {
                    await sync.SyncAsync(agent.Value.UserId, PoolSyncSteps.All, null, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // Never stops the host: the next tick tries again. The exception may quote pool answers: Debug.
                    LogSyncFailed(logger, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A background pool sync failed; it is tried again at the next interval.")]
    private static partial void LogSyncFailed(ILogger logger, Exception exception);
}
