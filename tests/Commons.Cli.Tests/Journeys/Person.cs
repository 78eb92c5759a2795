using System.Text.RegularExpressions;

namespace Commons.Cli.Tests.Journeys;

/// <summary>
/// One person with a data folder of their own, using <c>commons</c> as the README says. Their settings
/// make the chat's background pool sync run every second (the default is five minutes).
/// </summary>
internal sealed partial class Person
{
    public Person(ScratchFolder scratch, string name)
    {
        Home = Path.Combine(scratch.Root, name);
        Directory.CreateDirectory(Home);
        File.WriteAllText(Path.Combine(Home, "settings.json"), """{ "PoolSync": { "IntervalSeconds": 1, "FirstSyncSeconds": 0 } }""");
    }

    /// <summary>The weather lesson the journeys teach: what a person asks, and how they correct the agent.</summary>
    public const string WeatherQuestion = "what will the weather be like tomorrow, will it rain";

    public const string WeatherLesson = "give the forecast for the whole day with the temperature";

    public string Home { get; }

    /// <summary>The person's own copy of the policies (in <c>$COMMONS_HOME/policies</c>), changed by <paramref name="edit"/>.</summary>
    public void UsePolicies(Func<string, string> editSharing)
    {
        var shipped = Path.Combine(AppContext.BaseDirectory, "policies");
        var mine = Path.Combine(Home, "policies");
        foreach (var file in Directory.EnumerateFiles(shipped, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(mine, Path.GetRelativePath(shipped, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var sharing = Path.Combine(mine, "sharing.yaml");
        File.WriteAllText(sharing, editSharing(File.ReadAllText(sharing)));
    }

    public RunningCommons Chat() => RunningCommons.Start(Home, "chat", "--model", SharedModels.Stories, "--max-tokens", "8");

    public Task<CommonsRunResult> RunAsync(params string[] args) => CommonsExecutable.RunAsync(Home, "", args);

    /// <summary>Says <paramref name="lines"/> in a running chat, one after another.</summary>
    public static Task SayAsync(RunningCommons chat, params string[] lines) => chat.WriteAsync(string.Join("\n", lines) + "\n");

    /// <summary>The weather lesson in a running chat: the question, a correction, then three near-repeats the person confirms.</summary>
    public static Task TeachWeatherLessonAsync(RunningCommons chat) =>
        SayAsync(chat, WeatherQuestion, "/fix " + WeatherLesson,
            "what will the weather be like tomorrow, is rain coming", "/good",
            "what is the weather going to be tomorrow, will it rain", "/good",
            "what will tomorrow's weather be like, any rain", "/good");

    /// <summary>Asks <c>/pools</c> every second until a line of its answer satisfies <paramref name="predicate"/>.</summary>
    public static async Task WaitForPoolsAsync(RunningCommons chat, Func<string, bool> predicate, TimeSpan timeout)
    {
        using var ask = new CancellationTokenSource();
        var asking = Task.Run(async () =>
        {
            while (!ask.IsCancellationRequested)
            {
                await chat.WriteAsync("/pools\n");
                await Task.Delay(1000);
            }
        });
        try
        {
            await chat.WaitForOutputLineAsync(predicate, timeout);
        }
        finally
        {
            await ask.CancelAsync();
            await asking;
        }
    }

    /// <summary>The count after <paramref name="label"/> in a <c>/pools</c> or <c>pool status</c> line ("sent 1" → 1).</summary>
    public static int Count(string line, string label) =>
        Regex.Match(line, $@"\b{Regex.Escape(label)} (\d+)") is { Success: true } m ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : -1;

    [GeneratedRegex("^([0-9a-f]{64})\\s", RegexOptions.Multiline)]
    public static partial Regex ArtifactIdLine();
}
