using Markdig;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Commons.Web;

/// <summary>
/// Replies are Markdown; the page shows them as HTML made here, by Markdig: raw HTML in a reply is
/// escaped, and links or images that are not http(s) or mailto lose their target, so a model's text
/// can never run script in the page.
/// </summary>
public static class MarkdownRenderer
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .Build();

    /// <summary>The HTML for <paramref name="markdown"/>.</summary>
    public static string ToHtml(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>())
        {
            if (!IsSafe(link.Url))
            {
                link.Url = "";
            }

            // Links open outside the page and tell the other site nothing about it.
            link.GetAttributes().AddPropertyIfNotExist("rel", "noopener noreferrer");
        }

        foreach (var link in document.Descendants<AutolinkInline>())
        {
            if (!IsSafe(link.Url))
            {
                link.Url = "";
            }
        }

        return document.ToHtml(Pipeline);
    }

    private static bool IsSafe(string? url) =>
        string.IsNullOrEmpty(url)
        || url.StartsWith('#')
        || (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "mailto");
}
