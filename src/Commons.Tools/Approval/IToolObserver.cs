namespace Commons.Tools.Approval;

/// <summary>Hears about tool calls as they happen, so a chat can show what ran, with what, and what it returned.</summary>
public interface IToolObserver
{
    void OnToolStarting(ToolCallRequest request);

    void OnToolFinished(ToolCallOutcome outcome);
}
