namespace Commons.Cli.Tests;

/// <summary>
/// The tests that start <c>commons</c> processes run one after another: the machine is small and
/// a slow start must not look like a hang.
/// </summary>
[CollectionDefinition(Name)]
public sealed class CommonsCollection
{
    public const string Name = "commons executable";
}
