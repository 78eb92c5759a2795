namespace Commons.Pools.Client;

/// <summary>
/// An admin's moderation request (<c>POST /v1/admin/moderation</c>, signed by the admin key):
/// <c>list</c>, <c>accept</c> or <c>remove</c> a quarantine entry (<see cref="Id"/>), or <c>reinstate</c>
/// a suspended member (<see cref="Member"/>).
/// </summary>
public sealed record ModerationRequest(string Action, long? Id = null, string? Member = null, string? Note = null);
