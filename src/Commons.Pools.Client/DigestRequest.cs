namespace Commons.Pools.Client;

/// <summary>A page of a topic's served insights, in the order they were first served (one read of the member's allowance).</summary>
public sealed record DigestRequest(string Topic, int After = 0, int Max = DigestRequest.PageSize)
{
    /// <summary>Most insights in one page.</summary>
    public const int PageSize = 50;
}
