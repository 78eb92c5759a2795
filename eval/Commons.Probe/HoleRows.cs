using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Commons.Abstractions.Pools;
using Commons.Pools.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Commons.Probe;

/// <summary>The rows that take one request or a few hundred: each sends what the hostile probe sent and counts the answers.</summary>
internal static class HoleRows
{
    /// <summary>A member past its free reads, not a peer, reads the feed 200 times; a 2-member group (k 3) must not reach it.</summary>
    public static async Task FeedAsync(Probe probe)
    {
        const string topic = "probe.feed";
        var (a, viaA) = await probe.MemberAsync();
        var (b, viaB) = await probe.MemberAsync();
        await viaA.PublishAsync(Probe.Artifact(a, topic, "the heating stays on while nobody is home", "turn the thermostat down before leaving"));
        await viaB.PublishAsync(Probe.Artifact(b, topic, "the heating stays on while nobody is home", "turn the thermostat down before leaving"));

        var (m, viaM) = await probe.MemberAsync();
        var queries = new List<HttpStatusCode>();
        for (var i = 0; i < 30 && !queries.Contains(HttpStatusCode.PaymentRequired); i++)
        {
            queries.Add(await probe.StatusAsync(m, HttpMethod.Post, PoolWire.Query, Probe.Query(topic, "the heating")));
        }

        var feed = new List<HttpStatusCode>();
        var artifacts = 0;
        for (var i = 0; i < 200; i++)
        {
            using var request = probe.Signed(m, HttpMethod.Get, $"{PoolWire.Feed}?topic={topic}&after=0&max=256", [], nonce: Pools.Client.RequestSignature.NewNonce());
            using var response = await probe.Http.SendAsync(request);
            feed.Add(response.StatusCode);
            if (response.IsSuccessStatusCode)
            {
                artifacts += (await response.Content.ReadFromJsonAsync<FeedPage>(PoolClient.Json))!.Items.Count;
            }
        }

        var (_, viaPeer) = await probe.MemberAsync(peer: true);
        var peerItems = (await viaPeer.ReadFeedAsync(topic, 0, 256)).Items.Count;
        Report.Row("feed read by a non-peer member over its allowance",
            $"queries until refused: {Probe.Tally(queries)}; then 200 feed reads: {Probe.Tally(feed)}, {artifacts} artifacts served; an admitted peer pool reads {peerItems} signed artifacts (it applies k itself)",
            !feed.Contains(HttpStatusCode.OK));
    }

    /// <summary>A plain Orleans client (Microsoft.Orleans.Client) tries the gateway port, then the silo port, and makes a fresh key a member if it gets in.</summary>
    public static async Task GatewayAsync(int gatewayPort, int siloPort, string clusterId)
    {
        var parts = new List<string>();
        var opened = false;
        foreach (var (name, port) in new[] { ("gateway", gatewayPort), ("silo", siloPort) })
        {
            using var tcp = new TcpClient();
            string tcpResult;
            try
            {
                await tcp.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TimeSpan.FromSeconds(5));
                tcpResult = "TCP connects";
            }
            catch (Exception e) when (e is SocketException or TimeoutException)
            {
                tcpResult = "TCP refused";
            }

            var client = await OrleansClientAsync(port, clusterId);
            opened |= client.StartsWith("admitted", StringComparison.Ordinal);
            parts.Add($"{name} port {port}: {tcpResult}; Orleans client: {client}");
        }

