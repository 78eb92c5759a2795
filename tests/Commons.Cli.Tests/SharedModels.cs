namespace Commons.Cli.Tests;

/// <summary>Finds the models in <c>shared/models</c>, beside the repository checkout.</summary>
internal static class SharedModels
{
    /// <summary>A 260K-parameter llama model: loads in milliseconds and writes short stories.</summary>
    public static string Stories => Path.Combine(Folder(), "stories260K.gguf");

    public static string TinyRandom => Path.Combine(Folder(), "llama-2-tiny-random.gguf");

    private static string Folder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "models");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("No shared/models folder was found above " + AppContext.BaseDirectory);
    }
}
