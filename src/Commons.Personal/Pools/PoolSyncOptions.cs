using System.ComponentModel.DataAnnotations;

namespace Commons.Personal.Pools;

/// <summary>How often a long-running host (<c>commons chat</c>) syncs with the pools; bound from the <c>PoolSync</c> section.</summary>
public sealed class PoolSyncOptions
{
    public const string SectionName = "PoolSync";

    /// <summary>Seconds between background syncs; 0 turns background sync off (<c>pool push</c> and <c>pool pull</c> still work).</summary>
    [Range(0, 7 * 24 * 3600)]
    public int IntervalSeconds { get; set; } = 300;

    /// <summary>Seconds after start before the first background sync (the person's first message comes first).</summary>
    [Range(0, 3600)]
    public int FirstSyncSeconds { get; set; } = 5;
}
