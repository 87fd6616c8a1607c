using KvmNovaTuner.OpenStack.Nova;

namespace KvmNovaTuner.OpenStack.Reporting;

/// <summary>Where the reporter's metadata goes: Nova in production, a fake in tests of the reporter alone.</summary>
public interface IServerMetadataWriter
{
    Task SetAsync(string serverId, string key, string value, CancellationToken cancellationToken);
    Task DeleteAsync(string serverId, string key, CancellationToken cancellationToken);
}

/// <summary>Writes server metadata through the Nova API.</summary>
public sealed class NovaMetadataWriter(NovaClient nova) : IServerMetadataWriter
{
    public Task SetAsync(string serverId, string key, string value, CancellationToken cancellationToken) =>
        nova.SetMetadataItemAsync(serverId, key, value, cancellationToken);

    public Task DeleteAsync(string serverId, string key, CancellationToken cancellationToken) =>
        nova.DeleteMetadataItemAsync(serverId, key, cancellationToken);
}
