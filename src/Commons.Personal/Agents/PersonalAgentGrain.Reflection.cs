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
    // The reflection that feedback started, still running off the grain (one at a time).
    private Task? _reflection;

    public async Task<ReflectionResult> ReflectAsync()
    {
        if (_reflection is { IsCompleted: false } running)
        {
            await running;
        }

        return await ReflectOnAsync(Playbook);
    }

    private async Task ReflectInBackgroundAsync(IPlaybookGrain playbook)
    {
        try
        {
            await ReflectOnAsync(playbook);
        }
        catch (Exception ex)
        {
            LogReflectionFailed(logger, ex);
        }
    }

    /// <summary>Asks the model for playbook changes and merges them; touches nothing of this grain's state, so it may run off the grain.</summary>
    private async Task<ReflectionResult> ReflectOnAsync(IPlaybookGrain playbook)
    {
        var episodes = await playbook.GetEpisodesAsync(50);
        var entries = await playbook.ListEntriesAsync(includeRetired: false);
        var history = new SkChatHistory(ReflectionPrompt.Instructions);
        history.AddUserMessage(ReflectionPrompt.Build(episodes, entries));
        var chat = kernel.GetRequiredService<IChatCompletionService>();
        var reply = await chat.GetChatMessageContentAsync(history, kernel: kernel);
        var deltas = ReflectionPrompt.Parse(reply.Content ?? "");
        var result = await playbook.ApplyDeltasAsync(deltas);
        LogReflected(logger, deltas.Count, result.Added + result.Merged + result.Edited + result.Retired);
        return result;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reflection after feedback failed; the playbook is unchanged.")]
    private static partial void LogReflectionFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reflection proposed {Proposed} changes; {Applied} applied.")]
    private static partial void LogReflected(ILogger logger, int proposed, int applied);
}
