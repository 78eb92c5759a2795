using System.Collections.Concurrent;

namespace Commons.Personal.Agents;

/// <summary>
/// Work the agent started off the reply path (reflection after feedback). The personal silo lets it
/// finish before it stops, so that what it learned is saved even when the person leaves right away.
/// </summary>
public sealed class BackgroundWork
{
    private readonly ConcurrentDictionary<Task, byte> _running = new();

    /// <summary>Starts <paramref name="work"/> on the thread pool and keeps track of it until it ends.</summary>
    public Task Run(Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var task = Task.Run(work);
        _running[task] = 0;
        _ = task.ContinueWith(t => _running.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return task;
    }

    /// <summary>Waits for the work under way, at most <paramref name="timeout"/>; false when some was still running then.</summary>
    public async Task<bool> DrainAsync(TimeSpan timeout)
    {
        try
        {
            await Task.WhenAll(_running.Keys).WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
