using System.Buffers.Text;
using System.Security.Cryptography;

namespace Commons.Insights;

/// <summary>Seals a draft into an artifact: content id (sha256 of the canonical body) and Ed25519 signature.</summary>
public static class InsightSigner
{
    /// <summary>
    /// Signs a draft with the contributor's key. Throws <see cref="ArgumentException"/> when the draft
    /// breaks a v1 rule (the same rules the parser enforces), so nothing invalid is ever signed.
    /// </summary>
    public static InsightArtifact Sign(InsightDraft draft, ContributorKey key)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(key);
        if (InsightValidation.Check(draft, key.KeyId) is { } problem)
        {
            throw new ArgumentException($"The draft is not a valid insight artifact: {problem.Reason}.", nameof(draft));
        }

        var id = ComputeId(draft, key.KeyId);
        var signed = CanonicalJson.SerializeToUtf8(InsightJson.Signed(draft, key.KeyId, id));
        var signature = Base64Url.EncodeToString(key.Sign(signed));
        var artifact = new InsightArtifact(id, draft.Kind, draft.Topic, draft.Situation, draft.Advice, draft.Action,
            draft.Evidence, draft.Policy, key.KeyId, draft.Created, draft.Expires, signature);
        if (artifact.ToUtf8Bytes().Length > InsightLimits.MaxArtifactBytes)
        {
            throw new ArgumentException($"The artifact would be larger than {InsightLimits.MaxArtifactBytes} bytes.", nameof(draft));
        }

        return artifact;
    }

    /// <summary>The content id: lowercase hex sha256 of the canonical JSON of the body (no id, no signature).</summary>
    public static string ComputeId(InsightDraft draft, string contributor) =>
        Convert.ToHexStringLower(SHA256.HashData(CanonicalJson.SerializeToUtf8(InsightJson.Body(draft, contributor))));
}
