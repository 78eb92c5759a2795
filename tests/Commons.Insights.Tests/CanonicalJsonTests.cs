using System.Text.Json.Nodes;
using Commons.Insights;

namespace Commons.Insights.Tests;

public sealed class CanonicalJsonTests
{
    [Fact]
    public void Serialize_Rfc8785SortingExample_OrdersByUtf16CodeUnits()
    {
        var json = "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet With Dagesh\",\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\",\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}";

        var canonical = CanonicalJson.Serialize(JsonNode.Parse(json));

        var names = JsonNode.Parse(canonical)!.AsObject().Select(p => p.Key).ToArray();
        Assert.Equal(["\r", "1", "\u0080", "\u00f6", "\u20ac", "\ud83d\ude00", "\ufb33"], names);
    }

    [Fact]
    public void Serialize_Strings_EscapesOnlyWhatJsonRequires()
    {
        var node = JsonValue.Create("a\"b\\c/\u00e9\u20ac\n\t\u0001\u007f");

        var canonical = CanonicalJson.Serialize(node);

        Assert.Equal("\"a\\\"b\\\\c/\u00e9\u20ac\\n\\t\\u0001\u007f\"", canonical);
    }

    [Fact]
    public void Serialize_NestedValues_HasNoWhitespace()
    {
        var canonical = CanonicalJson.Serialize(JsonNode.Parse("{ \"b\" : [ 1 , true , null ], \"a\" : { \"y\": false, \"x\": \"s\" } }"));

        Assert.Equal("{\"a\":{\"x\":\"s\",\"y\":false},\"b\":[1,true,null]}", canonical);
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(1.0, "1")]
    [InlineData(-12.0, "-12")]
    [InlineData(0.5, "0.5")]
    [InlineData(123.456, "123.456")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1.5e300, "1.5e+300")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(333333333.33333329, "333333333.3333333")]
    [InlineData(9007199254740992.0, "9007199254740992")]
    [InlineData(295147905179352830000.0, "295147905179352830000")]
    public void FormatNumber_Value_MatchesEcmaScript(double value, string expected)
    {
        Assert.Equal(expected, CanonicalJson.FormatNumber(value));
    }

    [Fact]
    public void FormatNumber_NegativeZero_IsZero()
    {
        Assert.Equal("0", CanonicalJson.FormatNumber(-0.0));
    }

    [Fact]
    public void FormatNumber_NaN_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CanonicalJson.FormatNumber(double.NaN));
    }
}
