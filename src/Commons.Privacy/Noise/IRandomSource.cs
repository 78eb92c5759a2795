namespace Commons.Privacy.Noise;

/// <summary>Uniform integers for the exact samplers; cryptographic in production, seeded in tests.</summary>
public interface IRandomSource
{
    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>).</summary>
    long NextInt64(long maxExclusive);
}
