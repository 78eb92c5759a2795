using System.Diagnostics;
using System.Text.Json;

namespace Commons.Eval;

/// <summary>Runs an arm in a child process and carries its result back through a JSON file.</summary>
public static class ArmResultFile
{
    private sealed record Dto(double[][] Correct, PersonRole[] Roles, int Shared, int Imported, LeakCount Leaks, double Seconds, SyncFigures? Sync);

    public static void Write(string path, ArmResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var dto = new Dto(result.Correct, result.People.Select(p => p.Role).ToArray(), result.ArtifactsShared, result.InsightsImported, result.Leaks, result.Elapsed.TotalSeconds, result.Sync);
        File.WriteAllText(path, JsonSerializer.Serialize(dto));
    }

    public static async Task<ArmResult> RunChildAsync(string[] args, int index, ArmSpec spec, IReadOnlyList<Person> population, string workFolder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(spec);
        var resultPath = Path.Combine(workFolder, $"arm-{index}.json");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        start.ArgumentList.Add(typeof(ArmResultFile).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add("--arm-index");
        start.ArgumentList.Add(index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.ArgumentList.Add("--arm-result");
        start.ArgumentList.Add(resultPath);
        start.Environment["COMMONS_EVAL_WORK"] = workFolder;
        using var child = Process.Start(start) ?? throw new InvalidOperationException("The arm's process did not start.");
        await child.WaitForExitAsync(cancellationToken);
        if (child.ExitCode != 0 || !File.Exists(resultPath))
        {
            throw new Abstractions.Hosting.CommonsException($"The arm '{spec.Name}' failed (exit code {child.ExitCode}); its output is above.");
        }

        var dto = JsonSerializer.Deserialize<Dto>(File.ReadAllText(resultPath))!;
        // Poisoners are not in the result; the honest people keep their order.
        var honest = population.Take(dto.Roles.Length).Select((p, i) => p with { Index = i, Role = dto.Roles[i] }).ToList();
        return new ArmResult(spec, honest, dto.Correct, dto.Shared, dto.Imported, dto.Leaks, TimeSpan.FromSeconds(dto.Seconds), dto.Sync);
    }
}
