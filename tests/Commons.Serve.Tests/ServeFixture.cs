namespace Commons.Serve.Tests;

/// <summary>One <c>commons serve</c> process shared by the tests of the collection (learning on, no key).</summary>
public sealed class ServeFixture : IAsyncLifetime
{
    private ServeProcess? _serve;

    internal ServeProcess Serve => _serve ?? throw new InvalidOperationException("The server has not started.");

    public async Task InitializeAsync() => _serve = await ServeProcess.StartAsync();

    public async Task DisposeAsync()
    {
        if (_serve is not null)
        {
            await _serve.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ServeCollection : ICollectionFixture<ServeFixture>
{
    public const string Name = "commons serve";
}
