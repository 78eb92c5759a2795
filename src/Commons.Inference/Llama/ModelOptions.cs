using System.ComponentModel.DataAnnotations;

namespace Commons.Inference.Llama;

/// <summary>
/// How the local model is loaded and sampled; bound from the <c>Model</c> configuration section
/// and overridden by command-line flags.
/// </summary>
public sealed class ModelOptions
{
    public const string SectionName = "Model";

    /// <summary>Path of the GGUF file, or the name of a model installed with <c>commons model pull</c>.</summary>
    public string? Path { get; set; }

    /// <summary>
    /// Context window in tokens; 0 takes the model's own, capped at 4096 to bound memory. Below 256 the
    /// persona and the chosen playbook entries leave no room for a reply.
    /// </summary>
    [ZeroOrRange(256, 1_048_576, ZeroMeans = "the model's own")]
    public int ContextSize { get; set; }

    /// <summary>CPU threads for inference; 0 lets Commons choose (the machine's cores).</summary>
    [Range(0, 1024)]
    public int Threads { get; set; }

    /// <summary>Largest number of tokens in one reply.</summary>
    [Range(1, 1_048_576)]
    public int MaxTokens { get; set; } = 512;

    /// <summary>Sampling temperature; 0 is greedy (always the likeliest token).</summary>
    [Range(0.0, 5.0)]
    public float Temperature { get; set; } = 0.7f;

    /// <summary>
    /// Seed for sampling, so replies can be reproduced; unset, every reply draws its own (a fixed seed
    /// made the same question get the same answer every time).
    /// </summary>
    public uint? Seed { get; set; }

    /// <summary>
    /// Chat template name used when the GGUF has none (or to override it): a name llama.cpp knows,
    /// such as <c>chatml</c>, <c>llama3</c>, <c>llama2</c>, <c>mistral-v7</c>.
    /// </summary>
    public string? ChatTemplate { get; set; }

    /// <summary>
    /// An OpenAI-compatible server (Ollama, llama.cpp's server, vLLM, a hosted API, another <c>commons serve</c>)
    /// to use instead of a local model, such as <c>http://127.0.0.1:11434/v1</c>; <see cref="Path"/> then names
    /// the model there (unset: the first it lists). The conversation leaves this machine: asked once.
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary>The key the <see cref="Endpoint"/> wants as <c>Authorization: Bearer</c> (a setting or <c>COMMONS_Model__ApiKey</c>, never a flag).</summary>
    public string? ApiKey { get; set; }

    /// <summary>How many replies may be generated at once (each holds its own context).</summary>
    [Range(1, 64)]
    public int MaxConcurrentReplies { get; set; } = 1;
}
