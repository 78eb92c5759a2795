using Commons.Abstractions.Hosting;
using Commons.Serve.Hosting;

namespace Commons.Serve.Tests;

public sealed class ServeAccessTests
{
    [Theory]
    [InlineData("http://127.0.0.1:11435")]
    [InlineData("http://localhost:8080")]
    [InlineData("http://[::1]:11435")]
    [InlineData("http://127.0.0.1:1;http://localhost:2")]
    public void Check_LoopbackWithoutKey_IsAllowed(string urls) =>
        ServeAccess.Check(new ServeOptions { Urls = urls });

    [Theory]
    [InlineData("http://0.0.0.0:11435")]
    [InlineData("http://*:11435")]
    [InlineData("http://+:11435")]
    [InlineData("http://192.168.1.5:11435")]
    [InlineData("http://127.0.0.1:1;http://10.0.0.2:2")]
    public void Check_BeyondLoopbackWithoutKey_IsRefusedNamingTheSetting(string urls)
    {
        var error = Assert.Throws<CommonsException>(() => ServeAccess.Check(new ServeOptions { Urls = urls }));

        Assert.Contains("Serve:ApiKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_BeyondLoopbackWithKey_IsAllowed() =>
        ServeAccess.Check(new ServeOptions { Urls = "http://0.0.0.0:11435", ApiKey = "k" });

    [Fact]
    public void Check_NotAUrl_IsRefused()
    {
        var error = Assert.Throws<CommonsException>(() => ServeAccess.Check(new ServeOptions { Urls = "ftp://127.0.0.1:21" }));

        Assert.Contains("is not an address", error.Message, StringComparison.Ordinal);
    }
}
