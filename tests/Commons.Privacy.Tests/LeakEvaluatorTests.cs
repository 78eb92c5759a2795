using Commons.Privacy.Evaluation;

namespace Commons.Privacy.Tests;

public sealed class LeakEvaluatorTests
{
    [Fact]
    public void Evaluate_KnownEntitiesOfTheSamePerson_RemoveWhatTheGateKeeps()
    {
        var requests = new List<AnnotatedRequest>
        {
            new("a", "remind me when I get home", [new("place_name", "home")]),
            new("a", "text Zuccotti about dinner", [new("person", "zuccotti")]),
            new("b", "play some jazz", []),
        };

        var report = LeakEvaluator.Evaluate(requests, ShippedPolicies.Set.Value.Redaction);

        var person = report.Rows.Single(r => r.EntityType == "person");
        Assert.Equal(0, person.SurvivedDetectorsOnly);
        Assert.Equal(0, person.SurvivedWithKnown);
        Assert.Equal(2, report.People);
        Assert.Equal(0, report.OverRedactionDetectorsOnly, 3);
    }
}
