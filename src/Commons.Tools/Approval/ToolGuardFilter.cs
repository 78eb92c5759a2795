using System.Text.Json;
using Commons.Inference.Tools;
using Commons.Tools.Policy;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;

namespace Commons.Tools.Approval;

/// <summary>
/// Stands between the model's tool calls and the plugins: a malformed call, arguments that do not
/// fit the tool's schema, a call the policy denies or the person declines, and a tool that fails
/// all become an error text for the model, never an exception in the chat. Calls that need
/// confirmation wait for the person's answer.
/// </summary>
public sealed partial class ToolGuardFilter(ToolPolicy policy, ToolInteraction interaction, ILogger<ToolGuardFilter> logger) : IAutoFunctionInvocationFilter
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    public async Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var name = string.IsNullOrEmpty(context.Function.PluginName) ? context.Function.Name : $"{context.Function.PluginName}_{context.Function.Name}";
        var arguments = ArgumentsElement(context.Arguments);
        var decision = policy.Decide(name);
        var request = new ToolCallRequest(name, arguments.GetRawText(), decision == ToolDecision.Confirm);

        if (context.CallContent?.Exception is { } malformed)
        {
            Finish(context, request, ToolCallStatus.Invalid, $"Error: {malformed.Message}");
            return;
        }

        var problems = JsonSchemaValidator.Validate(arguments, context.Function.JsonSchema);
        if (problems.Count > 0)
        {
            Finish(context, request, ToolCallStatus.Invalid, $"Error: the call to {name} has invalid arguments: {string.Join("; ", problems)}.");
            return;
        }

        if (decision == ToolDecision.Deny)
        {
            Finish(context, request, ToolCallStatus.Denied, $"Error: the person's tool policy does not allow {name}.");
            return;
        }

        if (decision == ToolDecision.Confirm && !await interaction.ApproveAsync(request, context.CancellationToken).ConfigureAwait(false))
        {
            Finish(context, request, ToolCallStatus.Denied, $"Error: the person declined the call to {name}; nothing was done.");
            return;
        }

        interaction.Starting(request);
        try
        {
            await next(context).ConfigureAwait(false);
            var value = context.Result.GetValue<object>();
            var text = value switch
            {
                null => "Done.",
                string s => s,
                _ => JsonSerializer.Serialize(value, Compact),
            };
            Log(ToolCallStatus.Succeeded, name);
            interaction.Finished(new ToolCallOutcome(request, ToolCallStatus.Succeeded, text));
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // A tool's own message is meant for the model; anything else stays in the log.
            var inner = ex is KernelException && ex.InnerException is not null ? ex.InnerException : ex;
            var message = inner is ToolException tool ? tool.Message : $"the tool failed ({inner.GetType().Name}).";
            LogFailed(logger, name, inner.GetType().Name);
            LogFailedDetail(logger, name, ex);
            Finish(context, request, ToolCallStatus.Failed, $"Error: {message}");
        }
    }

    private void Finish(AutoFunctionInvocationContext context, ToolCallRequest request, ToolCallStatus status, string result)
    {
        context.Result = new FunctionResult(context.Function, result);
        Log(status, request.ToolName);
        interaction.Finished(new ToolCallOutcome(request, status, result));
    }

    private void Log(ToolCallStatus status, string name) => LogCall(logger, name, status);

    private static JsonElement ArgumentsElement(KernelArguments? arguments)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in arguments ?? [])
        {
            values[key] = value;
        }

        return JsonSerializer.SerializeToElement(values, Compact);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Tool {Tool}: {Status}.")]
    private static partial void LogCall(ILogger logger, string tool, ToolCallStatus status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tool {Tool} failed with {ErrorType}.")]
    private static partial void LogFailed(ILogger logger, string tool, string errorType);

    // The exception's message can hold the person's data (paths, note text): Trace only.
    [LoggerMessage(Level = LogLevel.Trace, Message = "Tool {Tool} failed.")]
    private static partial void LogFailedDetail(ILogger logger, string tool, Exception exception);
}
