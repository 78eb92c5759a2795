namespace Commons.Community.Pooling;

/// <summary>One contributor's evidence in a group (their latest report) and their reputation weight.</summary>
public sealed record ContributorEvidence(string Contributor, long Successes, long Failures, double Weight);
