using System.Text.Json;
using Commons.Inference.Tools;
using Microsoft.Extensions.AI;

namespace Commons.Inference.Tests.Tools;

/// <summary>Hand-written transcripts in each family's format, well-formed and malformed.</summary>
public sealed class ToolCallParserTests
{
    public static TheoryData<ToolFormat, string> WellFormed => new()
    {
        { ToolFormat.Hermes, "Let me look.<tool_call>\n{\"name\": \"notes_search\", \"arguments\": {\"query\": \"milk\"}}\n</tool_call>" },
        { ToolFormat.Llama3, "{\"name\": \"notes_search\", \"parameters\": {\"query\": \"milk\"}}" },
        { ToolFormat.Llama3, "<|python_tag|>{\"name\": \"notes_search\", \"parameters\": {\"query\": \"milk\"}}<|eom_id|>" },
        { ToolFormat.Mistral, "[TOOL_CALLS][{\"name\": \"notes_search\", \"arguments\": {\"query\": \"milk\"}, \"id\": \"a1b2c3d4e\"}]" },
        { ToolFormat.Mistral, "[TOOL_CALLS]notes_search[ARGS]{\"query\": \"milk\"}" },
    };

    [Theory]
    [MemberData(nameof(WellFormed))]
    public void Parse_WellFormedCall_YieldsFunctionCallWithArguments(ToolFormat format, string reply)
    {
        var parser = ToolCallParser.For(format, SampleTools.All);

        var result = parser.Parse(reply);

        var call = Assert.Single(result.Calls);
        Assert.Null(call.Exception);
        Assert.Equal("notes_search", call.Name);
        Assert.Equal("milk", ((JsonElement)call.Arguments!["query"]!).GetString());
        Assert.False(string.IsNullOrEmpty(call.CallId));
        Assert.DoesNotContain("tool_call", result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HermesTwoCallsWithText_KeepsTextAndBothCalls()
    {
        var parser = ToolCallParser.For(ToolFormat.Hermes, SampleTools.All);

        var result = parser.Parse("Checking.<tool_call>{\"name\": \"time_now\", \"arguments\": {}}</tool_call>\n<tool_call>{\"name\": \"notes_search\", \"arguments\": {\"query\": \"a\", \"limit\": 2}}</tool_call>");

        Assert.Equal(["time_now", "notes_search"], result.Calls.Select(c => c.Name));
        Assert.All(result.Calls, c => Assert.Null(c.Exception));
        Assert.Equal("Checking.", result.Text.Trim());
    }

    [Fact]
    public void Parse_Llama3SeveralCallsSeparatedBySemicolon_YieldsEach()
    {
        var parser = ToolCallParser.For(ToolFormat.Llama3, SampleTools.All);

        var result = parser.Parse("{\"name\": \"time_now\", \"parameters\": {}}; {\"name\": \"notes_search\", \"parameters\": {\"query\": \"x\"}}");

        Assert.Equal(["time_now", "notes_search"], result.Calls.Select(c => c.Name));
    }

    [Fact]
    public void Parse_PlainReply_IsTextWithoutCalls()
    {
        foreach (var format in (ToolFormat[])[ToolFormat.Hermes, ToolFormat.Llama3, ToolFormat.Mistral])
        {
            var result = ToolCallParser.For(format, SampleTools.All).Parse("You have three notes about milk.");

            Assert.Empty(result.Calls);
            Assert.Equal("You have three notes about milk.", result.Text);
        }
    }

    public static TheoryData<ToolFormat, string, string> Malformed => new()
    {
        // Broken JSON.
        { ToolFormat.Hermes, "<tool_call>\n{\"name\": \"notes_search\", \"arguments\": {\"query\": \"milk\"\n</tool_call>", "not valid JSON" },
        { ToolFormat.Llama3, "{\"name\": \"notes_search\", \"parameters\": {\"query\": milk}}", "not valid JSON" },
        { ToolFormat.Mistral, "[TOOL_CALLS][{\"name\": \"notes_search\", \"arguments\": {\"query\": \"milk\"}", "not valid JSON" },
        // Unknown tool.
        { ToolFormat.Hermes, "<tool_call>{\"name\": \"email_send\", \"arguments\": {\"to\": \"x\"}}</tool_call>", "no tool named email_send" },
        { ToolFormat.Llama3, "{\"name\": \"email_send\", \"parameters\": {}}", "no tool named email_send" },
        { ToolFormat.Mistral, "[TOOL_CALLS][{\"name\": \"email_send\", \"arguments\": {}}]", "no tool named email_send" },
        // Missing required argument.
        { ToolFormat.Hermes, "<tool_call>{\"name\": \"notes_search\", \"arguments\": {\"limit\": 3}}</tool_call>", "query is required" },
        { ToolFormat.Llama3, "{\"name\": \"notes_search\", \"parameters\": {}}", "query is required" },
        { ToolFormat.Mistral, "[TOOL_CALLS][{\"name\": \"notes_search\", \"arguments\": {}}]", "query is required" },
        // Wrong type.
        { ToolFormat.Hermes, "<tool_call>{\"name\": \"notes_search\", \"arguments\": {\"query\": \"a\", \"limit\": \"three\"}}</tool_call>", "limit must be an integer" },
        { ToolFormat.Llama3, "{\"name\": \"notes_search\", \"parameters\": {\"query\": 42}}", "query must be a string" },
        { ToolFormat.Mistral, "[TOOL_CALLS][{\"name\": \"notes_search\", \"arguments\": {\"query\": \"a\", \"limit\": 2.5}}]", "limit must be an integer" },
        // Not even an object, or cut off before the end.
        { ToolFormat.Hermes, "<tool_call>[1, 2]</tool_call>", "must be a JSON object" },
        { ToolFormat.Hermes, "<tool_call>{\"name\": \"notes_sea", "not valid JSON" },
        { ToolFormat.Mistral, "[TOOL_CALLS]", "empty" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Parse_MalformedCall_YieldsToolErrorNotException(ToolFormat format, string reply, string expected)
    {
        var parser = ToolCallParser.For(format, SampleTools.All);

        var result = parser.Parse(reply);

        var call = Assert.Single(result.Calls);
        var error = Assert.IsType<ToolCallException>(call.Exception);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(WellFormed))]
    public void Push_CharacterByCharacter_MatchesWholeParse(ToolFormat format, string reply)
    {
        var parser = ToolCallParser.For(format, SampleTools.All);
        var stream = parser.Begin();
        var text = "";
        var calls = new List<FunctionCallContent>();

        foreach (var c in reply)
        {
            var chunk = stream.Push(c.ToString());
            text += chunk.Text;
            calls.AddRange(chunk.Calls);
        }

        var last = stream.Complete();
        text += last.Text;
        calls.AddRange(last.Calls);

        var whole = ToolCallParser.For(format, SampleTools.All).Parse(reply);
        Assert.Equal(whole.Text, text);
        Assert.Equal(whole.Calls.Select(c => c.Name), calls.Select(c => c.Name));
        Assert.All(calls, c => Assert.Null(c.Exception));
    }

    [Fact]
    public void Push_TextBeforeHermesCall_StreamsBeforeTheCallEnds()
    {
        var stream = ToolCallParser.For(ToolFormat.Hermes, SampleTools.All).Begin();

        var first = stream.Push("Sure, one moment. <tool");
        var second = stream.Push("_call>{\"name\": \"time_now\", ");

        Assert.Equal("Sure, one moment. ", first.Text);
        Assert.Equal("", second.Text);
        Assert.Empty(second.Calls);
        var end = stream.Push("\"arguments\": {}}</tool_call>");
        Assert.Equal("time_now", Assert.Single(end.Calls).Name);
    }

    [Fact]
    public void Push_HalfMarkerThatIsNotAMarker_IsReleased()
    {
        var stream = ToolCallParser.For(ToolFormat.Hermes, SampleTools.All).Begin();

        var first = stream.Push("a <tool");
        var second = stream.Push("box is here");

        Assert.Equal("a ", first.Text);
        Assert.Equal("<toolbox is here", second.Text);
    }
}
