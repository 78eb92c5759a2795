namespace Commons.Abstractions.Hosting;

/// <summary>Names of the Orleans grain storage providers.</summary>
public static class StorageNames
{
    /// <summary>The personal silo's SQLite store.</summary>
    public const string Personal = "personal";
}
