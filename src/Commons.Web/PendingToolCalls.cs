using System.Collections.Concurrent;
using Commons.Tools.Approval;

namespace Commons.Web;

/// <summary>
/// The page as the agent's tool front end (what <c>commons chat</c>'s y/n prompt is in the terminal): a
/// call that the policy says needs confirmation waits here until the page answers it, and is refused when
/// nobody answers in time (fail closed), or at once when no page is open (nobody would see the question).
/// The page polls <see cref="Waiting"/> and shows what ran.
/// </summary>
public sealed class PendingToolCalls(TimeProvider time) : IToolApprover, IToolObserver
{
    private const int KeptOutcomes = 50;
    private readonly ConcurrentDictionary<string, Pending> _waiting = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ToolCallView> _finished = new();
    private long _sequence;
    private long _pageSeen = long.MinValue;

    /// <summary>How recently the page must have asked for waiting calls to count as open (it asks every two seconds).</summary>
    public TimeSpan PageOpenWithin { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The page asked what waits: it is open.</summary>
    public void PageSeen() => Interlocked.Exchange(ref _pageSeen, time.GetTimestamp());

    private bool PageOpen => Interlocked.Read(ref _pageSeen) is var seen && seen != long.MinValue && time.GetElapsedTime(seen) <= PageOpenWithin;

    /// <summary>How long a call waits for an answer before it is refused.</summary>
    public TimeSpan AnswerWithin { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Calls waiting for the person's answer, oldest first.</summary>
    public IReadOnlyList<ToolCallView> Waiting => _waiting.Values.Select(p => p.View).OrderBy(v => v.Sequence).ToList();

    /// <summary>The calls that ran or were refused lately, oldest first.</summary>
    public IReadOnlyList<ToolCallView> Finished => [.. _finished];

    public async Task<bool> ApproveAsync(ToolCallRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!PageOpen)
        {
            return false;
        }

        var sequence = Interlocked.Increment(ref _sequence);
        var id = "call" + sequence.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var pending = new Pending(new ToolCallView(id, sequence, request.ToolName, request.ArgumentsJson, "waiting", null, time.GetUtcNow()));
        _waiting[id] = pending;
        try
        {
            return await pending.Answer.Task.WaitAsync(AnswerWithin, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return false;
        }
        finally
        {
            _waiting.TryRemove(id, out _);
        }
    }

    /// <summary>The person's answer to a waiting call; false when no call with that id waits.</summary>
    public bool Answer(string id, bool allow) =>
        _waiting.TryGetValue(id, out var pending) && pending.Answer.TrySetResult(allow);

    public void OnToolStarting(ToolCallRequest request)
    {
    }

    public void OnToolFinished(ToolCallOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var sequence = Interlocked.Increment(ref _sequence);
        _finished.Enqueue(new ToolCallView(
            "call" + sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), sequence, outcome.Request.ToolName,
            outcome.Request.ArgumentsJson, outcome.Status.ToString().ToLowerInvariant(), outcome.Result, time.GetUtcNow()));
        while (_finished.Count > KeptOutcomes)
        {
            _finished.TryDequeue(out _);
        }
    }

    private sealed class Pending(ToolCallView view)
    {
        public ToolCallView View => view;

        public TaskCompletionSource<bool> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
