using Commons.Privacy.Redaction;

namespace Commons.Personal.Sharing;

/// <summary>The person's own entities (contacts, names and places from their data) that redaction must replace.</summary>
public interface IKnownEntitySource
{
    /// <summary>The entities known now; a source that cannot be read throws, so the export refuses.</summary>
    Task<KnownEntities> GetAsync(CancellationToken cancellationToken);
}
