using Commons.Personal.Hosting;

namespace Commons.Cli.Commands;

/// <summary>
/// The end of <c>commons serve</c> and <c>commons chat</c>: background work still running (a reflection after
/// feedback) is finished so that what it learns is saved, and the person is told so on standard error; a Ctrl-C
/// meanwhile stops at once (the data folder stays sound; that work's result is not saved).
/// </summary>
internal static class ServeShutdown
{
    /// <param name="silo">The silo about to stop.</param>
    /// <param name="command">How the command names itself in the sentence ("commons serve").</param>
    /// <param name="again">Whether the person stopped it with Ctrl-C already (so the next one is "again").</param>
    public static async Task FinishBackgroundWorkAsync(PersonalSilo silo, string command, bool again)
    {
        if (silo.BackgroundWorkRunning is not { } what)
        {
            return;
        }

        using var stopNow = new CancellationTokenSource();
        void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
        {
            e.Cancel = true;
            stopNow.Cancel();
        }

        Console.CancelKeyPress += OnCancelKeyPress;
        try
        {
            await Console.Error.WriteLineAsync($"{command}: finishing {what}; press Ctrl-C{(again ? " again" : "")} to stop now (it will not be saved).");
            await silo.FinishBackgroundWorkAsync(stopNow.Token);
            if (stopNow.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync($"{command}: stopped; the {what} was not saved.");
            }
        }
        finally
        {
            Console.CancelKeyPress -= OnCancelKeyPress;
        }
    }
}
