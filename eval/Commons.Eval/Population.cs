using System.Globalization;

namespace Commons.Eval;

/// <summary>
/// Splits a data set into people with private, non-IID slices: each person's labels follow a
/// Dirichlet(alpha) draw, and no request belongs to two people.
/// </summary>
public static class Population
{
    public static List<Person> Create(Dataset dataset, int people, int interactions, double alpha, int seed, double canaryShare)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var random = new Random(seed);
        var byLabel = dataset.Requests.GroupBy(r => r.Label).ToDictionary(g => g.Key, g => new Queue<Request>(g.OrderBy(_ => random.Next())), StringComparer.Ordinal);
        var labels = dataset.Labels;
        var result = new List<Person>();
        for (var p = 0; p < people; p++)
        {
            var weights = Dirichlet(random, labels.Count, alpha);
            var requests = new List<Request>();
            var attempts = 0;
            while (requests.Count < interactions && attempts++ < interactions * 50)
            {
                var label = labels[Sample(random, weights)];
                if (byLabel[label].Count > 0)
                {
                    requests.Add(byLabel[label].Dequeue());
                }
            }

            if (requests.Count < interactions)
            {
                throw new Abstractions.Hosting.CommonsException($"The dataset has too few requests for {people} people with {interactions} interactions each.");
            }

            // Canaries: secret strings planted in some people's requests; none may ever leave.
            string? canary = null;
            if (random.NextDouble() < canaryShare)
            {
                canary = "zq" + random.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture) + "canary";
                for (var i = 0; i < requests.Count; i += 3)
                {
                    var r = requests[i];
                    requests[i] = r with { Text = $"{r.Text} for {canary}", Entities = [.. r.Entities, ("canary", canary)] };
                }
            }

            result.Add(new Person(p, requests, PersonRole.Contributor, canary));
        }

        return result;
    }

    /// <summary>Assigns roles deterministically: the first share of people (after a shuffle) become poisoners, the next free riders.</summary>
    public static List<Person> WithRoles(IReadOnlyList<Person> people, double poisonerShare, double freeRiderShare, int seed)
    {
        ArgumentNullException.ThrowIfNull(people);
        var order = people.OrderBy(p => new Random(seed + p.Index).Next()).ToList();
        var poisoners = (int)Math.Round(people.Count * poisonerShare);
        var freeRiders = (int)Math.Round(people.Count * freeRiderShare);
        var roles = new Dictionary<int, PersonRole>();
        for (var i = 0; i < order.Count; i++)
        {
            roles[order[i].Index] = i < poisoners ? PersonRole.Poisoner : i < poisoners + freeRiders ? PersonRole.FreeRider : PersonRole.Contributor;
        }

        return people.Select(p => p with { Role = roles[p.Index] }).ToList();
    }

    private static double[] Dirichlet(Random random, int k, double alpha)
    {
        var draws = new double[k];
        for (var i = 0; i < k; i++)
        {
            draws[i] = Learning.BetaSampler.Gamma(random, alpha);
        }

        var sum = draws.Sum();
        return draws.Select(d => d / sum).ToArray();
    }

    private static int Sample(Random random, double[] weights)
    {
        var u = random.NextDouble();
        for (var i = 0; i < weights.Length; i++)
        {
            u -= weights[i];
            if (u <= 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }
}
