using System.Globalization;
using System.Text.Json.Nodes;

namespace Commons.Insights;

/// <summary>The JSON shapes of an artifact: the body (hashed into the id), the signed part, the whole.</summary>
internal static class InsightJson
{
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    public static JsonObject Body(InsightDraft draft, string contributor)
    {
        var body = new JsonObject
        {
            ["schema"] = InsightLimits.Schema,
            ["kind"] = KindName(draft.Kind),
            ["topic"] = draft.Topic,
            ["situation"] = draft.Situation,
            ["evidence"] = new JsonObject
            {
                ["successes"] = draft.Evidence.Successes,
                ["failures"] = draft.Evidence.Failures,
                ["mechanism"] = draft.Evidence.Mechanism,
                ["epsilon"] = draft.Evidence.Epsilon,
            },
            ["policy"] = new JsonObject
            {
                ["id"] = draft.Policy.Id,
                ["hash"] = draft.Policy.Hash,
            },
            ["contributor"] = contributor,
            ["created"] = FormatTimestamp(draft.Created),
            ["expires"] = FormatTimestamp(draft.Expires),
        };
        if (draft.Advice is not null)
        {
            body["advice"] = draft.Advice;
        }

        if (draft.Action is not null)
        {
            body["action"] = draft.Action;
        }

        return body;
    }

    public static JsonObject Signed(InsightDraft draft, string contributor, string id)
    {
        var signed = Body(draft, contributor);
        signed["id"] = id;
        return signed;
    }

    public static JsonObject Full(InsightArtifact artifact)
    {
        var full = Signed(ToDraft(artifact), artifact.Contributor, artifact.Id);
        full["signature"] = artifact.Signature;
        return full;
    }

    public static InsightDraft ToDraft(InsightArtifact artifact) => new(
        artifact.Kind, artifact.Topic, artifact.Situation, artifact.Advice, artifact.Action,
        artifact.Evidence, artifact.Policy, artifact.Created, artifact.Expires);

    public static string KindName(InsightKind kind) => kind switch
    {
        InsightKind.Playbook => "playbook",
        InsightKind.Pattern => "pattern",
        InsightKind.Outcome => "outcome",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static bool TryParseKind(string name, out InsightKind kind)
    {
        switch (name)
        {
            case "playbook":
                kind = InsightKind.Playbook;
                return true;
            case "pattern":
                kind = InsightKind.Pattern;
                return true;
            case "outcome":
                kind = InsightKind.Outcome;
                return true;
            default:
                kind = default;
                return false;
        }
    }

    public static string FormatTimestamp(DateTimeOffset value) =>
        value.ToUniversalTime().ToString(TimestampFormat, CultureInfo.InvariantCulture);

    public static bool TryParseTimestamp(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParseExact(text, TimestampFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
}
