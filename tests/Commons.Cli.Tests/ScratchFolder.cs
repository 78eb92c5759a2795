namespace Commons.Cli.Tests;

/// <summary>
/// A throw-away folder for one test: the data folder the <c>commons</c> process gets
/// (<see cref="Home"/>, not created in advance) and any files the test prepares beside it.
/// </summary>
internal sealed class ScratchFolder : IDisposable
{
    public ScratchFolder()
    {
        PrivateUmask.Apply();
        Root = Path.Combine(Path.GetTempPath(), "commons-cli-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
        Home = Path.Combine(Root, "home");
    }

    public string Root { get; }

    /// <summary>The COMMONS_HOME the tests give the process by default.</summary>
    public string Home { get; }

    /// <summary>A path inside the scratch folder.</summary>
    public string PathOf(string name) => Path.Combine(Root, name);

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
