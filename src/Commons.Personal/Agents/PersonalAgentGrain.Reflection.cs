using Commons.Abstractions.Learning;
using Commons.Learning;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using SkChatHistory = Microsoft.SemanticKernel.ChatCompletion.ChatHistory;

namespace Commons.Personal.Agents;

/// <summary>Reflection: the model proposes small playbook changes from recent feedback, off the reply path.</summary>
public sealed partial class PersonalAgentGrain
{
    /// <summary>How the reflection feedback started is named to the person while it runs.</summary>
    public const string ReflectionWork = "reflection on your recent feedback";

    // The reflection that feedback started, still running off the grain (one at a time).
    private Task? _reflection;

    public async Task<ReflectionResult> ReflectAsync()
    {
        if (_reflection is { IsCompleted: false } running)
        {
            await running;
        }

        return await ReflectOnAsync(Playbook, CancellationToken.None);
    }

    private async Task ReflectInBackgroundAsync(IPlaybookGrain playbook, CancellationToken cancellationToken)
    {
        try
        {
            await ReflectOnAsync(playbook, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogReflectionStopped(logger);
        }
        catch (Exception ex)
        {
            LogReflectionFailed(logger, ex);
        }
    }

    /// <summary>Asks the model for playbook changes and merges them; touches nothing of this grain's state, so it may run off the grain.</summary>
    private async Task<ReflectionResult> ReflectOnAsync(IPlaybookGrain playbook, CancellationToken cancellationToken)
    {
        var episodes = await playbook.GetEpisodesAsync(50);
        var entries = await playbook.ListEntriesAsync(includeRetired: false);
        var history = new SkChatHistory(ReflectionPrompt.Instructions);
        history.AddUserMessage(ReflectionPrompt.Build(episodes, entries));
        var chat = kernel.GetRequiredService<IChatCompletionService>();
        var reply = await chat.GetChatMessageContentAsync(history, kernel: kernel, cancellationToken: cancellationToken);
        // Stopped while the model wrote: nothing of it is applied, the playbook stays as it was.
        cancellationToken.ThrowIfCancellationRequested();
        var deltas = ReflectionPrompt.Parse(reply.Content ?? "");
        var result = await playbook.ApplyDeltasAsync(deltas);
        LogReflected(logger, deltas.Count, result.Added + result.Merged + result.Edited + result.Retired);
        return result;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reflection after feedback failed; the playbook is unchanged.")]
    private static partial void LogReflectionFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reflection stopped before it finished, as asked; the playbook is unchanged.")]
    private static partial void LogReflectionStopped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reflection proposed {Proposed} changes; {Applied} applied.")]
    private static partial void LogReflected(ILogger logger, int proposed, int applied);
}
