using System.CommandLine;
using Commons.Abstractions.Hosting;
using Commons.Community.Hosting;
using Commons.Insights;
using Commons.Pools.Client;
using Humanizer;

namespace Commons.Cli.Commands;

/// <summary>The pool host's commands: <c>init-db</c>, <c>keygen</c>, <c>invite</c>, <c>peer add</c>.</summary>
internal static class PoolAdminCommands
{
    public static Command CreateInitDb()
    {
        var command = new Command("init-db", "Apply the pool's PostgreSQL schema (Orleans clustering and grain state); safe to run again.");
        var connection = PoolServeCommand.ConnectionOption();
        command.Options.Add(connection);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var connectionString = parse.GetValue(connection) ?? Environment.GetEnvironmentVariable("COMMONS_Silo__ConnectionString")
                ?? throw new CommonsException("--connection is required: the pool's PostgreSQL connection string.");
            await PoolSchema.ApplyAsync(connectionString, cancellationToken);
            Console.Out.WriteLine($"schema applied ({string.Join(", ", PoolSchema.ScriptNames.Select(n => n["Commons.Community.Sql.".Length..]))})");
            return 0;
        });
        return command;
    }

    public static Command CreateKeygen()
    {
        var command = new Command("keygen", "Create the pool's admin key (it signs invites and admin requests) and print its key id.");
        var output = new Option<string>("--out")
        {
            Description = "File for the private key (created owner-only; never overwritten). A bare name goes to $COMMONS_HOME/keys.",
            DefaultValueFactory = _ => "pool-admin.key",
        };
        var force = new Option<bool>("--force") { Description = "Write the key even inside a git work tree." };
        command.Options.Add(output);
        command.Options.Add(force);
        command.SetAction(parse =>
        {
            var home = CommonsHome.FromEnvironment();
            var path = KeyLocation.ForWriting(parse.GetValue(output)!, home);
            if (!parse.GetValue(force) && KeyLocation.GitWorkTree(path) is { } workTree)
            {
                throw new CommonsException($"{path} is inside the git work tree {workTree}, where a private key is one 'git add' away from being published; give a bare name (it goes to {Path.Combine(home.Root, "keys")}) or a path elsewhere, or pass --force.");
            }

            if (File.Exists(path))
            {
                throw new CommonsException($"{path} already exists; keygen never overwrites a key.");
            }

            if (path.StartsWith(home.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                home.EnsureUsable();
            }

            using var key = ContributorKey.Create();
            if (!ContributorKeyFile.TryCreate(path, key))
            {
                throw new CommonsException($"{path} already exists; keygen never overwrites a key.");
            }

            // Standard output stays the key id alone, for scripts; where the key went is for the person.
            Console.Error.WriteLine($"The private key is in {path} (readable only by you).");
            Console.Out.WriteLine(key.KeyId);
            return 0;
        });
        return command;
    }

    public static Command CreateInvite()
    {
        var command = new Command("invite", "Print an invite token signed by the pool's admin key.");
        var adminKey = AdminKeyOption();
        var uses = new Option<int>("--uses") { Description = "How many member keys may join with it.", DefaultValueFactory = _ => 1 };
        var days = new Option<double>("--days") { Description = "Days until it expires.", DefaultValueFactory = _ => 7 };
        var peer = new Option<bool>("--peer") { Description = "Invite another pool as a peer: it may also read this pool's feed (`pool peer add` on its side)." };
        command.Options.Add(adminKey);
        command.Options.Add(uses);
        command.Options.Add(days);
        command.Options.Add(peer);
        command.SetAction(parse =>
        {
            if (parse.GetValue(uses) < 1 || parse.GetValue(days) <= 0)
            {
                throw new CommonsException("--uses must be at least 1 and --days above 0.");
            }

            using var key = LoadAdminKey(parse.GetValue(adminKey)!);
            Console.Out.WriteLine(InviteToken.Create(key, TimeSpan.FromDays(parse.GetValue(days)), parse.GetValue(uses), DateTimeOffset.UtcNow, parse.GetValue(peer)));
            return 0;
        });
        return command;
    }

    public static Command CreatePeer()
    {
        var peer = new Command("peer", "Federation with other pools.");
        var add = new Command("add", "Make this pool replicate the signed artifacts of a peer pool (through its feed).");
        var url = new Argument<string>("url") { Description = "The peer pool's URL." };
        var invite = new Option<string>("--invite") { Description = "A peer invite the peer's admin issued for this pool (`pool invite --peer`).", Required = true };
        var pool = new Option<string>("--pool") { Description = "This pool's URL.", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var adminKey = AdminKeyOption();
        add.Arguments.Add(url);
        add.Options.Add(invite);
        add.Options.Add(pool);
        add.Options.Add(adminKey);
        add.SetAction(async (parse, cancellationToken) =>
        {
            using var key = LoadAdminKey(parse.GetValue(adminKey)!);
            using var http = new HttpClient { BaseAddress = new Uri(PoolMembershipStore.Normalise(parse.GetValue(pool)!)) };
            var client = new PoolClient(http, key);
            try
            {
                var status = await client.AddPeerAsync(PoolMembershipStore.Normalise(parse.GetValue(url)!), parse.GetValue(invite)!, cancellationToken);
                Console.Out.WriteLine($"peer {status.Url}: joined, {"artifact".ToQuantity(status.Replicated)} replicated so far" + (status.LastError is null ? "" : $" (last error: {status.LastError})"));
                return 0;
            }
            catch (Exception ex) when (ex is PoolApiException or HttpRequestException)
            {
                throw new CommonsException($"The pool did not add the peer: {ex.Message}", ex);
            }
        });
        peer.Subcommands.Add(add);
        return peer;
    }

    internal static Option<string> AdminKeyOption() => new("--admin-key")
    {
        Description = "The pool's admin key file (from `commons pool keygen`); a bare name is looked for in $COMMONS_HOME/keys first.",
        Required = true,
    };

    internal static ContributorKey LoadAdminKey(string given, string what = "admin key")
    {
        var path = KeyLocation.ForReading(given, CommonsHome.FromEnvironment());
        try
        {
            return ContributorKeyFile.Read(path);
        }
        catch (InvalidDataException ex)
        {
            throw new CommonsException($"The {what} {path} {ex.Message} (`commons pool keygen` writes one).", ex);
        }
        catch (IOException ex)
        {
            throw new CommonsException($"The {what} {path} cannot be read: {ex.Message}", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new CommonsException($"The {what} {path} cannot be read: {ex.Message}", ex);
        }
    }
}
