using System.CommandLine;
using Commons.Abstractions.Hosting;
using Commons.Privacy.Policies;
using Humanizer;

namespace Commons.Cli.Commands;

/// <summary><c>commons policy test</c>: runs every example in the policies folder.</summary>
internal static class PolicyCommand
{
    /// <summary>Exit code when an example fails.</summary>
    public const int ExampleFailed = 1;

    public static Command Create()
    {
        var policy = new Command("policy", "Check the redaction and sharing policies.");
        var test = new Command("test", "Run every example in the policies and report the ones that fail (exit 1), or the load errors (exit 2).");
        var folder = CreateFolderOption();
        test.Options.Add(folder);
        test.SetAction(parse =>
        {
            var directory = ResolveFolder(parse, folder);
            PolicySet policies;
            try
            {
                policies = PolicySet.Load(directory);
            }
            catch (PolicyLoadException ex) when (ex.Errors.Count > 0)
            {
                foreach (var error in ex.Errors)
                {
                    Console.Error.WriteLine($"{Display(error.Location)}: {error.Message}");
                }

                CommandRunner.WriteError($"The policies in {directory} did not load ({"error".ToQuantity(ex.Errors.Count)}); nothing would be shared.");
                return CommandRunner.BadInput;
            }
            catch (PolicyLoadException ex)
            {
                throw new CommonsException(ex.Message, ex);
            }

            var outcomes = PolicyExampleRunner.Run(policies);
            var failures = outcomes.Where(o => !o.Passed).ToList();
            foreach (var failure in failures)
            {
                var example = failure.Example;
                Console.Out.WriteLine($"FAIL {example.RuleId} ({Display(example.Location)})");
                Console.Out.WriteLine($"  input:    {example.Input}" + (example.Evidence > 0 ? $" (evidence {example.Evidence})" : ""));
                Console.Out.WriteLine($"  expected: {example.Expected}");
                Console.Out.WriteLine($"  actual:   {failure.Actual}");
            }

            Console.Out.WriteLine($"{outcomes.Count - failures.Count} passed, {failures.Count} failed ({"example".ToQuantity(outcomes.Count)} in {directory}, policy {policies.Id} sha256 {policies.Hash})");
            return failures.Count == 0 ? 0 : ExampleFailed;
        });
        policy.Subcommands.Add(test);
        return policy;
    }

    /// <summary>The <c>--policies DIR</c> option shared by the policy commands.</summary>
    public static Option<string?> CreateFolderOption() => new("--policies")
    {
        Description = "Policies folder (default: COMMONS_POLICIES, then $COMMONS_HOME/policies, then the policies shipped with commons).",
    };

    public static string ResolveFolder(ParseResult parse, Option<string?> folder) =>
        PolicyLocator.Resolve(parse.GetValue(folder), CommonsHome.FromEnvironment().Root);

    /// <summary>Loads the policies or stops with one sentence (exit 2): nothing is redacted under a broken policy.</summary>
    public static PolicySet Load(ParseResult parse, Option<string?> folder)
    {
        var directory = ResolveFolder(parse, folder);
        try
        {
            return PolicySet.Load(directory);
        }
        catch (PolicyLoadException ex)
        {
            var first = ex.Errors.Count > 0 ? $"{Display(ex.Errors[0].Location)}: {ex.Errors[0].Message}" : ex.Message;
            throw new CommonsException($"The policies in {directory} did not load, so nothing can leave: {first}", ex);
        }
    }

    /// <summary>file:line, with the path relative to the current folder when it is below it.</summary>
    public static string Display(PolicyLocation location)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, location.File);
        var path = relative.StartsWith("..", StringComparison.Ordinal) ? location.File : relative;
        return location.Line > 0 ? $"{path}:{location.Line}" : path;
    }
}
