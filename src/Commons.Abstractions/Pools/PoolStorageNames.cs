namespace Commons.Abstractions.Pools;

/// <summary>Names of the community silo's grain storage providers.</summary>
public static class PoolStorageNames
{
    /// <summary>The pool's PostgreSQL store.</summary>
    public const string Pool = "pool";
}
