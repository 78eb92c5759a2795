namespace Commons.Web.Tests;

/// <summary>Replies render as Markdown, and nothing in a reply can run script in the page.</summary>
public sealed class MarkdownRendererTests
{
    [Fact]
    public void ToHtml_MarkdownReply_FormatsEmphasisListsAndCode()
    {
        var html = MarkdownRenderer.ToHtml("**Plan**\n\n- one\n- two\n\n`code`");

        Assert.Contains("<strong>Plan</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<li>one</li>", html, StringComparison.Ordinal);
        Assert.Contains("<code>code</code>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>", "<script")]
    [InlineData("<img src=x onerror=alert(1)>", "<img")]
    [InlineData("[click](javascript:alert(1))", "javascript:")]
    [InlineData("![x](data:text/html;base64,PHNjcmlwdD4=)", "data:")]
    public void ToHtml_HostileReply_CannotRunScript(string reply, string forbidden)
    {
        var html = MarkdownRenderer.ToHtml(reply);

        Assert.DoesNotContain(forbidden, html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ToHtml_WebLink_KeepsItsTargetWithoutReferrer()
    {
        var html = MarkdownRenderer.ToHtml("[docs](https://example.org/a)");

        Assert.Contains("href=\"https://example.org/a\"", html, StringComparison.Ordinal);
        Assert.Contains("noreferrer", html, StringComparison.Ordinal);
    }
}
