using Commons.Abstractions.Hosting;
using Commons.Privacy.Redaction;

namespace Commons.Personal.Sharing;

/// <summary>
/// Known entities from <c>$COMMONS_HOME/known-entities.txt</c>: one <c>KIND=VALUE</c> per line
/// (person, place, email, organisation, other), <c>#</c> for comments. No file means none known yet;
/// the contacts, notes and calendar tools add their own sources beside this one.
/// </summary>
public sealed class FileKnownEntitySource(CommonsHome home) : IKnownEntitySource
{
    /// <summary>The file read.</summary>
    public string Path { get; } = System.IO.Path.Combine(home?.Root ?? throw new ArgumentNullException(nameof(home)), "known-entities.txt");

    /// <inheritdoc />
    public async Task<KnownEntities> GetAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path))
        {
            return KnownEntities.None;
        }

        var entities = new List<KnownEntity>();
        var number = 0;
        foreach (var line in await File.ReadAllLinesAsync(Path, cancellationToken))
        {
            number++;
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }

            var equals = text.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == text.Length - 1)
            {
                throw new InvalidDataException($"{Path}:{number} is not KIND=VALUE.");
            }

            entities.Add(new KnownEntity(text[..equals].Trim().ToLowerInvariant(), text[(equals + 1)..].Trim()));
        }

        return new KnownEntities(entities);
    }
}
