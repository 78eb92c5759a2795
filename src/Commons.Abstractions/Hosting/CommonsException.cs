namespace Commons.Abstractions.Hosting;

/// <summary>
/// A failure a person can cause and fix (a bad path, a damaged file, a bad setting).
/// The command line prints <see cref="Exception.Message"/> as one sentence and exits with code 2.
/// </summary>
public sealed class CommonsException : Exception
{
    public CommonsException(string message)
        : base(message)
    {
    }

    public CommonsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CommonsException()
    {
    }
}
