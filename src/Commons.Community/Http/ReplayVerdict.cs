namespace Commons.Community.Http;

/// <summary>What the <see cref="ReplayCache"/> says about a verified request.</summary>
public enum ReplayVerdict
{
    /// <summary>First seen: go on.</summary>
    Fresh,

    /// <summary>The same signature was accepted before, inside the replay window.</summary>
    Replayed,

    /// <summary>The cache holds its maximum; the request is refused rather than let through unchecked.</summary>
    Full,
}