        Report.Row("plain Orleans client against the gateway", string.Join("; ", parts), !opened);
    }

    private static async Task<string> OrleansClientAsync(int port, string clusterId)
    {
        using var host = new HostBuilder()
            .UseOrleansClient(client => client
                .UseStaticClustering(new IPEndPoint(IPAddress.Loopback, port))
                .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, clusterId)))
            .Build();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await host.StartAsync(timeout.Token);
        }
        catch (Exception e)
        {
            return $"not connected ({e.GetType().Name})";
        }

        try
        {
            var key = Commons.Insights.ContributorKey.Create().KeyId;
            var status = await host.Services.GetRequiredService<IClusterClient>().GetGrain<IContributorGrain>(key).AdmitAsync("probe").WaitAsync(TimeSpan.FromSeconds(20));
            return $"admitted {key} with no invite (member: {status.IsMember})";
        }
        catch (Exception e)
        {
            return $"connected, grain call failed ({e.GetType().Name})";
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>One signed query, the same bytes sent 10 times; the victim's free reads before and after.</summary>
    public static async Task ReplayAsync(Probe probe)
    {
        var (victim, viaVictim) = await probe.MemberAsync();
        var before = (await viaVictim.GetMeAsync()).FreeReadsLeft;
        var body = Probe.Query("probe.replay", "the heating");
        var (timestamp, signature) = RequestSignature.Sign(victim, "POST", PoolWire.Query, body, DateTimeOffset.UtcNow);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, PoolWire.Query) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.Add(RequestSignature.KeyHeader, victim.KeyId);
            request.Headers.Add(RequestSignature.TimestampHeader, timestamp);
            request.Headers.Add(RequestSignature.SignatureHeader, signature);
            using var response = await probe.Http.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        var after = (await viaVictim.GetMeAsync()).FreeReadsLeft;
        Report.Row("replay of one signed query 10 times", $"{Probe.Tally(statuses)}; the victim's free reads {before} → {after}",
            statuses.Count(s => s == HttpStatusCode.OK) <= 1 && before - after <= 1);
    }

    /// <summary>
    /// Unauthenticated bodies over 64 KiB, chunked (no length) and with a Content-Length, written on a raw
    /// socket so that the answer is read even when the pool stops reading the body and closes.
    /// </summary>
    public static async Task OversizeAsync(Probe probe)
    {
        var statuses = new List<string>();
        foreach (var path in new[] { PoolWire.Artifacts, PoolWire.Join, PoolWire.Query })
        {
            foreach (var chunked in new[] { true, false })
            {
                statuses.Add($"{path} {(chunked ? "chunked" : "length")} {await OversizeStatusAsync(probe.Pool, path, chunked)}");
            }
        }

        Report.Row("body over 64 KiB (70 KiB)", string.Join(", ", statuses), statuses.All(s => s.EndsWith(" 413", StringComparison.Ordinal)));
    }

    private static async Task<string> OversizeStatusAsync(Uri pool, string path, bool chunked)
    {
        const int size = 70 * 1024;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(pool.Host, pool.Port);
        var stream = tcp.GetStream();
        var head = $"POST {path} HTTP/1.1\r\nHost: {pool.Authority}\r\nContent-Type: application/json\r\n"
            + (chunked ? "Transfer-Encoding: chunked\r\n" : $"Content-Length: {size}\r\n") + "Connection: close\r\n\r\n";
        var reading = ReadStatusAsync(stream);
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            var piece = Encoding.ASCII.GetBytes(new string('a', 4096));
            for (var sent = 0; sent < size; sent += piece.Length)
            {
                await stream.WriteAsync(chunked ? Encoding.ASCII.GetBytes($"{piece.Length:x}\r\n") : []);
                await stream.WriteAsync(piece);
                await stream.WriteAsync(chunked ? "\r\n"u8.ToArray() : []);
            }

            await stream.WriteAsync(chunked ? "0\r\n\r\n"u8.ToArray() : []);
        }
        catch (IOException)
        {
            // The pool stopped reading and closed; its answer, if any, is already on the way.
        }

        return await reading.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static async Task<string> ReadStatusAsync(NetworkStream stream)
    {
        var buffer = new byte[1024];
        var text = new StringBuilder();
        try
        {
            int read;
            while (!text.ToString().Contains('\n', StringComparison.Ordinal) && (read = await stream.ReadAsync(buffer)) > 0)
            {
                text.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (IOException)
        {
        }

        var line = text.ToString().Split('\n')[0].Split(' ');
        return line.Length > 1 ? line[1] : "closed without an answer";
    }

    /// <summary>Invisible and bidi characters in advice and situation, in artifacts signed by hand (the product's signer refuses them).</summary>
    public static async Task UnicodeAsync(Probe probe)
    {
        var (key, _) = await probe.MemberAsync();
        var texts = new (string Name, string Text)[]
        {
            ("U+202E only", "\u202E\u202E\u202E"),
            ("zero-width U+200B", "turn the\u200Bthermostat down"),
            ("BOM U+FEFF", "\uFEFFturn the thermostat down"),
            ("tag characters U+E0041…", "turn the thermostat down" + char.ConvertFromUtf32(0xE0041) + char.ConvertFromUtf32(0xE0042)),
        };
        var results = new List<string>();
        var accepted = 0;
        foreach (var (name, text) in texts)
        {
            var inAdvice = await probe.StatusAsync(key, HttpMethod.Post, PoolWire.Artifacts, Probe.Forged(key, "probe.unicode", "the heating stays on", text));
            var inSituation = await probe.StatusAsync(key, HttpMethod.Post, PoolWire.Artifacts, Probe.Forged(key, "probe.unicode", "the heating " + text, "turn it down"));
            accepted += (inAdvice == HttpStatusCode.OK ? 1 : 0) + (inSituation == HttpStatusCode.OK ? 1 : 0);
            results.Add($"{name}: advice {(int)inAdvice}, situation {(int)inSituation}");
        }

        Report.Row("invisible and bidi characters in advice and situation", string.Join("; ", results), accepted == 0);
    }

    /// <summary>A request signature with <c>==</c> padding, an artifact signature with it, and epsilon 5e-324.</summary>
    public static async Task SignatureAsync(Probe probe)
    {
        var (key, _) = await probe.MemberAsync();
        using var padded = probe.Signed(key, HttpMethod.Get, PoolWire.Me, [], s => s + "==", RequestSignature.NewNonce());
        using var paddedAnswer = await probe.Http.SendAsync(padded);
        var artifact = await probe.StatusAsync(key, HttpMethod.Post, PoolWire.Artifacts,
            Probe.Forged(key, "probe.signature", "the heating stays on", "turn the thermostat down", bendSignature: s => s + "=="));
        var epsilon = await probe.StatusAsync(key, HttpMethod.Post, PoolWire.Artifacts,
            Probe.Forged(key, "probe.signature", "the heating stays on at night", "turn the thermostat down", epsilon: 5e-324));
        Report.Row("`==` padded signature; epsilon 5e-324",
            $"request signature + '==': {(int)paddedAnswer.StatusCode}; artifact signature + '==': {(int)artifact}; epsilon 5e-324: {(int)epsilon}",
            paddedAnswer.StatusCode != HttpStatusCode.OK && artifact != HttpStatusCode.OK && epsilon != HttpStatusCode.OK);
    }
}
