using Microsoft.AspNetCore.Http;

namespace Commons.Web.Tests;

/// <summary>Which requests may change something: the page's own, programs that are not browsers, never another site's page.</summary>
public sealed class SameOriginTests
{
    [Theory]
    [InlineData("POST", "http://127.0.0.1:11435", null, true)]
    [InlineData("POST", null, "same-origin", true)]
    [InlineData("POST", null, null, true)]
    [InlineData("PUT", "http://127.0.0.1:11435", "same-origin", true)]
    [InlineData("GET", "http://evil.example", "cross-site", true)]
    [InlineData("POST", "http://evil.example", null, false)]
    [InlineData("POST", "http://localhost:11435", null, false)]
    [InlineData("POST", "https://127.0.0.1:11435", null, false)]
    [InlineData("POST", "null", null, false)]
    [InlineData("POST", null, "cross-site", false)]
    [InlineData("POST", null, "same-site", false)]
    [InlineData("DELETE", "http://127.0.0.1:11435", "cross-site", false)]
    public void Allows_OriginAndFetchSite_OnlyThisPageOrNonBrowsers(string method, string? origin, string? site, bool allowed)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("127.0.0.1:11435");
        if (origin is not null)
        {
            context.Request.Headers.Origin = origin;
        }

        if (site is not null)
        {
            context.Request.Headers["Sec-Fetch-Site"] = site;
        }

        Assert.Equal(allowed, SameOrigin.Allows(context.Request));
    }

    [Fact]
    public void Allows_OriginTheOwnerListed_OnlyThatOne()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Host = new HostString("127.0.0.1:11435");
        context.Request.Headers.Origin = "http://editor.local:3000";
        context.Request.Headers["Sec-Fetch-Site"] = "cross-site";

        Assert.True(SameOrigin.Allows(context.Request, ["http://editor.local:3000"]));
        Assert.False(SameOrigin.Allows(context.Request, ["http://other.local:3000"]));
        Assert.False(SameOrigin.Allows(context.Request));
    }
}
