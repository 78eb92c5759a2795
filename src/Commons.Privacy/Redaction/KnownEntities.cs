using System.Text.RegularExpressions;

namespace Commons.Privacy.Redaction;

/// <summary>
/// The person's known entities, matched case-insensitively on word boundaries, longest first, so
/// "John Smith" wins over "John" and "John's" keeps only its "'s".
/// </summary>
public sealed class KnownEntities
{
    private readonly List<KnownEntity> _entities;
    private readonly Regex? _pattern;
    private readonly Dictionary<string, KnownEntity> _byValue;

    public KnownEntities(IEnumerable<KnownEntity> entities)
    {
        ArgumentNullException.ThrowIfNull(entities);
        _entities = entities
            .Where(e => !string.IsNullOrWhiteSpace(e.Value))
            .Select(e => e with { Value = Normalize(e.Value) })
            .DistinctBy(e => e.Value, StringComparer.OrdinalIgnoreCase)
            .OrderByDescending(e => e.Value.Length)
            .ToList();
        _byValue = _entities.ToDictionary(e => e.Value, StringComparer.OrdinalIgnoreCase);
        if (_entities.Count > 0)
        {
            // Whitespace inside a value matches any run of whitespace in the text.
            var alternatives = _entities.Select(e => string.Join("\\s+", e.Value.Split(' ').Select(Regex.Escape)));
            _pattern = new Regex($"(?<![\\p{{L}}\\p{{N}}])(?:{string.Join('|', alternatives)})(?![\\p{{L}}\\p{{N}}])",
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(2));
        }
    }

    /// <summary>No known entities.</summary>
    public static KnownEntities None { get; } = new([]);

    /// <summary>How many distinct values are known.</summary>
    public int Count => _entities.Count;

    /// <summary>Every match of a known value in the text, in order.</summary>
    public IEnumerable<(int Index, int Length, KnownEntity Entity)> Find(string text)
    {
        if (_pattern is null)
        {
            yield break;
        }

        foreach (Match match in _pattern.Matches(text))
        {
            yield return (match.Index, match.Length, _byValue[Normalize(match.Value)]);
        }
    }

    private static string Normalize(string value) => Regex.Replace(value.Trim(), "\\s+", " ", RegexOptions.None, TimeSpan.FromSeconds(1));
}
