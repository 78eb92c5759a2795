using System.Text;

namespace Commons.Insights;

/// <summary>
/// A signed Insight Artifact v1: the only thing that leaves a personal silo. Build one with
/// <see cref="InsightSigner.Sign"/>; read one with <see cref="InsightArtifactParser.Parse(ReadOnlySpan{byte}, DateTimeOffset?)"/>.
/// </summary>
public sealed record InsightArtifact(
    string Id,
    InsightKind Kind,
    string Topic,
    string Situation,
    string? Advice,
    string? Action,
    InsightEvidence Evidence,
    PolicyReference Policy,
    string Contributor,
    DateTimeOffset Created,
    DateTimeOffset Expires,
    string Signature)
{
    /// <summary>Always <c>commons.insight/v1</c>.</summary>
    public string Schema => InsightLimits.Schema;

    /// <summary>The kind as the format writes it: <c>playbook</c>, <c>pattern</c> or <c>outcome</c>.</summary>
    public string KindName => InsightJson.KindName(Kind);

    /// <summary>A kind as the format writes it.</summary>
    public static string NameOf(InsightKind kind) => InsightJson.KindName(kind);

    /// <summary>The canonical JSON (RFC 8785) of the whole artifact: exactly the bytes that leave.</summary>
    public string ToJson() => CanonicalJson.Serialize(InsightJson.Full(this));

    /// <summary>The canonical JSON as UTF-8 bytes.</summary>
    public byte[] ToUtf8Bytes() => Encoding.UTF8.GetBytes(ToJson());
}
