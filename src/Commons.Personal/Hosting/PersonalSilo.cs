using Commons.Abstractions.Agents;
using Commons.Abstractions.Hosting;
using Commons.Abstractions.Learning;
using Commons.Inference.Embeddings;
using Commons.Inference.Llama;
using Commons.Personal.Agents;
using Commons.Personal.Pools;
using Commons.Personal.Storage;
using Commons.Tools.Approval;
using Commons.Tools.Hosting;
using Commons.Tools.Plugins;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Commons.Personal.Hosting;

/// <summary>
/// A running personal silo inside this process: the person's grains, their SQLite state and the
/// local model. Only one process may use a data folder at a time.
/// </summary>
public sealed partial class PersonalSilo : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly FileStream? _lock;

    private PersonalSilo(IHost host, FileStream? folderLock, CommonsHome home, ServeRegistration? attachedTo = null)
    {
        _host = host;
        _lock = folderLock;
        Home = home;
        AttachedTo = attachedTo;
    }

    public CommonsHome Home { get; }

    public IServiceProvider Services => _host.Services;

    /// <summary>The person's agent.</summary>
    public IPersonalAgentGrain Agent => Services.GetRequiredService<IGrainFactory>()
        .GetGrain<IPersonalAgentGrain>(Services.GetRequiredService<IOptions<AgentOptions>>().Value.UserId);

    /// <summary>The person's playbook.</summary>
    public IPlaybookGrain Playbook => Services.GetRequiredService<IGrainFactory>()
        .GetGrain<IPlaybookGrain>(Services.GetRequiredService<IOptions<AgentOptions>>().Value.UserId);

    /// <summary>Where the chat attaches its y/n prompt and its display of tool calls.</summary>
    public ToolInteraction Tools => Services.GetRequiredService<ToolInteraction>();

    /// <summary>Tasks and reminders (null when Tools:Enabled is false, or when attached: the serve shows them).</summary>
    public TasksPlugin? Tasks => AttachedTo is null ? Services.GetService<TasksPlugin>() : null;

    /// <summary>The model on another server, when <c>Model:Endpoint</c> chose one; null for the local model.</summary>
    public RemoteModel? Remote => AttachedTo is null ? Services.GetService<RemoteModel>() : null;

    /// <summary>The name of the model in use, wherever it runs.</summary>
    public string ModelName => AttachedTo?.ModelName ?? Remote?.Name ?? Model.Name;

    /// <summary>The loaded model in use now (not in this process when attached to a running <c>commons serve</c>).</summary>
    public LocalModel Model => AttachedTo is null
        ? Services.GetRequiredService<ModelSlot>().Current
        : throw new InvalidOperationException($"The model runs in commons serve ({AttachedTo.ModelName}), not in this process.");

    /// <summary>
    /// Starts the silo. <paramref name="settings"/> override configuration keys (such as
    /// <c>Model:Path</c>); the settings file and <c>COMMONS_</c> environment variables come first.
    /// <paramref name="syncPools"/>: a long-running host syncs with the pools in the background.
    /// <paramref name="attach"/>: when a <c>commons serve</c> holds the folder, attach to it instead (see <see cref="AttachedTo"/>).
    /// </summary>
    public static async Task<PersonalSilo> StartAsync(
        CommonsHome home,
        IReadOnlyDictionary<string, string?> settings,
        Action<ILoggingBuilder>? configureLogging = null,
        CancellationToken cancellationToken = default,
        bool loadModel = true,
        Action<ISiloBuilder>? configureSilo = null,
        bool syncPools = false,
        bool attach = false)
    {
        ArgumentNullException.ThrowIfNull(home);
        ArgumentNullException.ThrowIfNull(settings);
        home.EnsureUsable();
        if (attach && ServeRegistration.Find(home) is { } serve && IsInUse(home))
        {
            return await AttachAsync(home, settings, serve, configureLogging, cancellationToken).ConfigureAwait(false);
        }

        var folderLock = AcquireLock(home);
        try
        {
            SqliteGrainStore.EnsureSchema(home.DatabasePath);

            var builder = CreateBuilder(home, settings, configureLogging);
            builder.Services.AddLocalModel(builder.Configuration, home);
            builder.UseOrleans(silo =>
            {
                silo.AddPersonalSilo(home);
                configureSilo?.Invoke(silo);
            });
            if (syncPools)
            {
                // After the silo, so that it starts once the grains can be called.
                builder.Services.AddHostedService<PoolSyncWorker>();
            }

            var host = builder.Build();
            try
            {
                // Load the model before the silo starts, so a bad file or setting fails fast and alone.
                // Commands that only read or edit what was learned do not need it.
                if (loadModel)
                {
                    _ = (object?)host.Services.GetService<RemoteModel>() ?? host.Services.GetRequiredService<ModelSlot>();

                    // The embedding model takes about a second to load: when every turn will need it, load it
                    // while the person types.
                    if (host.Services.GetRequiredService<IOptions<AgentOptions>>().Value.Learning)
                    {
                        _ = Task.Run(() => host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GetService<MiniLmEmbeddingGenerator>()?.Load(), cancellationToken);
                    }
                }
                await host.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OptionsValidationException ex)
            {
                host.Dispose();
                throw new CommonsException(SettingsError.Describe(ex), ex);
            }
            catch
            {
                host.Dispose();
                throw;
            }

            return new PersonalSilo(host, folderLock, home);
        }
        catch
        {
            await folderLock.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Background work still running in this process (a reflection after feedback), as the person would name it; null when none.</summary>
    public string? BackgroundWorkRunning => Services.GetRequiredService<BackgroundWork>().Running;

    /// <summary>
    /// Lets background work finish, so that what it learns is saved (at most a minute); when <paramref name="stopNow"/>
    /// fires first it is stopped and its result dropped. The silo stops after it either way.
    /// </summary>
    public Task<bool> FinishBackgroundWorkAsync(CancellationToken stopNow) =>
        Services.GetRequiredService<BackgroundWork>().DrainAsync(BackgroundDrain, stopNow);

    private static readonly TimeSpan BackgroundDrain = TimeSpan.FromSeconds(60);

    public async ValueTask DisposeAsync()
    {
        try
        {
            // A reflection started by the last feedback still reaches the playbook before the grains stop.
            await FinishBackgroundWorkAsync(CancellationToken.None).ConfigureAwait(false);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await _host.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        finally
        {
            if (_host is IAsyncDisposable asyncHost)
            {
                await asyncHost.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                _host.Dispose();
            }

            if (_lock is not null)
            {
                await _lock.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Whether another process (a running <c>commons chat</c>) holds the data folder now.</summary>
    public static bool IsInUse(CommonsHome home)
    {
        ArgumentNullException.ThrowIfNull(home);
        if (!File.Exists(Path.Combine(home.Root, "commons.lock")))
        {
            return false;
        }

        try
        {
            AcquireLock(home).Dispose();
            return false;
        }
        catch (CommonsException)
        {
            return true;
        }
    }

    private static FileStream AcquireLock(CommonsHome home)
    {
        var path = Path.Combine(home.Root, "commons.lock");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = DataFolderPrivacy.PrivateFile;
            }

            return new FileStream(path, options);
        }
        catch (IOException ex)
        {
            throw new CommonsException($"Another commons process is using the data folder {home.Root}; close it first.", ex);
        }
    }
}
