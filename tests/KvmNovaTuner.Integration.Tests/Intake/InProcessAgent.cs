using KvmNovaTuner.Core.Filtering;
using KvmNovaTuner.Messaging.Pipeline;
using KvmNovaTuner.Messaging.Rabbit;
using KvmNovaTuner.Messaging.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvmNovaTuner.Integration.Tests.Intake;

/// <summary>An agent for host "compute" in the test process: a store in a temp dir, the pipeline with the decision-recording handler, a listener on Nova's exchange.</summary>
public sealed class InProcessAgent : IAsyncDisposable
{
    private readonly ConsumerLoop _loop;

    private InProcessAgent(string directory, IntakeStore store, NotificationListener listener, ConsumerLoop loop)
    {
        Directory = directory;
        Store = store;
        Listener = listener;
        _loop = loop;
    }

    public string Directory { get; }
    public string Database => Path.Combine(Directory, "intake.db");
    public IntakeStore Store { get; }
    public NotificationListener Listener { get; }

    public static async Task<InProcessAgent> StartAsync(BrokerOptions options)
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("knt-it-agent-").FullName;
        var store = await IntakeStore.OpenAsync(Path.Combine(dir, "intake.db"), TimeProvider.System, TimeSpan.FromDays(1));
        var pipeline = new IntakePipeline(store, new EventFilter("compute"), new DecisionRecordingHandler(), TimeProvider.System, NullLogger.Instance);
        var listener = new NotificationListener(options, IntakeSource.Nova, pipeline, NullLogger.Instance);
        return new InProcessAgent(dir, store, listener, await listener.StartAsync());
    }

    /// <summary>Stops consuming gracefully (in-flight deliveries finish); the store stays readable until disposed.</summary>
    public Task StopAsync() => _loop.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _loop.DisposeAsync();
        await Store.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
