namespace Commons.Community.Service;

/// <summary>
/// What the pool answers a member: a value, or a refusal with the status (HTTP's vocabulary, which every
/// transport uses), one sentence and, for a bad artifact, the parser's rejection code.
/// </summary>
public sealed record PoolAnswer<T>(T? Value, int Status, string? Error, string? Rejection = null)
{
    public bool IsOk => Error is null;

    public static PoolAnswer<T> Ok(T value) => new(value, 200, null);

    public static PoolAnswer<T> Refuse(int status, string error, string? rejection = null) => new(default, status, error, rejection);

    /// <summary>The same refusal, for an answer of another type.</summary>
    public PoolAnswer<TOther> As<TOther>() => new(default, Status, Error, Rejection);
}
