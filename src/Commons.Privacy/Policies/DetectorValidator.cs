namespace Commons.Privacy.Policies;

/// <summary>A check in code that a detector's regex match really is what the rule names.</summary>
public enum DetectorValidator
{
    /// <summary>Every match counts.</summary>
    None,

    /// <summary>Payment card: 13–19 digits passing the Luhn checksum.</summary>
    Luhn,

    /// <summary>IBAN: known length and the ISO 13616 mod-97 check.</summary>
    Iban,

    /// <summary>IPv4: four parts of 0–255.</summary>
    Ipv4,

    /// <summary>IPv6: a valid address with at least two colons.</summary>
    Ipv6,

    /// <summary>Phone: 7–15 digits (E.164), more when written without separators or prefix.</summary>
    Phone,

    /// <summary>Date: a real calendar date.</summary>
    Date,
}
