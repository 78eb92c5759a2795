using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Commons.Insights;

/// <summary>
/// The strict reader of Insight Artifact v1. It accepts an artifact only when the JSON is well formed,
/// the schema is v1, every field is known, present and within its limits, the id is the sha256 of the
/// canonical body and the Ed25519 signature verifies against the contributor key.
/// </summary>
public static class InsightArtifactParser
{
    private static readonly string[] RootRequired = ["schema", "id", "kind", "topic", "situation", "evidence", "policy", "contributor", "created", "expires", "signature"];
    private static readonly string[] RootOptional = ["advice", "action"];
    private static readonly string[] EvidenceFields = ["successes", "failures", "mechanism", "epsilon"];
    private static readonly string[] PolicyFields = ["id", "hash"];

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 8,
    };

    /// <summary>Parses and verifies an artifact given as text.</summary>
    public static InsightParseResult Parse(string json, DateTimeOffset? now = null) => Parse(Encoding.UTF8.GetBytes(json), now);

    /// <summary>
    /// Parses and verifies an artifact from UTF-8 bytes. With <paramref name="now"/>, an artifact whose
    /// <c>expires</c> has passed is rejected as well.
    /// </summary>
    public static InsightParseResult Parse(ReadOnlySpan<byte> utf8Json, DateTimeOffset? now = null)
    {
        if (utf8Json.Length > InsightLimits.MaxArtifactBytes)
        {
            return InsightParseResult.Reject(InsightRejection.Oversize, $"The artifact is {utf8Json.Length} bytes; at most {InsightLimits.MaxArtifactBytes} are allowed.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json.ToArray(), DocumentOptions);
        }
        catch (JsonException ex)
        {
            return InsightParseResult.Reject(InsightRejection.MalformedJson, $"The artifact is not well-formed JSON: {ex.Message}");
        }

        using (document)
        {
            try
            {
                return Read(document.RootElement, now);
            }
            catch (InvalidOperationException ex)
            {
                // Invalid escapes (such as lone surrogates) only surface when a string is read.
                return InsightParseResult.Reject(InsightRejection.MalformedJson, $"The artifact contains an unreadable value: {ex.Message}");
            }
        }
    }

    private static InsightParseResult Read(JsonElement root, DateTimeOffset? now)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return InsightParseResult.Reject(InsightRejection.MalformedJson, "The artifact must be a JSON object.");
        }

        if (FindDuplicate(root) is { } duplicate)
        {
            return InsightParseResult.Reject(InsightRejection.MalformedJson, $"The field \"{duplicate}\" appears more than once.");
        }

        if (!root.TryGetProperty("schema", out var schema))
        {
            return InsightParseResult.Reject(InsightRejection.MissingField, "The field \"schema\" is missing.");
        }

        if (schema.ValueKind != JsonValueKind.String || schema.GetString() != InsightLimits.Schema)
        {
            return InsightParseResult.Reject(InsightRejection.UnknownSchema, $"The schema {schema.GetRawText()} is not {InsightLimits.Schema}.");
        }

        var shape = CheckShape(root, "", RootRequired, RootOptional)
            ?? CheckObject(root, "evidence", EvidenceFields)
            ?? CheckObject(root, "policy", PolicyFields);
        if (shape is not null)
        {
            return shape;
        }

        var evidence = root.GetProperty("evidence");
        var policy = root.GetProperty("policy");
        var strings = new Dictionary<string, string?>();
        foreach (var (path, element) in new (string, JsonElement?)[]
        {
            ("id", root.GetProperty("id")), ("kind", root.GetProperty("kind")), ("topic", root.GetProperty("topic")),
            ("situation", root.GetProperty("situation")), ("contributor", root.GetProperty("contributor")),
            ("created", root.GetProperty("created")), ("expires", root.GetProperty("expires")),
            ("signature", root.GetProperty("signature")), ("evidence.mechanism", evidence.GetProperty("mechanism")),
            ("policy.id", policy.GetProperty("id")), ("policy.hash", policy.GetProperty("hash")),
            ("advice", root.TryGetProperty("advice", out var advice) ? advice : null),
            ("action", root.TryGetProperty("action", out var action) ? action : null),
        })
        {
            if (element is null)
            {
                strings[path] = null;
                continue;
            }

            if (element.Value.ValueKind != JsonValueKind.String)
            {
                return InsightParseResult.Reject(InsightRejection.InvalidField, $"The field \"{path}\" must be a string.");
            }

            strings[path] = element.Value.GetString();
        }

        if (!InsightJson.TryParseKind(strings["kind"]!, out var kind))
        {
            return InsightParseResult.Reject(InsightRejection.InvalidField, "The field \"kind\" must be playbook, pattern or outcome.");
        }

        if (!TryCount(evidence.GetProperty("successes"), out var successes) || !TryCount(evidence.GetProperty("failures"), out var failures))
        {
            return InsightParseResult.Reject(InsightRejection.InvalidField, "The evidence counts must be whole JSON numbers.");
        }

        var epsilonElement = evidence.GetProperty("epsilon");
        if (epsilonElement.ValueKind != JsonValueKind.Number || !epsilonElement.TryGetDouble(out var epsilon))
        {
            return InsightParseResult.Reject(InsightRejection.InvalidField, "The field \"evidence.epsilon\" must be a number.");
        }

        if (!InsightJson.TryParseTimestamp(strings["created"]!, out var created) || !InsightJson.TryParseTimestamp(strings["expires"]!, out var expires))
        {
            return InsightParseResult.Reject(InsightRejection.InvalidField, "The fields \"created\" and \"expires\" must be UTC times like 2025-01-31T12:00:00Z.");
        }

        var draft = new InsightDraft(kind, strings["topic"]!, strings["situation"]!, strings["advice"], strings["action"],
            new InsightEvidence(successes, failures, strings["evidence.mechanism"]!, epsilon),
            new PolicyReference(strings["policy.id"]!, strings["policy.hash"]!), created, expires);
        var contributor = strings["contributor"]!;
        if (InsightValidation.Check(draft, contributor) is { } problem)
        {
            return InsightParseResult.Reject(problem.Rejection, $"The artifact breaks a v1 rule: {problem.Reason}.");
        }

        var id = strings["id"]!;
        if (!InsightValidation.IsHexHash(id) || id != InsightSigner.ComputeId(draft, contributor))
        {
            return InsightParseResult.Reject(InsightRejection.IdMismatch, "The id is not the sha256 of the artifact's canonical body.");
        }

        var signatureText = strings["signature"]!;
        byte[] signature;
        try
        {
            signature = Base64Url.IsValid(signatureText) ? Base64Url.DecodeFromChars(signatureText) : [];
        }
        catch (FormatException)
        {
            signature = [];
        }

        // Only the one canonical spelling (no padding, no stray low bits): otherwise one signed artifact
        // has many byte forms, and the decoder's leniency becomes part of what verifies.
        if (signature.Length > 0 && !string.Equals(Base64Url.EncodeToString(signature), signatureText, StringComparison.Ordinal))
        {
            return InsightParseResult.Reject(InsightRejection.BadSignature, "The signature is not canonical base64url (no padding, RFC 4648 section 5).");
        }

        var signed = CanonicalJson.SerializeToUtf8(InsightJson.Signed(draft, contributor, id));
        if (!ContributorKey.Verify(contributor, signed, signature))
        {
            return InsightParseResult.Reject(InsightRejection.BadSignature, "The signature does not verify against the contributor key.");
        }

        if (now is { } instant && expires <= instant)
        {
            return InsightParseResult.Reject(InsightRejection.Expired, $"The artifact expired at {strings["expires"]}.");
        }

        return InsightParseResult.Accept(new InsightArtifact(id, kind, draft.Topic, draft.Situation, draft.Advice, draft.Action,
            draft.Evidence, draft.Policy, contributor, created, expires, signatureText));
    }

    private static InsightParseResult? CheckObject(JsonElement root, string name, string[] fields)
    {
        var element = root.GetProperty(name);
        if (element.ValueKind != JsonValueKind.Object)
        {
            return InsightParseResult.Reject(InsightRejection.InvalidField, $"The field \"{name}\" must be an object.");
        }

        if (FindDuplicate(element) is { } duplicate)
        {
            return InsightParseResult.Reject(InsightRejection.MalformedJson, $"The field \"{name}.{duplicate}\" appears more than once.");
        }

        return CheckShape(element, name + ".", fields, []);
    }

    private static InsightParseResult? CheckShape(JsonElement element, string prefix, string[] required, string[] optional)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!required.Contains(property.Name, StringComparer.Ordinal) && !optional.Contains(property.Name, StringComparer.Ordinal))
            {
                return InsightParseResult.Reject(InsightRejection.UnknownField, $"The field \"{prefix}{property.Name}\" is not part of {InsightLimits.Schema}.");
            }
        }

        foreach (var name in required)
        {
            if (!element.TryGetProperty(name, out _))
            {
                return InsightParseResult.Reject(InsightRejection.MissingField, $"The field \"{prefix}{name}\" is missing.");
            }
        }

        return null;
    }

    private static string? FindDuplicate(JsonElement element)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                return property.Name;
            }
        }

        return null;
    }

    private static bool TryCount(JsonElement element, out long value)
    {
        value = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out value);
    }
}
