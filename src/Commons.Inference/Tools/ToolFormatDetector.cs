using Commons.Inference.Llama;

namespace Commons.Inference.Tools;

/// <summary>Works out a model's tool format from its chat template.</summary>
public static class ToolFormatDetector
{
    private const string TemplateKey = "tokenizer.chat_template";

    /// <summary>The tool format of a loaded model: from the GGUF's template text, else from the named template.</summary>
    public static ToolFormat Detect(LocalModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        string? template = null;
        if (model.TemplateFromFile)
        {
            model.Weights.Metadata.TryGetValue(TemplateKey, out template);
        }

        return Detect(template, model.TemplateFromFile ? null : model.TemplateName);
    }

    /// <summary>
    /// The tool format a chat template implies. A template that mentions the family's tool markers wins;
    /// a named template (no text) maps <c>llama3</c> and <c>mistral-v7</c> to their formats; anything
    /// else, including the <c>chatml</c> fallback of a file with no template, has none.
    /// </summary>
    public static ToolFormat Detect(string? templateText, string? templateName)
    {
        if (!string.IsNullOrEmpty(templateText))
        {
            if (templateText.Contains("<tool_call>", StringComparison.Ordinal))
            {
                return ToolFormat.Hermes;
            }

            if (templateText.Contains("[TOOL_CALLS]", StringComparison.Ordinal))
            {
                return ToolFormat.Mistral;
            }

            if (templateText.Contains("<|python_tag|>", StringComparison.Ordinal)
                || (templateText.Contains("<|start_header_id|>", StringComparison.Ordinal) && templateText.Contains("tools", StringComparison.Ordinal)))
            {
                return ToolFormat.Llama3;
            }

            return ToolFormat.None;
        }

        return templateName switch
        {
            "llama3" => ToolFormat.Llama3,
            "mistral-v7" or "mistral-v7-tekken" => ToolFormat.Mistral,
            _ => ToolFormat.None,
        };
    }
}
