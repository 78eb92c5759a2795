namespace Commons.Privacy.Export;

/// <summary>The model step that rewrites an entry in abstract terms before redaction (optional).</summary>
public interface IInsightGeneralizer
{
    /// <summary>Rewrites text in general terms; the result still goes through redaction and the leak check.</summary>
    Task<string> GeneralizeAsync(string text, CancellationToken cancellationToken);
}
