using System.Text;
using System.Text.Json.Nodes;
using Commons.Insights;

namespace Commons.Insights.Tests;

public sealed class InsightArtifactParserTests : IDisposable
{
    private readonly ContributorKey _key = ContributorKey.Create();

    public void Dispose() => _key.Dispose();

    public static TheoryData<string, string> Tampering => new()
    {
        { "schema", "\"commons.insight/v2\"" },
        { "id", "\"" + new string('0', 64) + "\"" },
        { "kind", "\"pattern\"" },
        { "topic", "\"calendar.reminders\"" },
        { "situation", "\"When a meeting request arrives on a Monday\"" },
        { "advice", "\"Accept every meeting.\"" },
        { "action", "\"calendar.accept\"" },
        { "evidence.successes", "13" },
        { "evidence.failures", "2" },
        { "evidence.mechanism", "\"gaussian\"" },
        { "evidence.epsilon", "0.25" },
        { "policy.id", "\"commons-relaxed\"" },
        { "policy.hash", "\"" + new string('b', 64) + "\"" },
        { "contributor", "\"ed25519:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"" },
        { "created", "\"2025-03-01T12:00:01Z\"" },
        { "expires", "\"2025-05-01T12:00:00Z\"" },
        { "signature", "\"" + new string('A', 86) + "\"" },
    };

    public static TheoryData<string> RequiredFields => new()
    {
        "schema", "id", "kind", "topic", "situation", "evidence", "policy", "contributor", "created", "expires",
        "signature", "evidence.successes", "evidence.failures", "evidence.mechanism", "evidence.epsilon", "policy.id", "policy.hash",
    };

    [Fact]
    public void Parse_SignedArtifact_IsAcceptedWithSameContent()
    {
        var artifact = InsightSigner.Sign(SampleArtifacts.Draft(), _key);

        var result = InsightArtifactParser.Parse(artifact.ToUtf8Bytes());

        Assert.True(result.IsValid, result.Reason);
        Assert.Equal(artifact, result.Artifact);
        Assert.Equal(artifact.ToJson(), result.Artifact.ToJson());
    }

    [Fact]
    public void ToJson_SignedArtifact_IsCanonicalWithSortedKeysAndNoWhitespace()
    {
        var json = InsightSigner.Sign(SampleArtifacts.Draft(), _key).ToJson();

        Assert.StartsWith("{\"action\":\"calendar.propose_slots\",\"advice\":", json, StringComparison.Ordinal);
        Assert.Contains("\"evidence\":{\"epsilon\":0.5,\"failures\":3,\"mechanism\":\"discrete-laplace\",\"successes\":12}", json, StringComparison.Ordinal);
        Assert.DoesNotContain(" \"", json, StringComparison.Ordinal);
        Assert.Equal(json, CanonicalJson.Serialize(JsonNode.Parse(json)));
    }

    [Fact]
    public void Sign_SameDraftTwice_HasTheSameId()
    {
        var first = InsightSigner.Sign(SampleArtifacts.Draft(), _key);
        var second = InsightSigner.Sign(SampleArtifacts.Draft(), _key);

        Assert.Equal(first.Id, second.Id);
        Assert.Matches("^[0-9a-f]{64}$", first.Id);
    }

    [Theory]
    [MemberData(nameof(Tampering))]
    public void Parse_AnyFieldChanged_IsRejected(string path, string value)
    {
        var node = SignedNode();
        Set(node, path, JsonNode.Parse(value));

        var result = InsightArtifactParser.Parse(node.ToJsonString());

        Assert.False(result.IsValid, $"changing {path} was accepted");
    }

    [Theory]
    [MemberData(nameof(Tampering))]
    public void Parse_AnyFieldChangedAndIdRecomputed_IsRejected(string path, string value)
    {
        var node = SignedNode();
        Set(node, path, JsonNode.Parse(value));
        if (path != "id")
        {
            var body = (JsonObject)node.DeepClone();
            body.Remove("id");
            body.Remove("signature");
            node["id"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(CanonicalJson.SerializeToUtf8(body)));
        }

        var result = InsightArtifactParser.Parse(node.ToJsonString());

        Assert.False(result.IsValid, $"changing {path} with a matching id was accepted");
    }

    [Fact]
    public void Parse_ContentChangedAndIdRecomputed_FailsTheSignature()
    {
        var node = SignedNode();
        node["situation"] = "When a meeting request arrives on a Monday";
        var body = (JsonObject)node.DeepClone();
        body.Remove("id");
        body.Remove("signature");
        node["id"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(CanonicalJson.SerializeToUtf8(body)));

        var result = InsightArtifactParser.Parse(node.ToJsonString());

        Assert.Equal(InsightRejection.BadSignature, result.Rejection);
    }

    [Fact]
    public void Parse_SignatureFromAnotherKey_IsRejectedAsBadSignature()
    {
        using var other = ContributorKey.Create();
        var node = SignedNode();
        var forged = JsonNode.Parse(InsightSigner.Sign(SampleArtifacts.Draft(), other).ToJson())!;
        node["signature"] = forged["signature"]!.GetValue<string>();

        var result = InsightArtifactParser.Parse(node.ToJsonString());

        Assert.Equal(InsightRejection.BadSignature, result.Rejection);
        Assert.Contains("signature", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WrongId_IsRejectedAsIdMismatch()
    {
        var node = SignedNode();
        node["id"] = new string('0', 64);

        var result = InsightArtifactParser.Parse(node.ToJsonString());

        Assert.Equal(InsightRejection.IdMismatch, result.Rejection);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("{\"schema\":\"commons.insight/v1\",}")]
    [InlineData("{\"schema\":\"commons.insight/v1\" /* comment */}")]
    [InlineData("not json")]
    public void Parse_MalformedJson_IsRejectedAsMalformed(string json)
    {
        var result = InsightArtifactParser.Parse(json);

        Assert.Equal(InsightRejection.MalformedJson, result.Rejection);
        Assert.False(string.IsNullOrWhiteSpace(result.Reason));
    }

    [Fact]
    public void Parse_DuplicateField_IsRejectedAsMalformed()
    {
        var json = InsightSigner.Sign(SampleArtifacts.Draft(), _key).ToJson();
        var duplicated = json.Insert(1, "\"topic\":\"health.symptoms\",");

        var result = InsightArtifactParser.Parse(duplicated);

        Assert.Equal(InsightRejection.MalformedJson, result.Rejection);
        Assert.Contains("topic", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"commons.insight/v2\"")]
    [InlineData("\"commons.insight/v0\"")]
    [InlineData("1")]
    public void Parse_UnknownSchemaVersion_IsRejectedAsUnknownSchema(string schema)
    {
        var node = SignedNode();
        node["schema"] = JsonNode.Parse(schema);

        var result = InsightArtifactParser.Parse(node.ToJsonString());

        Assert.Equal(InsightRejection.UnknownSchema, result.Rejection);
    }

    [Theory]
    [InlineData("embedding")]
    [InlineData("evidence.raw")]
    [InlineData("policy.author")]
    public void Parse_UnknownField_IsRejectedAsUnknownField(string path)
    {
        var node = SignedNode();
        Set(node, path, JsonValue.Create("x"));

        var result = InsightArtifactParser.Parse(node.ToJsonString());

        Assert.Equal(InsightRejection.UnknownField, result.Rejection);
        Assert.Contains(path, result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(RequiredFields))]
    public void Parse_MissingField_IsRejectedAsMissingField(string path)
    {
        var node = SignedNode();
        var parts = path.Split('.');
        var parent = parts.Length == 1 ? node : (JsonObject)node[parts[0]]!;
        parent.Remove(parts[^1]);

        var result = InsightArtifactParser.Parse(node.ToJsonString());

        Assert.Equal(InsightRejection.MissingField, result.Rejection);
        Assert.Contains(path, result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NeitherAdviceNorAction_IsRejectedAsMissingField()
    {
        var node = SignedNode();
        node.Remove("advice");
        node.Remove("action");

        var result = InsightArtifactParser.Parse(node.ToJsonString());

        Assert.Equal(InsightRejection.MissingField, result.Rejection);
    }

    [Theory]
    [InlineData("situation", 1001)]
    [InlineData("advice", 2001)]
    [InlineData("action", 201)]
    [InlineData("topic", 65)]
    [InlineData("policy.id", 65)]
    public void Parse_OversizeField_IsRejectedAsOversize(string path, int length)
    {
        var node = SignedNode();
        Set(node, path, JsonValue.Create(new string('a', length)));

        var result = InsightArtifactParser.Parse(node.ToJsonString());

        Assert.Equal(InsightRejection.Oversize, result.Rejection);
        Assert.Contains(path, result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ArtifactOverTheByteLimit_IsRejectedAsOversize()
    {
        var json = "{\"schema\":\"commons.insight/v1\",\"situation\":\"" + new string('a', InsightLimits.MaxArtifactBytes) + "\"}";

        var result = InsightArtifactParser.Parse(Encoding.UTF8.GetBytes(json));

        Assert.Equal(InsightRejection.Oversize, result.Rejection);
    }

    [Theory]
    [InlineData("kind", "\"story\"")]
    [InlineData("evidence.successes", "-1")]
    [InlineData("evidence.successes", "1.5")]
    [InlineData("evidence.failures", "\"3\"")]
    [InlineData("evidence.epsilon", "0")]
    [InlineData("evidence.epsilon", "11")]
    [InlineData("created", "\"2025-03-01 12:00:00\"")]
    [InlineData("expires", "\"2024-01-01T00:00:00Z\"")]
    [InlineData("topic", "\"Calendar Scheduling\"")]
    [InlineData("policy.hash", "\"ABC\"")]
    [InlineData("situation", "\"line\\u0007bell\"")]
    [InlineData("evidence", "[]")]
    public void Parse_InvalidFieldValue_IsRejectedAsInvalidField(string path, string value)
    {
        var node = SignedNode();
        Set(node, path, JsonNode.Parse(value));

        var result = InsightArtifactParser.Parse(node.ToJsonString());

        Assert.Equal(InsightRejection.InvalidField, result.Rejection);
    }

    [Theory]
    [InlineData("situation", "\u202E", "U+202E")]
    [InlineData("situation", "\u200B", "U+200B")]
    [InlineData("advice", "\uFEFF", "U+FEFF")]
    [InlineData("advice", "\u2066", "U+2066")]
    [InlineData("advice", "\U000E0041\U000E0042", "U+E0041")]
    [InlineData("action", "\u200D", "U+200D")]
    public void Parse_SignedTextWithInvisibleFormatCharacter_IsRejectedWithTheCodePoint(string path, string hidden, string named)
    {
        var node = SignedNode();
        Set(node, path, JsonValue.Create(node[path]!.GetValue<string>() + hidden));
        Resign(node);

        var result = InsightArtifactParser.Parse(node.ToJsonString());

        Assert.Equal(InsightRejection.InvalidField, result.Rejection);
        Assert.Contains(path, result.Reason, StringComparison.Ordinal);
        Assert.Contains(named, result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AdviceMadeOnlyOfRightToLeftOverrides_IsRejected()
    {
        var node = SignedNode();
        node["advice"] = new string('\u202E', 20);
        Resign(node);

        var result = InsightArtifactParser.Parse(node.ToJsonString());

        Assert.False(result.IsValid);
    }

    [Fact]
    public void Sign_SituationWithZeroWidthSpace_Throws()
    {
        var draft = SampleArtifacts.Draft("When a meeting\u200B request arrives");

        var error = Assert.Throws<ArgumentException>(() => InsightSigner.Sign(draft, _key));

        Assert.Contains("U+200B", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ResignedArtifact_IsAccepted()
    {
        var node = SignedNode();
        node["advice"] = "Offer two slots on Tuesday morning.";
        Resign(node);

        var result = InsightArtifactParser.Parse(node.ToJsonString());

        Assert.True(result.IsValid, result.Reason);
    }

    [Fact]
    public void Parse_SignatureWithPadding_DoesNotVerify()
    {
        var node = SignedNode();
        node["signature"] = node["signature"]!.GetValue<string>() + "==";

        var result = InsightArtifactParser.Parse(node.ToJsonString());

        Assert.Equal(InsightRejection.BadSignature, result.Rejection);
        Assert.Contains("canonical", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SignatureWithStrayLowBitsInItsLastCharacter_DoesNotVerify()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var node = SignedNode();
        var text = node["signature"]!.GetValue<string>();
        // 64 bytes take 86 characters; the last one carries 2 bits of the signature and 4 unused ones.
        node["signature"] = text[..^1] + alphabet[alphabet.IndexOf(text[^1], StringComparison.Ordinal) | 1];

        var result = InsightArtifactParser.Parse(node.ToJsonString());

        Assert.Equal(InsightRejection.BadSignature, result.Rejection);
    }

    [Theory]
    [InlineData("5e-324")]
    [InlineData("1e-300")]
    [InlineData("0.0009")]
    public void Parse_SignedArtifactWithAbsurdlySmallEpsilon_IsRejectedWithTheMinimum(string epsilon)
    {
        var node = SignedNode();
        node["evidence"]!["epsilon"] = JsonNode.Parse(epsilon);
        Resign(node);

        var result = InsightArtifactParser.Parse(node.ToJsonString());

        Assert.Equal(InsightRejection.InvalidField, result.Rejection);
        Assert.Contains("0.001", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SignedArtifactWithTheMinimumEpsilon_IsAccepted()
    {
        var node = SignedNode();
        node["evidence"]!["epsilon"] = InsightLimits.MinEpsilon;
        Resign(node);

        var result = InsightArtifactParser.Parse(node.ToJsonString());

        Assert.True(result.IsValid, result.Reason);
    }

    [Fact]
    public void Parse_ExpiredArtifactWithClock_IsRejectedAsExpired()
    {
        var artifact = InsightSigner.Sign(SampleArtifacts.Draft(), _key);

        var result = InsightArtifactParser.Parse(artifact.ToUtf8Bytes(), SampleArtifacts.Created.AddDays(91));

        Assert.Equal(InsightRejection.Expired, result.Rejection);
    }

    [Fact]
    public void Parse_ReorderedAndIndentedJson_IsAccepted()
    {
        var node = SignedNode();
        var reordered = new JsonObject();
        foreach (var (name, value) in node.Reverse().ToList())
        {
            node.Remove(name);
            reordered[name] = value;
        }

        var result = InsightArtifactParser.Parse(reordered.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));

        Assert.True(result.IsValid, result.Reason);
    }

    [Fact]
    public void Sign_OversizeSituation_Throws()
    {
        var draft = SampleArtifacts.Draft(new string('a', InsightLimits.MaxSituationLength + 1));

        var error = Assert.Throws<ArgumentException>(() => InsightSigner.Sign(draft, _key));

        Assert.Contains("situation", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_ExportedPrivateKey_SignsAsTheSameContributor()
    {
        using var imported = ContributorKey.Import(_key.ExportPrivateKey());

        var artifact = InsightSigner.Sign(SampleArtifacts.Draft(), imported);

        Assert.Equal(_key.KeyId, artifact.Contributor);
        Assert.True(InsightArtifactParser.Parse(artifact.ToJson()).IsValid);
    }

    private JsonObject SignedNode() => (JsonObject)JsonNode.Parse(InsightSigner.Sign(SampleArtifacts.Draft(), _key).ToJson())!;

    /// <summary>Gives a changed artifact a matching id and a valid signature, as a hostile member would.</summary>
    private void Resign(JsonObject node)
    {
        node.Remove("id");
        node.Remove("signature");
        node["id"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(CanonicalJson.SerializeToUtf8(node)));
        node["signature"] = System.Buffers.Text.Base64Url.EncodeToString(_key.Sign(CanonicalJson.SerializeToUtf8(node)));
    }

    private static void Set(JsonObject node, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var parent = parts.Length == 1 ? node : (JsonObject)node[parts[0]]!;
        parent[parts[^1]] = value;
    }
}
