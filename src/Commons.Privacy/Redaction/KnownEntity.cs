namespace Commons.Privacy.Redaction;

/// <summary>
/// Something the person's own data names — a contact, a place from their calendar — with its kind
/// (<c>person</c>, <c>place</c>, <c>email</c>, <c>organisation</c>, or anything else).
/// </summary>
public sealed record KnownEntity(string Kind, string Value);
