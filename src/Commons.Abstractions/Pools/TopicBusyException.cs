namespace Commons.Abstractions.Pools;

/// <summary>
/// A topic cannot take or answer this call yet (it is still grouping what it holds); nothing was
/// stored or changed, and the caller tries again in a few seconds (HTTP: 503 with Retry-After).
/// </summary>
[GenerateSerializer, Alias("Commons.TopicBusyException")]
public sealed class TopicBusyException : Exception
{
    public TopicBusyException()
    {
    }

    public TopicBusyException(string message)
        : base(message)
    {
    }

    public TopicBusyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
