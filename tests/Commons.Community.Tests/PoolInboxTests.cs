using Commons.Abstractions.Learning;
using Commons.Pools.Client;

namespace Commons.Community.Tests;

/// <summary>The member's side of withdrawals, without a pool: what is asked of it, and how.</summary>
public sealed class PoolInboxTests
{
    [Fact]
    public async Task Withdrawn_AsksEachTopicInBoundedRequests_AndCollectsTheAnswers()
    {
        var staged = Enumerable.Range(0, WithdrawnRequest.MaxIds + 5).Select(i => new StagedImport($"g{i}:a", "t.big"))
            .Append(new StagedImport("g-small:a", "t.small"))
            .Append(new StagedImport("g-topicless:a", ""))
            .ToList();
        var asked = new List<(string Topic, int Count)>();

        var withdrawn = await PoolInbox.WithdrawnAsync((topic, ids, _) =>
        {
            asked.Add((topic, ids.Count));
            // The pool says it withdrew the first id it was asked about each time.
            return Task.FromResult<IReadOnlyList<string>>([ids[0]]);
        }, staged);

        Assert.Equal([("t.big", WithdrawnRequest.MaxIds), ("t.big", 5), ("t.small", 1)], asked);
        Assert.Equal(["g0:a", $"g{WithdrawnRequest.MaxIds}:a", "g-small:a"], withdrawn);
    }
}
