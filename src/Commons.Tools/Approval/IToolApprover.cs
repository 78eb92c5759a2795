namespace Commons.Tools.Approval;

/// <summary>
/// Asks the person whether a tool call that needs confirmation may run (in <c>commons chat</c>, a y/n
/// prompt). Called off the grain's thread only through awaits; implementations must not block it.
/// </summary>
public interface IToolApprover
{
    /// <summary>True when the person agrees to the call.</summary>
    Task<bool> ApproveAsync(ToolCallRequest request, CancellationToken cancellationToken);
}
