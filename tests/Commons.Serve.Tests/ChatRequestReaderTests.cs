using System.Text.Json;
using Commons.Abstractions.Agents;
using Commons.Serve.OpenAi;

namespace Commons.Serve.Tests;

public sealed class ChatRequestReaderTests
{
    private static ChatCompletionRequest Parse(string json) => JsonSerializer.Deserialize<ChatCompletionRequest>(json)!;

    [Fact]
    public void Read_SystemEarlierAndLastUser_BecomeInstructionsHistoryAndMessage()
    {
        var request = Parse("""
            {"model":"m","user":"chat-1","messages":[
              {"role":"system","content":"Answer in French."},
              {"role":"user","content":"hi"},
              {"role":"assistant","content":"salut"},
              {"role":"user","content":[{"type":"text","text":"how "},{"type":"text","text":"are you?"}]}],
             "temperature":0.2,"max_completion_tokens":9,"stop":"END","seed":4}
            """);

        var turn = ChatRequestReader.Read(request, "m", null);

        Assert.Equal("how are you?", turn.Message);
        Assert.Equal("chat-1", turn.ConversationKey);
        Assert.Equal("Answer in French.", turn.Instructions);
        Assert.Equal([new TurnMessage("user", "hi"), new TurnMessage("assistant", "salut")], turn.Earlier);
        Assert.Equal(0.2f, turn.Sampling?.Temperature);
        Assert.Equal(9, turn.Sampling?.MaxTokens);
        Assert.Equal(["END"], turn.Sampling?.Stop);
        Assert.Equal(4, turn.Sampling?.Seed);
    }

    [Fact]
    public void Read_HeaderNamesTheConversation_OverTheUserField()
    {
        var turn = ChatRequestReader.Read(Parse("""{"model":"m","user":"a","messages":[{"role":"user","content":"x"}]}"""), "m", "b");

        Assert.Equal("b", turn.ConversationKey);
    }

    [Fact]
    public void Read_ToolsAndNamedChoice_BecomeClientTools()
    {
        var turn = ChatRequestReader.Read(Parse("""
            {"model":"m","messages":[{"role":"user","content":"x"}],
             "tools":[{"type":"function","function":{"name":"f","description":"d","parameters":{"type":"object"}}}],
             "tool_choice":{"type":"function","function":{"name":"f"}},
             "response_format":{"type":"json_schema","json_schema":{"name":"s","schema":{"type":"object"}}}}
            """), "m", null);

        var tool = Assert.Single(turn.Tools!);
        Assert.Equal(("f", "d"), (tool.Name, tool.Description));
        Assert.Equal("f", turn.ToolChoice);
        Assert.Equal("""{"type":"object"}""", turn.ResponseSchema);
        Assert.Equal("s", turn.ResponseSchemaName);
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"x"}]}""", "model", 400)]
    [InlineData("""{"model":"other","messages":[{"role":"user","content":"x"}]}""", "model", 404)]
    [InlineData("""{"model":"m","messages":[{"role":"assistant","content":"x"}]}""", "messages", 400)]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}],"n":2}""", "n", 400)]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}],"stop":["a","b","c","d","e"]}""", "stop", 400)]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}],"max_tokens":0}""", "max_tokens", 400)]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"x"}}]}]}""", "messages[0].content", 400)]
    [InlineData("""{"model":"m","user":"has spaces","messages":[{"role":"user","content":"x"}]}""", "user", 400)]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"bad name"}}]}""", "tools[0].function.name", 400)]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}],"response_format":{"type":"yaml"}}""", "response_format.type", 400)]
    public void Read_BadRequest_NamesTheParameter(string json, string param, int status)
    {
        var error = Assert.Throws<OpenAiException>(() => ChatRequestReader.Read(Parse(json), "m", null));

        Assert.Equal(param, error.Param);
        Assert.Equal(status, error.Status);
    }
}
