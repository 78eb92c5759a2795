using Commons.Tools.Approval;

namespace Commons.Tools.Tests;

/// <summary>An approver with a scripted answer that records what it was asked and what ran.</summary>
internal sealed class RecordingInteraction(bool approve) : IToolApprover, IToolObserver
{
    public List<ToolCallRequest> Asked { get; } = [];

    public List<ToolCallRequest> Started { get; } = [];

    public List<ToolCallOutcome> Finished { get; } = [];

    public Task<bool> ApproveAsync(ToolCallRequest request, CancellationToken cancellationToken)
    {
        Asked.Add(request);
        return Task.FromResult(approve);
    }

    public void OnToolStarting(ToolCallRequest request) => Started.Add(request);

    public void OnToolFinished(ToolCallOutcome outcome) => Finished.Add(outcome);
}
