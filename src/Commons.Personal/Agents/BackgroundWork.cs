using System.Collections.Concurrent;

namespace Commons.Personal.Agents;

/// <summary>
/// Work the agent started off the reply path (reflection after feedback). The personal silo lets it
/// finish before it stops, so that what it learned is saved even when the person leaves right away;
/// the person can also stop it, and then what it had not saved is dropped.
/// </summary>
public sealed class BackgroundWork : IDisposable
{
    /// <summary>How long stopping waits for work that was told to stop now.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<Task, string> _running = new();
    private readonly CancellationTokenSource _stopNow = new();

    /// <summary>
    /// Starts <paramref name="work"/> on the thread pool and keeps track of it until it ends. <paramref name="what"/>
    /// names it for the person ("reflection on your recent feedback"); the token fires when they stop it.
    /// </summary>
    public Task Run(string what, Func<CancellationToken, Task> work)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(what);
        ArgumentNullException.ThrowIfNull(work);
        var token = _stopNow.Token;
        var task = Task.Run(() => work(token), CancellationToken.None);
        _running[task] = what;
        _ = task.ContinueWith(t => _running.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return task;
    }

    /// <summary>What is still running, as the person would name it; null when nothing is.</summary>
    public string? Running => _running.Where(r => !r.Key.IsCompleted).Select(r => r.Value).FirstOrDefault();

    /// <summary>
    /// Waits for the work under way, at most <paramref name="timeout"/>; when <paramref name="stopNow"/> fires first,
    /// the work is told to stop (what it had not saved is dropped). False when some did not finish.
    /// </summary>
    public async Task<bool> DrainAsync(TimeSpan timeout, CancellationToken stopNow = default)
    {
        if (_stopNow.IsCancellationRequested)
        {
            // Stopped once already: nothing more is waited for.
            return _running.IsEmpty;
        }

        var all = Task.WhenAll(_running.Keys);
        try
        {
            await all.WaitAsync(timeout, stopNow).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (OperationCanceledException) when (stopNow.IsCancellationRequested)
        {
            await _stopNow.CancelAsync().ConfigureAwait(false);
            // The work ends at its next check (a model stops between two tokens); its own failure is its own log's.
            await Task.WhenAny(all, Task.Delay(StopGrace, CancellationToken.None)).ConfigureAwait(false);
            return false;
        }
    }

    public void Dispose() => _stopNow.Dispose();
}
