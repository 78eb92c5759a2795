namespace Commons.Personal.Tests;

/// <summary>Finds the models and data in ../shared beside the repository.</summary>
internal static class SharedFiles
{
    public static string Model(string fileName) => Path.Combine(Root(), "models", fileName);

    public static string StoriesModel => Model("stories260K.gguf");

    public static string TinyRandomModel => Model("llama-2-tiny-random.gguf");

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "models");
            if (Directory.Exists(candidate))
            {
                return Path.Combine(dir.FullName, "shared");
            }
        }

        throw new InvalidOperationException("../shared/models was not found above " + AppContext.BaseDirectory);
    }
}
