using KvmNovaTuner.Core.Filtering;
using KvmNovaTuner.Core.Pipeline;
using KvmNovaTuner.Messaging.Store;
using Microsoft.Extensions.Logging;

namespace KvmNovaTuner.Messaging.Pipeline;

/// <summary>The intake's wiring for one host: the store under a state directory and the pipeline around an injected handler.</summary>
public sealed class IntakeRuntime : IAsyncDisposable
{
    public const string DatabaseFile = "intake.db";

    private IntakeRuntime(IntakeStore store, IntakePipeline pipeline)
    {
        Store = store;
        Pipeline = pipeline;
    }

    public IntakeStore Store { get; }
    public IntakePipeline Pipeline { get; }

    public static async Task<IntakeRuntime> OpenAsync(string stateDirectory, string host, IInstanceEventHandler handler, TimeProvider time, TimeSpan retention, ILogger logger, CancellationToken cancellationToken = default)
    {
        var store = await IntakeStore.OpenAsync(Path.Combine(stateDirectory, DatabaseFile), time, retention, cancellationToken).ConfigureAwait(false);
        return new IntakeRuntime(store, new IntakePipeline(store, new EventFilter(host), handler, time, logger));
    }

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}
