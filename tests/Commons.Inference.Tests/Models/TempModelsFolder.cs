namespace Commons.Inference.Tests.Models;

/// <summary>A fresh models folder under the system temp folder, deleted with everything in it on dispose.</summary>
internal sealed class TempModelsFolder : IDisposable
{
    public TempModelsFolder()
    {
        FullPath = Path.Combine(Path.GetTempPath(), "commons-models-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(FullPath);
    }

    public string FullPath { get; }

    public string PathOf(string fileName) => Path.Combine(FullPath, fileName);

    public void Dispose()
    {
        if (Directory.Exists(FullPath))
        {
            Directory.Delete(FullPath, recursive: true);
        }
    }
}
