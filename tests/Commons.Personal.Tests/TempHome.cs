using Commons.Abstractions.Hosting;

namespace Commons.Personal.Tests;

/// <summary>A throw-away data folder.</summary>
internal sealed class TempHome : IDisposable
{
    public TempHome() => Home = new CommonsHome(Path.Combine(Path.GetTempPath(), "commons-test-" + Guid.NewGuid().ToString("N")[..10]));

    public CommonsHome Home { get; }

    public string Root => Home.Root;

    public void Dispose()
    {
        if (Directory.Exists(Home.Root))
        {
            Directory.Delete(Home.Root, recursive: true);
        }
    }
}
