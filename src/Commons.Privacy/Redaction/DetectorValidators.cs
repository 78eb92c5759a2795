using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using Commons.Privacy.Policies;

namespace Commons.Privacy.Redaction;

/// <summary>The checks behind <see cref="DetectorValidator"/>: a regex finds a shape, these confirm it.</summary>
public static class DetectorValidators
{
    // ISO 13616 IBAN lengths per country.
    private static readonly Dictionary<string, int> IbanLengths = new(StringComparer.Ordinal)
    {
        ["AD"] = 24, ["AE"] = 23, ["AL"] = 28, ["AT"] = 20, ["AZ"] = 28, ["BA"] = 20, ["BE"] = 16, ["BG"] = 22, ["BH"] = 22,
        ["BR"] = 29, ["CH"] = 21, ["CR"] = 22, ["CY"] = 28, ["CZ"] = 24, ["DE"] = 22, ["DK"] = 18, ["DO"] = 28, ["EE"] = 20,
        ["EG"] = 29, ["ES"] = 24, ["FI"] = 18, ["FO"] = 18, ["FR"] = 27, ["GB"] = 22, ["GE"] = 22, ["GI"] = 23, ["GL"] = 18,
        ["GR"] = 27, ["GT"] = 28, ["HR"] = 21, ["HU"] = 28, ["IE"] = 22, ["IL"] = 23, ["IS"] = 26, ["IT"] = 27, ["JO"] = 30,
        ["KW"] = 30, ["KZ"] = 20, ["LB"] = 28, ["LI"] = 21, ["LT"] = 20, ["LU"] = 20, ["LV"] = 21, ["MC"] = 27, ["MD"] = 24,
        ["ME"] = 22, ["MK"] = 19, ["MR"] = 27, ["MT"] = 31, ["MU"] = 30, ["NL"] = 18, ["NO"] = 15, ["PK"] = 24, ["PL"] = 28,
        ["PS"] = 29, ["PT"] = 25, ["QA"] = 29, ["RO"] = 24, ["RS"] = 22, ["SA"] = 24, ["SE"] = 24, ["SI"] = 19, ["SK"] = 24,
        ["SM"] = 27, ["TN"] = 24, ["TR"] = 26, ["UA"] = 29, ["VG"] = 24, ["XK"] = 20,
    };

    /// <summary>True when the matched text passes the validator.</summary>
    public static bool IsValid(DetectorValidator validator, string match) => validator switch
    {
        DetectorValidator.None => true,
        DetectorValidator.Luhn => IsLuhn(match),
        DetectorValidator.Iban => IsIban(match),
        DetectorValidator.Ipv4 => IsIpv4(match),
        DetectorValidator.Ipv6 => IsIpv6(match),
        DetectorValidator.Phone => IsPhone(match),
        DetectorValidator.Date => IsDate(match),
        _ => false,
    };

    /// <summary>13–19 digits (spaces and dashes ignored) with a valid Luhn check digit.</summary>
    public static bool IsLuhn(string text)
    {
        var digits = Digits(text);
        if (digits.Length is < 13 or > 19)
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
        }

        return sum % 10 == 0;
    }

    /// <summary>An IBAN of its country's length whose mod-97 remainder is 1.</summary>
    public static bool IsIban(string text)
    {
        var compact = string.Concat(text.Where(c => !char.IsWhiteSpace(c))).ToUpperInvariant();
        if (compact.Length < 15 || !IbanLengths.TryGetValue(compact[..2], out var length) || compact.Length != length
            || !compact.All(char.IsAsciiLetterOrDigit) || !char.IsAsciiDigit(compact[2]) || !char.IsAsciiDigit(compact[3]))
        {
            return false;
        }

        var rearranged = compact[4..] + compact[..4];
        var numeric = string.Concat(rearranged.Select(c => char.IsAsciiDigit(c) ? c.ToString() : (c - 'A' + 10).ToString(CultureInfo.InvariantCulture)));
        return BigInteger.Parse(numeric, CultureInfo.InvariantCulture) % 97 == 1;
    }

    /// <summary>Four decimal parts of 0–255 without leading zeros.</summary>
    public static bool IsIpv4(string text)
    {
        var parts = text.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is >= 1 and <= 3 && p.All(char.IsAsciiDigit)
            && (p.Length == 1 || p[0] != '0') && int.Parse(p, CultureInfo.InvariantCulture) <= 255);
    }

    /// <summary>A valid IPv6 address (with at least two colons, so times and ratios do not count).</summary>
    public static bool IsIpv6(string text) =>
        text.Count(c => c == ':') >= 2 && IPAddress.TryParse(text, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6
        && text.Any(c => char.IsAsciiHexDigit(c));

    /// <summary>
    /// A phone number: with a + or 00 prefix 8–15 digits; with separators 7–15 digits; a bare run of
    /// digits needs 10–15 (shorter runs are ordinary numbers).
    /// </summary>
    public static bool IsPhone(string text)
    {
        var trimmed = text.Trim();
        var digits = Digits(trimmed);
        if (trimmed.StartsWith('+') || trimmed.StartsWith("00", StringComparison.Ordinal))
        {
            return digits.Length is >= 8 and <= 15;
        }

        var separated = trimmed.Any(c => c is ' ' or '-' or '.' or '(' or ')');
        return separated ? digits.Length is >= 7 and <= 15 : digits.Length is >= 10 and <= 15;
    }

    /// <summary>A real calendar date in ISO (2024-03-01), day/month/year or month/day/year form.</summary>
    public static bool IsDate(string text)
    {
        var parts = text.Split(['-', '/', '.']);
        if (parts.Length != 3 || !parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit)))
        {
            return false;
        }

        var numbers = parts.Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        if (parts[0].Length == 4)
        {
            return IsDay(numbers[0], numbers[1], numbers[2]);
        }

        var year = parts[2].Length == 2 ? 2000 + numbers[2] : numbers[2];
        return parts[2].Length is 2 or 4 && (IsDay(year, numbers[1], numbers[0]) || IsDay(year, numbers[0], numbers[1]));
    }

    private static bool IsDay(int year, int month, int day) =>
        year is >= 1 and <= 9999 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);

    private static string Digits(string text) => string.Concat(text.Where(char.IsAsciiDigit));
}
