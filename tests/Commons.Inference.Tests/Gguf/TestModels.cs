namespace Commons.Inference.Tests.Gguf;

/// <summary>Finds the tiny GGUF models in <c>shared/models</c>, which lives beside the repository.</summary>
internal static class TestModels
{
    public const string Stories260K = "stories260K.gguf";
    public const string TinyRandomLlama = "llama-2-tiny-random.gguf";

    private static readonly Lazy<string> Folder = new(FindFolder);

    public static string PathOf(string fileName) => Path.Combine(Folder.Value, fileName);

    private static string FindFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "models");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"No shared/models folder was found above {AppContext.BaseDirectory}.");
    }
}
