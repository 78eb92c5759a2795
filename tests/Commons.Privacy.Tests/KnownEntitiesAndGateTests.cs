using Commons.Privacy.Redaction;

namespace Commons.Privacy.Tests;

public sealed class KnownEntitiesAndGateTests
{
    [Fact]
    public void Redact_KnownPersonAndPlace_AreReplacedByKind()
    {
        var known = new KnownEntities([new KnownEntity("person", "Priya Raman"), new KnownEntity("place", "Lisbon")]);

        var result = Redactor.Redact("ask priya raman about the LISBON trip", ShippedPolicies.Set.Value.Redaction, known);

        Assert.Equal("ask [PERSON] about the [PLACE] trip", result.Text);
    }

    [Fact]
    public void Redact_KnownEntityThatIsAlsoAWord_IsReplacedEverywhere()
    {
        var known = new KnownEntities([new KnownEntity("person", "Will")]);

        var result = Redactor.Redact("will you ask will's sister", ShippedPolicies.Set.Value.Redaction, known);

        Assert.DoesNotContain("will", result.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("remind me to water the plants", "remind me to water the plants")]
    [InlineData("book a table at Zuccotti", "book a table at [NAME]")]
    [InlineData("email kowalczyk about it", "email [WORD] about it")]
    [InlineData("Call Rose when I get home", "Call [NAME] when I get [PLACE]")]
    [InlineData("send a rose to PDA", "send a rose to [NAME]")]
    [InlineData("order 12 or 12345 pizzas", "order 12 or [NUMBER] pizzas")]
    public void Redact_VocabularyGate_KeepsOnlySharedWords(string input, string expected)
    {
        Assert.Equal(expected, Redactor.Redact(input, ShippedPolicies.Set.Value.Redaction).Text);
    }

    [Fact]
    public void Check_UnredactedText_FiresAndNamesTheRuleNotTheValue()
    {
        var result = LeakCheck.Check("mail jane.doe@example.com", ShippedPolicies.Set.Value.Redaction);

        Assert.False(result.Clean);
        Assert.Contains("email", result.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("jane", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_RedactedText_IsClean()
    {
        var policy = ShippedPolicies.Set.Value.Redaction;
        var redacted = Redactor.Redact("Mail jane.doe@example.com or call Zuccotti at 5pm", policy).Text;

        Assert.True(LeakCheck.Check(redacted, policy).Clean);
    }
}
