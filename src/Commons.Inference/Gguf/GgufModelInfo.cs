namespace Commons.Inference.Gguf;

/// <summary>
/// What <see cref="GgufReader.Read"/> learned from a GGUF file's header: its metadata and where its
/// tensor data lies. The tensor data itself is never read.
/// </summary>
/// <param name="Path">The full path of the file.</param>
/// <param name="FileSize">The file's length in bytes.</param>
/// <param name="Version">The GGUF format version (2 or 3).</param>
/// <param name="TensorCount">How many tensors the header describes.</param>
/// <param name="Metadata">
/// Every metadata key with its value: a number (<see cref="byte"/>, <see cref="sbyte"/>, <see cref="ushort"/>,
/// <see cref="short"/>, <see cref="uint"/>, <see cref="int"/>, <see cref="ulong"/>, <see cref="long"/>,
/// <see cref="float"/>, <see cref="double"/>), a <see cref="bool"/>, a <see cref="string"/>, a short string
/// array as <see cref="IReadOnlyList{T}"/> of <see cref="string"/>, or a <see cref="GgufArraySummary"/>
/// for any other array.
/// </param>
/// <param name="Architecture">The <c>general.architecture</c> value, such as "llama".</param>
/// <param name="Name">The <c>general.name</c> value.</param>
/// <param name="ChatTemplate">The Jinja chat template in <c>tokenizer.chat_template</c>, if the file has one.</param>
/// <param name="ContextLength">The <c>&lt;architecture&gt;.context_length</c> value: the context the model was trained for.</param>
/// <param name="Alignment">The alignment of tensor data (<c>general.alignment</c>, 32 by default).</param>
/// <param name="TensorDataOffset">The byte offset where tensor data starts.</param>
/// <param name="TensorDataEnd">The byte offset where the last tensor's data ends; never beyond <paramref name="FileSize"/>.</param>
/// <param name="ElementsByType">How many weights the tensors hold, per ggml type (0 = F32, 1 = F16, 12 = Q4_K, ...).</param>
public sealed record GgufModelInfo(
    string Path,
    long FileSize,
    uint Version,
    long TensorCount,
    IReadOnlyDictionary<string, object> Metadata,
    string? Architecture,
    string? Name,
    string? ChatTemplate,
    long? ContextLength,
    long Alignment,
    long TensorDataOffset,
    long TensorDataEnd,
    IReadOnlyDictionary<uint, long> ElementsByType)
{
    /// <summary>How many weights the model has: every tensor's elements.</summary>
    public long ParameterCount => ElementsByType.Values.Sum();
}
