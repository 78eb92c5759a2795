namespace Commons.Tools.Approval;

/// <summary>
/// Where the chat front end plugs in: the approver for calls that need a yes, and an observer. With
/// nothing attached, calls that need approval are refused (fail closed).
/// </summary>
public sealed class ToolInteraction
{
    private volatile Attachment? _attached;

    /// <summary>Attaches a front end until the returned handle is disposed.</summary>
    public IDisposable Attach(IToolApprover approver, IToolObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(approver);
        var attachment = new Attachment(this, approver, observer);
        _attached = attachment;
        return attachment;
    }

    internal Task<bool> ApproveAsync(ToolCallRequest request, CancellationToken cancellationToken) =>
        _attached is { } attached ? attached.Approver.ApproveAsync(request, cancellationToken) : Task.FromResult(false);

    internal void Starting(ToolCallRequest request) => _attached?.Observer?.OnToolStarting(request);

    internal void Finished(ToolCallOutcome outcome) => _attached?.Observer?.OnToolFinished(outcome);

    private sealed class Attachment(ToolInteraction owner, IToolApprover approver, IToolObserver? observer) : IDisposable
    {
        public IToolApprover Approver => approver;

        public IToolObserver? Observer => observer;

        public void Dispose() => Interlocked.CompareExchange(ref owner._attached, null, this);
    }
}
