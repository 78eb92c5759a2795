namespace Commons.Personal.Sharing;

/// <summary>The sharing topic closest to an entry, how close it is, and whether the policy never shares it.</summary>
public sealed record TopicMatch(string Topic, double Similarity, bool NeverShared);
