namespace Commons.Inference.Models;

/// <summary>
/// One model <c>commons model pull</c> can download: where it comes from, and the size and sha256
/// the downloaded file must have before it is installed.
/// </summary>
/// <param name="Name">The short name people type, e.g. <c>qwen2.5-0.5b-instruct</c>.</param>
/// <param name="FileName">The GGUF file name in the models folder.</param>
/// <param name="Url">The HTTPS address of the file.</param>
/// <param name="Size">The file's exact size in bytes.</param>
/// <param name="Sha256">The file's sha256, 64 lower-case hex digits.</param>
/// <param name="Licence">The licence the weights are published under.</param>
/// <param name="Description">One line on what the model is good for.</param>
/// <param name="ChatTemplate">The chat template family (<c>chatml</c>, <c>llama3</c>).</param>
public sealed record ModelCatalogEntry(
    string Name,
    string FileName,
    Uri Url,
    long Size,
    string Sha256,
    string Licence,
    string Description,
    string ChatTemplate);
