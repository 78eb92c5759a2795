using System.Collections.Concurrent;
using Commons.Personal.Sharing;
using Commons.Privacy.Budget;
using Commons.Privacy.Evaluation;
using Commons.Privacy.Export;
using Commons.Privacy.Noise;
using Commons.Privacy.Policies;
using Commons.Privacy.Redaction;

namespace Commons.Eval;

/// <summary>
/// Each simulated person's own export pipeline (seeded, so the run repeats), epsilon ledger (in memory)
/// and known entities (the annotated values of their own requests), as each would have on their machine.
/// Their clock is the simulated one, a day a round, so that daily budgets renew as they would.
/// </summary>
public sealed class EvalPrivacy(PolicyProvider policies, IReadOnlyDictionary<string, Person> people, int seed, TimeProvider day) : IOwnerPrivacy
{
    private readonly ConcurrentDictionary<string, (ExportPipeline Pipeline, MemoryBudgetStore Budget)> _owners = new(StringComparer.Ordinal);

    public ExportPipeline PipelineFor(string owner) => Get(owner).Pipeline;

    public IEpsilonBudgetStore BudgetFor(string owner) => Get(owner).Budget;

    /// <summary>Epsilon an owner spent in the whole arm (whatever the days).</summary>
    public decimal SpentBy(string owner) => _owners.TryGetValue(owner, out var o) ? o.Budget.TotalSpent : 0;

    public Task<KnownEntities> KnownEntitiesAsync(string owner, CancellationToken cancellationToken) =>
        Task.FromResult(new KnownEntities(people[owner].KnownEntities
            .Where(e => LeakEvaluator.KnownEntityTypes.ContainsKey(e.Type))
            .Select(e => new KnownEntity(LeakEvaluator.KnownEntityTypes[e.Type], e.Value))));

    private (ExportPipeline Pipeline, MemoryBudgetStore Budget) Get(string owner) => _owners.GetOrAdd(owner, o =>
    {
        var budget = new MemoryBudgetStore();
        return (new ExportPipeline(policies, budget, new SeededRandomSource((seed * 1000) + people[o].Index), day), budget);
    });
}
