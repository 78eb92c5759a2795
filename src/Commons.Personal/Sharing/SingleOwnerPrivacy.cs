using Commons.Privacy.Budget;
using Commons.Privacy.Export;
using Commons.Privacy.Redaction;

namespace Commons.Personal.Sharing;

/// <summary>The data folder's one owner: its pipeline, its ledger file and its known-entities file, whoever asks.</summary>
public sealed class SingleOwnerPrivacy(ExportPipeline pipeline, IEpsilonBudgetStore budget, IKnownEntitySource knownEntities) : IOwnerPrivacy
{
    public ExportPipeline PipelineFor(string owner) => pipeline;

    public IEpsilonBudgetStore BudgetFor(string owner) => budget;

    public Task<KnownEntities> KnownEntitiesAsync(string owner, CancellationToken cancellationToken) => knownEntities.GetAsync(cancellationToken);
}
