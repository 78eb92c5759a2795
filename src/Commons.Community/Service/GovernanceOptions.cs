namespace Commons.Community.Service;

/// <summary>
/// The pool's own policy (configuration section <c>Governance</c>; <c>pool serve --policy --policies
/// --receipt-key</c>). Without a policy file the pool takes any artifact a member signs, as before.
/// </summary>
public sealed class GovernanceOptions
{
    public const string SectionName = "Governance";

    /// <summary>The signed pool policy (<c>commons pool policy sign</c> writes it).</summary>
    public string? PolicyFile { get; set; }

    /// <summary>The policies folder it was signed over: its redaction rules check every arriving artifact.</summary>
    public string? Policies { get; set; }

    /// <summary>The private key that signs erasure receipts (the policy names its key id).</summary>
    public string? ReceiptKeyFile { get; set; }
}
