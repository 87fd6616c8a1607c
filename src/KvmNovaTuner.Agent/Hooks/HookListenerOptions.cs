using KvmNovaTuner.Agent.Configuration;

namespace KvmNovaTuner.Agent.Hooks;

/// <summary>
/// Where the hook listener listens and keeps its state: the unix socket the hook connects to, the spool both sides
/// write, the state directory of its journal (<c>hooks.db</c>), this host's name, and its timings.
/// </summary>
public sealed record HookListenerOptions(string SocketPath, string SpoolDir, string StateDir, string HostName)
{
    public const string DatabaseFile = "hooks.db";

    /// <summary>How long a hook connection may take to send its line before it is dropped.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the hook's and Nova's events for one instance count as the same boot (Nova's spawn waits up to 300 s for VIF plugging).</summary>
    public TimeSpan BootWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long handled message ids are remembered.</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(7);

    /// <summary>The listener options of a validated agent configuration (<c>[agent] hook_socket</c>, <c>spool_dir</c>, <c>state_dir</c>, <c>[DEFAULT] host</c>).</summary>
    public static HookListenerOptions From(TunerOptions options) =>
        new(options.Agent.HookSocket, options.Agent.SpoolDir, options.Agent.StateDir, options.Default.Host);
}
