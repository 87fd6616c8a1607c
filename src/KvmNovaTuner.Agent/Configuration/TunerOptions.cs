namespace KvmNovaTuner.Agent.Configuration;

/// <summary>The agent's validated configuration, one record per INI section.</summary>
public sealed record TunerOptions(
    DefaultOptions Default,
    RabbitMqOptions RabbitMq,
    LibvirtOptions Libvirt,
    OvsOptions Ovs,
    HostOptionsSection Host,
    OpenStackOptions OpenStack,
    AgentOptions Agent,
    SnapshotOptions Snapshots);

/// <summary>[DEFAULT]: who this host is and how it logs.</summary>
public sealed record DefaultOptions(string Host, LogFormat LogFormat, string LogLevel);

/// <summary>Log line layout.</summary>
public enum LogFormat
{
    Text,
    Json,
}

/// <summary>[rabbitmq]: where Nova's notifications come from.</summary>
/// <param name="Url">Transport URL (amqp:// or amqps://), may carry a password: always shown redacted.</param>
/// <param name="Exchange">Nova's notification exchange.</param>
/// <param name="UseRouter">Bind to the router's per-host key instead of Nova's exchange.</param>
public sealed record RabbitMqOptions(Uri Url, string Exchange, bool UseRouter);

/// <summary>[libvirt]: the hypervisor connection.</summary>
public sealed record LibvirtOptions(string Uri);

/// <summary>[ovs]: the Open vSwitch database (unix:PATH or tcp:HOST:PORT).</summary>
public sealed record OvsOptions(string Ovsdb);

/// <summary>[host]: the host root (sysfs/procfs), the profile and hugepage budgets (pages per NUMA node).</summary>
/// <param name="Controllers">Run the adaptive KSM and hugepage-release controllers of the profile inside the agent.</param>
public sealed record HostOptionsSection(string Root, string Profile, int Hugepages2MBudget, int Hugepages1GBudget, bool Controllers = true);

/// <summary>[openstack]: which clouds.yaml entry to authenticate with.</summary>
public sealed record OpenStackOptions(string Cloud, string? CloudsYaml);

/// <summary>[snapshots]: automatic recovery of servers whose flavor sets <c>tuner:auto_recover</c>.</summary>
/// <param name="AutoRecoverGuard">After an automatic recovery of a server started, no other starts for it within this window (the loop guard).</param>
public sealed record SnapshotOptions(TimeSpan AutoRecoverGuard);

/// <summary>[agent]: daemon behaviour.</summary>
/// <param name="HealthListen">host:port of the /healthz and /metrics endpoint (loopback by default).</param>
/// <param name="HookSocket">Unix socket on which the libvirt hook hands events to the agent.</param>
public sealed record AgentOptions(
    string StateDir,
    TimeSpan ReconcileInterval,
    string HealthListen,
    TimeSpan ShutdownTimeout,
    string HookSocket,
    string SpoolDir);
