using KvmNovaTuner.Core.Decoding;
using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Core.Planning;
using KvmNovaTuner.Core.State;
using KvmNovaTuner.Core.Topology;
using KvmNovaTuner.HostTuning.Filesystem;
using KvmNovaTuner.HostTuning.Topology;
using KvmNovaTuner.Messaging.Replay;

namespace KvmNovaTuner.Cli.Commands.Planning;

/// <summary>
/// What `plan` (and `apply`) need before planning: the first event of a notification file, decoded, and this host's
/// topology read under a host root. Every problem is a one-line <see cref="UsageException"/>.
/// </summary>
public static class PlanInput
{
    /// <summary>Reads and decodes the first message of <paramref name="path"/>.</summary>
    public static async Task<InstanceEvent> ReadFirstEventAsync(string path, CancellationToken cancellationToken)
    {
        IReadOnlyList<FileMessage> messages;
        try
        {
            messages = await NotificationFile.ReadAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read {path}: {e.Message}");
        }
        if (messages.Count == 0)
        {
            throw new UsageException($"{path}: the file holds no message");
        }
        var result = NotificationDecoder.Decode(messages[0].Body);
        return result.Event ?? throw new UsageException($"{path}: line {messages[0].Line}: {result.Error}");
    }

    /// <summary>Reads the host topology under <paramref name="hostRoot"/> (default <c>/</c>), with housekeeping CPUs from the option or Nova's configuration.</summary>
    public static async Task<HostTopology> ReadTopologyAsync(string? hostRoot, string? housekeepingCpus, CancellationToken cancellationToken)
    {
        var root = hostRoot ?? "/";
        if (!Directory.Exists(root))
        {
            throw new UsageException($"--host-root {root}: no such directory");
        }
        try
        {
            var reader = new HostTopologyReader(new HostRoot(root));
            return await reader.ReadAsync(new HousekeepingOptions { HousekeepingCpus = housekeepingCpus }, cancellationToken);
        }
        catch (HostTopologyException e)
        {
            throw new UsageException($"host topology under {root}: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read the host topology under {root}: {e.Message}");
        }
    }

    /// <summary>Decodes, reads the topology and plans as <paramref name="host"/> would, against what is observed (unknown by default).</summary>
    public static async Task<Core.Plans.Plan> PlanAsync(string notificationPath, string host, string? hostRoot, string? housekeepingCpus, ObservedState? observed, CancellationToken cancellationToken)
    {
        var instanceEvent = await ReadFirstEventAsync(notificationPath, cancellationToken);
        var topology = await ReadTopologyAsync(hostRoot, housekeepingCpus, cancellationToken);
        observed ??= ObservedState.Unknown;
        var request = PlanRequest.FromEvent(instanceEvent, host, observed.Domain);
        return TuningPlanner.Create(request, topology, observed);
    }
}
