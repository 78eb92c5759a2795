using Commons.Privacy.Redaction;

namespace Commons.Privacy.Tests;

public sealed class DetectorTests
{
    [Theory]
    [InlineData("Mail jane.doe@example.com today", "[EMAIL]")]
    [InlineData("write to first.last+tag@mail.example.co.uk", "[EMAIL]")]
    [InlineData("add john@gmail dot com", "[EMAIL]")]
    [InlineData("send to jana dot litt at gmail dot com", "[EMAIL]")]
    [InlineData("see https://example.com/a?b=1", "[URL]")]
    [InlineData("open www.example.org now", "[URL]")]
    [InlineData("visit shop.example.net", "[URL]")]
    [InlineData("my card 4111 1111 1111 1111", "[CARD]")]
    [InlineData("my card 5500-0000-0000-0004", "[CARD]")]
    [InlineData("amex 378282246310005", "[CARD]")]
    [InlineData("iban GB82 WEST 1234 5698 7654 32", "[IBAN]")]
    [InlineData("iban DE89370400440532013000", "[IBAN]")]
    [InlineData("iban FR14 2004 1010 0505 0001 3M02 606", "[IBAN]")]
    [InlineData("router 192.168.0.1", "[IP]")]
    [InlineData("dns 8.8.8.8", "[IP]")]
    [InlineData("host 2001:db8::1", "[IP]")]
    [InlineData("host fe80::1ff:fe23:4567:890a", "[IP]")]
    [InlineData("host 2001:0db8:85a3:0000:0000:8a2e:0370:7334", "[IP]")]
    [InlineData("call +44 20 7946 0958", "[PHONE]")]
    [InlineData("call +1 (415) 555-2671", "[PHONE]")]
    [InlineData("call 0049 30 1234567", "[PHONE]")]
    [InlineData("call (415) 555-2671", "[PHONE]")]
    [InlineData("call 4155552671", "[PHONE]")]
    [InlineData("call +33 1 42 68 53 00", "[PHONE]")]
    [InlineData("ssn 123-45-6789", "[GOV_ID]")]
    [InlineData("nino AB 12 34 56 C", "[GOV_ID]")]
    [InlineData("due 2024-03-01", "[DATE]")]
    [InlineData("due 31/12/2024", "[DATE]")]
    [InlineData("due 12/31/24", "[DATE]")]
    [InlineData("due 01.03.2024", "[DATE]")]
    [InlineData("born on 3rd of March 1990", "[DATE]")]
    [InlineData("party on Sept 14", "[DATE]")]
    [InlineData("wake at 6:45", "[TIME]")]
    [InlineData("wake at 18:30:15", "[TIME]")]
    [InlineData("wake at 5pm", "[TIME]")]
    [InlineData("wake at 8 a.m.", "[TIME]")]
    public void Redact_ValidValue_IsReplaced(string input, string placeholder)
    {
        var result = Redactor.Redact(input, ShippedPolicies.Set.Value.Redaction);

        Assert.Contains(placeholder, result.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("write to me @ home", "[EMAIL]")]
    [InlineData("user@ is not an address", "[EMAIL]")]
    [InlineData("open notes.txt", "[URL]")]
    [InlineData("http:/broken", "[URL]")]
    [InlineData("my card 4111 1111 1111 1112", "[CARD]")]
    [InlineData("code 1234567890123", "[CARD]")]
    [InlineData("iban GB82 WEST 1234 5698 7654 33", "[IBAN]")]
    [InlineData("iban GB82 WEST 1234 5698 7654", "[IBAN]")]
    [InlineData("iban XX82 WEST 1234 5698 7654 32", "[IBAN]")]
    [InlineData("version 999.1.1.1", "[IP]")]
    [InlineData("version 1.2.3", "[IP]")]
    [InlineData("version 01.02.03.04", "[IP]")]
    [InlineData("host 2001:db8:::1", "[IP]")]
    [InlineData("ratio 3:2", "[IP]")]
    [InlineData("call +44 20", "[PHONE]")]
    [InlineData("walked 12345 steps", "[PHONE]")]
    [InlineData("call +1234567890123456", "[PHONE]")]
    [InlineData("code 000-12-3456", "[GOV_ID]")]
    [InlineData("code 666-12-3456", "[GOV_ID]")]
    [InlineData("nino QQ 12 34 56 C", "[GOV_ID]")]
    [InlineData("due 2024-13-45", "[DATE]")]
    [InlineData("due 31/02/2024", "[DATE]")]
    [InlineData("you may 5 times", "[DATE]")]
    [InlineData("at 25:99", "[TIME]")]
    [InlineData("at 13pm", "[TIME]")]
    [InlineData("the pm said", "[TIME]")]
    public void Redact_NearMiss_IsNotTakenForThatKind(string input, string placeholder)
    {
        var result = Redactor.Redact(input, ShippedPolicies.Set.Value.Redaction);

        Assert.DoesNotContain(placeholder, result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Redact_IssueSentence_ReplacesEmailAndPhone()
    {
        var result = Redactor.Redact("Mail jane.doe@example.com or call +44 20 7946 0958", ShippedPolicies.Set.Value.Redaction);

        Assert.Equal("Mail [EMAIL] or call [PHONE]", result.Text);
        Assert.Equal(["email", "phone"], result.Replacements.Select(r => r.RuleId));
        Assert.All(result.Replacements, r => Assert.EndsWith("redaction.yaml", r.RuleLocation.File, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("4111111111111111", true)]
    [InlineData("4111111111111112", false)]
    [InlineData("79927398713", false)]
    [InlineData("6011 1111 1111 1117", true)]
    public void IsLuhn_Number_MatchesChecksum(string number, bool expected) => Assert.Equal(expected, DetectorValidators.IsLuhn(number));

    [Theory]
    [InlineData("GB82WEST12345698765432", true)]
    [InlineData("GB82 WEST 1234 5698 7654 32", true)]
    [InlineData("GB82WEST12345698765433", false)]
    [InlineData("NL91ABNA0417164300", true)]
    [InlineData("NL91ABNA041716430", false)]
    public void IsIban_Value_MatchesMod97AndLength(string iban, bool expected) => Assert.Equal(expected, DetectorValidators.IsIban(iban));
}
