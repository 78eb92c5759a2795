using System.Globalization;
using Commons.Inference.Models;

namespace Commons.Inference.Gguf;

/// <summary>
/// What a person wants to know about a model file, read from its GGUF header (<c>commons model show</c>).
/// </summary>
/// <param name="Architecture">The model family, e.g. "llama"; "not stated" when the file does not say.</param>
/// <param name="Parameters">The number of weights, e.g. "494M".</param>
/// <param name="FileSize">The file's size, e.g. "379 MB".</param>
/// <param name="Quantisation">How the weights are stored, e.g. "Q4_K_M" (from <c>general.file_type</c>, else the commonest tensor type).</param>
/// <param name="Context">The context the model was trained for, in tokens, when the file says.</param>
/// <param name="ChatTemplate">Whether the file carries a chat template and which family it looks like.</param>
/// <param name="Licence">The file's <c>general.license</c>, else the catalog's, else "not stated in the file".</param>
public sealed record GgufFacts(
    string Architecture,
    string Parameters,
    string FileSize,
    string Quantisation,
    string Context,
    string ChatTemplate,
    string Licence)
{
    private const string NotStated = "not stated in the file";

    // llama.cpp's llama_ftype: what general.file_type says about the whole file.
    private static readonly Dictionary<long, string> FileTypes = new()
    {
        [0] = "F32", [1] = "F16", [2] = "Q4_0", [3] = "Q4_1", [7] = "Q8_0", [8] = "Q5_0", [9] = "Q5_1",
        [10] = "Q2_K", [11] = "Q3_K_S", [12] = "Q3_K_M", [13] = "Q3_K_L", [14] = "Q4_K_S", [15] = "Q4_K_M",
        [16] = "Q5_K_S", [17] = "Q5_K_M", [18] = "Q6_K", [19] = "IQ2_XXS", [20] = "IQ2_XS", [21] = "Q2_K_S",
        [22] = "IQ3_XS", [23] = "IQ3_XXS", [24] = "IQ1_S", [25] = "IQ4_NL", [26] = "IQ3_S", [27] = "IQ3_M",
        [28] = "IQ2_S", [29] = "IQ2_M", [30] = "IQ4_XS", [31] = "IQ1_M", [32] = "BF16", [36] = "TQ1_0",
        [37] = "TQ2_0", [38] = "MXFP4",
    };

    // ggml's tensor types, for files that do not state general.file_type.
    private static readonly Dictionary<uint, string> TensorTypes = new()
    {
        [0] = "F32", [1] = "F16", [2] = "Q4_0", [3] = "Q4_1", [6] = "Q5_0", [7] = "Q5_1", [8] = "Q8_0",
        [9] = "Q8_1", [10] = "Q2_K", [11] = "Q3_K", [12] = "Q4_K", [13] = "Q5_K", [14] = "Q6_K", [15] = "Q8_K",
        [16] = "IQ2_XXS", [17] = "IQ2_XS", [18] = "IQ3_XXS", [19] = "IQ1_S", [20] = "IQ4_NL", [21] = "IQ3_S",
        [22] = "IQ2_S", [23] = "IQ4_XS", [24] = "I8", [25] = "I16", [26] = "I32", [27] = "I64", [28] = "F64",
        [29] = "IQ1_M", [30] = "BF16", [34] = "TQ1_0", [35] = "TQ2_0", [39] = "MXFP4",
    };

    // Markers of the common chat formats, as they appear in the templates' Jinja text.
    private static readonly (string Marker, string Family)[] TemplateFamilies =
    [
        ("<|im_start|>", "chatml"), ("<|start_header_id|>", "llama3"), ("<start_of_turn>", "gemma"),
        ("[INST]", "llama2/mistral"), ("<|user|>", "phi3/zephyr"), ("<|User|>", "deepseek"),
    ];

    /// <summary>The facts of <paramref name="info"/>; <paramref name="catalogEntry"/> fills in a licence the file does not state.</summary>
    public static GgufFacts From(GgufModelInfo info, ModelCatalogEntry? catalogEntry)
    {
        ArgumentNullException.ThrowIfNull(info);
        var licence = Text(info, "general.license") ?? catalogEntry?.Licence ?? NotStated;
        return new GgufFacts(
            info.Architecture ?? "not stated",
            Count(info.ParameterCount),
            ByteCount.Format(info.FileSize),
            QuantisationOf(info),
            info.ContextLength is { } context ? $"{context.ToString(CultureInfo.InvariantCulture)} tokens (trained)" : NotStated,
            TemplateOf(info.ChatTemplate),
            licence);
    }

    private static string QuantisationOf(GgufModelInfo info)
    {
        if (info.Metadata.GetValueOrDefault("general.file_type") is { } value
            && FileTypes.TryGetValue(Convert.ToInt64(value, CultureInfo.InvariantCulture), out var fileType))
        {
            return fileType;
        }

        if (info.ElementsByType.Count == 0)
        {
            return "no tensors";
        }

        var commonest = info.ElementsByType.MaxBy(t => t.Value);
        var name = TensorTypes.GetValueOrDefault(commonest.Key, $"ggml type {commonest.Key}");
        var share = (double)commonest.Value / info.ParameterCount;
        return share >= 0.999 ? name : $"mostly {name} ({(share * 100).ToString("0", CultureInfo.InvariantCulture)}% of the weights)";
    }

    private static string TemplateOf(string? template)
    {
        if (string.IsNullOrWhiteSpace(template))
        {
            return "none in the file (commons uses chatml unless --template names one)";
        }

        var family = TemplateFamilies.FirstOrDefault(f => template.Contains(f.Marker, StringComparison.Ordinal)).Family;
        return family is null ? "in the file" : $"in the file ({family} style)";
    }

    private static string? Text(GgufModelInfo info, string key) =>
        info.Metadata.GetValueOrDefault(key) is string text && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;

    private static string Count(long parameters) => parameters switch
    {
        >= 1_000_000_000 => (parameters / 1e9).ToString("0.##", CultureInfo.InvariantCulture) + "B",
        >= 1_000_000 => (parameters / 1e6).ToString("0.#", CultureInfo.InvariantCulture) + "M",
        >= 1_000 => (parameters / 1e3).ToString("0.#", CultureInfo.InvariantCulture) + "K",
        _ => parameters.ToString(CultureInfo.InvariantCulture),
    };
}
