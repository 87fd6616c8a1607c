namespace KvmNovaTuner.Agent.Configuration;

/// <summary>
/// Every setting the agent reads: section, key, default and meaning. The one place that `config show`,
/// the example file and validation agree on.
/// </summary>
public static class SettingCatalog
{
    public const string DefaultConfigFile = "/etc/kvm-nova-tuner/kvm-nova-tuner.conf";
    public const string EnvironmentPrefix = "KVM_NOVA_TUNER__";

    public static IReadOnlyList<SettingDefinition> All { get; } =
    [
        new("DEFAULT", "host", null, "Compute host name as Nova knows it (default: this machine's host name)"),
        new("DEFAULT", "log_format", "text", "Log line layout: text or json"),
        new("DEFAULT", "log_level", "Information", "Minimum log level: Trace, Debug, Information, Warning, Error"),
        new("rabbitmq", "url", "amqp://guest:guest@127.0.0.1:5672/", "Broker transport URL (amqp:// or amqps://); the password is never shown"),
        new("rabbitmq", "exchange", "nova", "Nova's notification exchange"),
        new("rabbitmq", "use_router", "false", "Bind to the router's per-host key instead of Nova's exchange"),
        new("libvirt", "uri", "qemu:///system", "libvirt connection URI"),
        new("ovs", "ovsdb", "unix:/var/run/openvswitch/db.sock", "OVSDB address: unix:PATH or tcp:HOST:PORT"),
        new("host", "root", "/", "Root under which /sys and /proc are read and written"),
        new("host", "profile", "virtual-host", "Host tuning profile"),
        new("host", "hugepages_2m_budget", "0", "2 MiB pages per NUMA node the agent may add to the pool"),
        new("host", "hugepages_1g_budget", "0", "1 GiB pages per NUMA node the agent may add to the pool"),
        new("host", "controllers", "true", "Run the profile's adaptive KSM and hugepage-release controllers in the agent (writes under [host] root)"),
        new("openstack", "cloud", "envvars", "clouds.yaml entry (OS_CLOUD); 'envvars' uses the OS_* variables"),
        new("openstack", "clouds_yaml", null, "Path of clouds.yaml (default: the OpenStack client search path)"),
        new("agent", "state_dir", "/var/lib/kvm-nova-tuner", "Journal, outbox and saved host values"),
        new("agent", "reconcile_interval", "300s", "Period of the reconcile scan of local domains (s, m, h suffixes)"),
        new("agent", "health_listen", "127.0.0.1:9723", "host:port serving /healthz and /metrics"),
        new("agent", "shutdown_timeout", "30s", "Time to finish in-flight work and flush on SIGTERM"),
        new("agent", "hook_socket", "/run/kvm-nova-tuner/agent.sock", "Unix socket the libvirt hook hands events to"),
        new("agent", "spool_dir", "/var/spool/kvm-nova-tuner", "Where the hook records events while the agent is down"),
        new("snapshots", "auto_recover_guard", "1h", "Loop guard of tuner:auto_recover: after an automatic recovery of a server, none other starts within this window"),
    ];
}

/// <summary>One documented setting.</summary>
public sealed record SettingDefinition(string Section, string Key, string? Default, string Description)
{
    public string Path => $"{Section}:{Key}";
    public string Display => $"[{Section}] {Key}";
}
