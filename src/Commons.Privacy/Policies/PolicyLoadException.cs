namespace Commons.Privacy.Policies;

/// <summary>The policy set did not load; every error names its file and line.</summary>
public sealed class PolicyLoadException : Exception
{
    public PolicyLoadException(IReadOnlyList<PolicyError> errors)
        : base(errors.Count == 0 ? "The policies did not load." : $"The policies did not load: {errors[0]}" + (errors.Count > 1 ? $" (and {errors.Count - 1} more)" : ""))
    {
        Errors = errors;
    }

    public PolicyLoadException(string message)
        : base(message)
    {
        Errors = [];
    }

    public PolicyLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    public PolicyLoadException()
    {
        Errors = [];
    }

    /// <summary>Every problem found, in file order.</summary>
    public IReadOnlyList<PolicyError> Errors { get; }
}
