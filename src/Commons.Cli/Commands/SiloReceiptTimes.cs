using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Commons.Community.Hosting;

namespace Commons.Cli.Commands;

/// <summary>
/// The silo's own receipt times (the <c>commons.pool.receipt.duration</c> histogram: from the pool
/// service handing an artifact to its topic until it is durable), listened to in process, so that
/// the bench can say how much of a member's receipt latency is the write path and how much is the
/// request around it (HTTP, signature checks, waiting for a thread).
/// </summary>
internal sealed class SiloReceiptTimes : IDisposable
{
    private readonly MeterListener _listener = new();
    private ConcurrentBag<double> _values = [];

    public SiloReceiptTimes()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == PoolMetrics.MeterName && instrument.Name == "commons.pool.receipt.duration")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, value, _, _) => _values.Add(value));
        _listener.Start();
    }

    /// <summary>The times recorded since the last call, and a fresh start.</summary>
    public List<double> Take() => Interlocked.Exchange(ref _values, []).ToList();

    public void Dispose() => _listener.Dispose();
}
