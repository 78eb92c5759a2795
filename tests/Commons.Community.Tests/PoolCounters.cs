using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Commons.Community.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Community.Tests;

/// <summary>
/// The totals of one silo's <c>Commons.Pool</c> counters, as its Prometheus endpoint adds them up: only
/// that silo's meter (by its meter factory), so other pools in the same test process do not count.
/// Keyed by instrument name, and by <c>name/tag</c> for a tagged measurement.
/// </summary>
internal sealed class PoolCounters : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _totals = new(StringComparer.Ordinal);

    public PoolCounters(CommunitySilo silo)
    {
        var factory = silo.Services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == PoolMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            _totals.AddOrUpdate(instrument.Name, value, (_, total) => total + value);
            foreach (var tag in tags)
            {
                _totals.AddOrUpdate($"{instrument.Name}/{tag.Value}", value, (_, total) => total + value);
            }
        });
        _listener.Start();
    }

    public long this[string name] => _totals.GetValueOrDefault(name);

    public void Dispose() => _listener.Dispose();
}
