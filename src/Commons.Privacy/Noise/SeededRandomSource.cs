namespace Commons.Privacy.Noise;

/// <summary>A reproducible source for tests and simulations. Never use it for real exports.</summary>
public sealed class SeededRandomSource(int seed) : IRandomSource
{
    private readonly Random _random = new(seed);

    /// <inheritdoc />
    public long NextInt64(long maxExclusive) => _random.NextInt64(maxExclusive);
}
