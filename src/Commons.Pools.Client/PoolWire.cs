namespace Commons.Pools.Client;

/// <summary>The paths of the pool HTTP API (v1).</summary>
public static class PoolWire
{
    public const string Join = "/v1/join";
    public const string Artifacts = "/v1/artifacts";
    public const string Query = "/v1/query";
    public const string Digest = "/v1/digest";
    public const string Outcomes = "/v1/outcomes";
    public const string Withdrawn = "/v1/withdrawn";
    public const string Policy = "/v1/policy";
    public const string Topics = "/v1/topics";
    public const string Feed = "/v1/feed";
    public const string Me = "/v1/members/me";
    public const string Peers = "/v1/admin/peers";
    public const string Reports = "/v1/reports";
    public const string Forget = "/v1/forget";
    public const string Audit = "/v1/audit";
    public const string Withdrawals = "/v1/feed/withdrawals";
    public const string Moderation = "/v1/admin/moderation";
    public const string Health = "/health";
}
