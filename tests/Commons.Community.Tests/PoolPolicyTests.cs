using System.Net;
using System.Text.Json;
using Commons.Abstractions.Hosting;
using Commons.Community.Hosting;
using Commons.Community.Service;
using Commons.Insights;
using Commons.Pools.Client;
using Commons.Tests.Shared;

namespace Commons.Community.Tests;

/// <summary>A pool's own policy, published signed and enforced on arrival with the members' redaction code (real silo, PostgreSQL, HTTP).</summary>
public sealed class PoolPolicyTests : IAsyncLifetime
{
    private const string Topic = "weather.queries";
    private const string Situation = "the person asks what the weather will be like tomorrow";
    private const string Advice = "give the forecast for the whole day with the temperature";
    private GovernedPool? _governed;

    private GovernedPool Governed => _governed!;

    public async Task InitializeAsync() => _governed = await GovernedPool.StartAsync();

    public async Task DisposeAsync() => await Governed.DisposeAsync();

    [PostgresFact]
    public async Task GetPolicy_IsSignedByTheAdminKeyAndNamesTheRules()
    {
        var (client, _) = await Governed.Pool.MemberAsync();

        var info = await client.GetPolicyAsync();
        var (policy, problem) = PoolPolicyCheck.Verified(info, Governed.Pool.Admin.KeyId);

        Assert.Null(problem);
        Assert.NotNull(policy);
        Assert.Equal(1, policy.Version);
        Assert.Equal(["commons-default"], policy.AcceptedPolicies);
        Assert.Contains("health", policy.NeverShared);
        Assert.Contains("email", policy.Detectors);
        Assert.Equal(Governed.ReceiptKey.KeyId, policy.ReceiptKey);
        Assert.Equal(2, info.K);
        var inForce = Assert.Single((await client.ReadAuditAsync()).Entries, e => e.Action == "policy");
        Assert.Equal(Governed.Pool.Admin.KeyId, inForce.Actor);
        Assert.StartsWith("v1 ", inForce.Target, StringComparison.Ordinal);
        using var other = ContributorKey.Create();
        Assert.NotNull(PoolPolicyCheck.Verified(info, other.KeyId).Problem);
    }

    [PostgresFact]
    public async Task Publish_RedactedByAMembersPipeline_IsAccepted()
    {
        var (client, key) = await Governed.Pool.MemberAsync();

        var receipt = await client.PublishAsync(Governed.Redacted(key, Topic, Situation, Advice));

        Assert.False(receipt.Duplicate);
    }

    [PostgresFact]
    public async Task Publish_MadeUnderAnotherPolicy_IsRefusedWithTheReason()
    {
        var (client, key) = await Governed.Pool.MemberAsync();
        var artifact = Governed.Raw(key, Topic, Situation, Advice, new PolicyReference("rel.other", new string('1', 64)));

        var error = await Assert.ThrowsAsync<PoolApiException>(() => client.PublishAsync(artifact));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Status);
        Assert.Equal("policy-policy", error.Rejection);
        Assert.Contains("rel.other, which this pool does not accept", error.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task Publish_EmailSurvivingInTheAdvice_IsRefusedWithTheReason()
    {
        var (client, key) = await Governed.Pool.MemberAsync();
        var artifact = Governed.Raw(key, Topic, Governed.Redacted(key, Topic, Situation, Advice).Situation, "send the forecast to jane.doe@example.com every morning");

        var error = await Assert.ThrowsAsync<PoolApiException>(() => client.PublishAsync(artifact));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Status);
        Assert.Equal("policy-leak-check", error.Rejection);
        Assert.Contains("would change the advice", error.Message, StringComparison.Ordinal);
        Assert.Contains("'email'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("jane", error.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task Publish_OnANeverSharedTopic_IsRefusedWithTheReason()
    {
        var (client, key) = await Governed.Pool.MemberAsync();

        var error = await Assert.ThrowsAsync<PoolApiException>(() => client.PublishAsync(Governed.Redacted(key, "health.symptoms", Situation, Advice)));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Status);
        Assert.Equal("policy-topic", error.Rejection);
        Assert.Contains("the topic health.symptoms is never shared", error.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task Publish_Refused_IsQuarantinedForTheAdmin()
    {
        var (client, key) = await Governed.Pool.MemberAsync();
        var artifact = Governed.Redacted(key, "finance.budget", Situation, Advice);
        await Assert.ThrowsAsync<PoolApiException>(() => client.PublishAsync(artifact));

        var open = await Governed.Pool.AdminClient().ModerateAsync(new ModerationRequest("list"));

        var item = Assert.Single(open.Open, i => i.InsightId == artifact.Id);
        Assert.Equal("refused", item.Kind);
        Assert.Equal("topic", item.Reason);
        Assert.Equal(key.KeyId, item.Contributor);
    }

    [PostgresFact]
    public async Task Start_PolicySignedByAnotherKey_DoesNotStart()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        try
        {
            using var admin = ContributorKey.Create();
            var file = Path.GetTempFileName();
            // The governed pool's policy is signed by its own admin, not by this pool's.
            await File.WriteAllTextAsync(file, JsonSerializer.Serialize(Governed.Policy, PoolClient.Json));
            var settings = new Dictionary<string, string?>
            {
                ["Silo:ConnectionString"] = database,
                ["Silo:Urls"] = $"http://127.0.0.1:{Ports.Free()}",
                // A free silo port too: the default 11111 may be taken by a pool someone runs on this machine.
                ["Silo:SiloPort"] = Ports.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Pool:AdminKey"] = admin.KeyId,
                ["Governance:PolicyFile"] = file,
                ["Governance:Policies"] = PolicyFolder.Shipped,
            };

            var error = await Assert.ThrowsAsync<CommonsException>(() => CommunitySilo.StartAsync(settings));

            Assert.Contains("is not signed by this pool's admin key", error.Message, StringComparison.Ordinal);
            File.Delete(file);
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(database);
        }
    }
}
