using System.Text.Json;

namespace Commons.Privacy.Budget;

/// <summary>The epsilon state as a JSON file, replaced atomically on save.</summary>
public sealed class FileEpsilonBudgetStore(string path) : IEpsilonBudgetStore
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    /// <summary>The file.</summary>
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <inheritdoc />
    public async Task<EpsilonBudgetState> LoadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path))
        {
            return new EpsilonBudgetState();
        }

        await using var stream = File.OpenRead(Path);
        try
        {
            return await JsonSerializer.DeserializeAsync<EpsilonBudgetState>(stream, Options, cancellationToken)
                ?? throw new InvalidDataException($"The epsilon ledger {Path} is empty.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The epsilon ledger {Path} is damaged: {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    public async Task SaveAsync(EpsilonBudgetState state, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var temporary = Path + ".tmp";
        await using (var stream = File.Create(temporary))
        {
            await JsonSerializer.SerializeAsync(stream, state, Options, cancellationToken);
            await stream.FlushAsync(cancellationToken);
        }

        File.Move(temporary, Path, overwrite: true);
    }
}
