using Commons.Privacy.Budget;
using Commons.Privacy.Export;
using Commons.Privacy.Redaction;

namespace Commons.Personal.Sharing;

/// <summary>
/// An owner's export pipeline, epsilon ledger and known entities. A personal silo has one owner (its data
/// folder's); the benchmark hosts many simulated people in one silo, each with their own.
/// </summary>
public interface IOwnerPrivacy
{
    ExportPipeline PipelineFor(string owner);

    IEpsilonBudgetStore BudgetFor(string owner);

    /// <summary>The owner's own entities that redaction must replace; a source that cannot be read throws, so the export refuses.</summary>
    Task<KnownEntities> KnownEntitiesAsync(string owner, CancellationToken cancellationToken);
}
