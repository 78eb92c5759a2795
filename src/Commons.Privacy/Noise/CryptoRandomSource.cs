using System.Security.Cryptography;

namespace Commons.Privacy.Noise;

/// <summary>Uniform integers from the operating system's cryptographic generator, without modulo bias.</summary>
public sealed class CryptoRandomSource : IRandomSource
{
    /// <summary>The shared instance.</summary>
    public static CryptoRandomSource Instance { get; } = new();

    /// <inheritdoc />
    public long NextInt64(long maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxExclusive, 1);
        if (maxExclusive <= int.MaxValue)
        {
            return RandomNumberGenerator.GetInt32((int)maxExclusive);
        }

        // Rejection sampling over 63-bit values keeps the result exactly uniform.
        var limit = long.MaxValue - (long.MaxValue % maxExclusive);
        Span<byte> bytes = stackalloc byte[8];
        while (true)
        {
            RandomNumberGenerator.Fill(bytes);
            var value = BitConverter.ToInt64(bytes) & long.MaxValue;
            if (value < limit)
            {
                return value % maxExclusive;
            }
        }
    }
}
