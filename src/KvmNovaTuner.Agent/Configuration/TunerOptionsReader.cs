using KvmNovaTuner.Core.Secrets;
using Microsoft.Extensions.Configuration;

namespace KvmNovaTuner.Agent.Configuration;

/// <summary>
/// Reads and validates <see cref="TunerOptions"/> from a layered configuration. Every problem is collected
/// and reported with its section, key and bad value (secrets redacted), not just the first one.
/// </summary>
public sealed class TunerOptionsReader(IConfiguration configuration, string machineHostName)
{
    private readonly List<string> _errors = [];

    /// <summary>Reads everything or throws one <see cref="ConfigurationException"/> listing every problem.</summary>
    public TunerOptions Read()
    {
        var options = new TunerOptions(
            new DefaultOptions(
                Text("DEFAULT", "host") ?? machineHostName,
                Choice("DEFAULT", "log_format", LogFormat.Text),
                OneOf("DEFAULT", "log_level", "Trace", "Debug", "Information", "Warning", "Error", "Critical")),
            new RabbitMqOptions(BrokerUrl(), Required("rabbitmq", "exchange"), Bool("rabbitmq", "use_router")),
            new LibvirtOptions(Required("libvirt", "uri")),
            new OvsOptions(OvsdbAddress()),
            new HostOptionsSection(
                AbsolutePath("host", "root"),
                Required("host", "profile"),
                Int("host", "hugepages_2m_budget", 0, 1_000_000),
                Int("host", "hugepages_1g_budget", 0, 10_000),
                Bool("host", "controllers")),
            new OpenStackOptions(Required("openstack", "cloud"), Text("openstack", "clouds_yaml")),
            new AgentOptions(
                AbsolutePath("agent", "state_dir"),
                Duration("agent", "reconcile_interval", TimeSpan.FromSeconds(10)),
                ListenAddress("agent", "health_listen"),
                Duration("agent", "shutdown_timeout", TimeSpan.FromSeconds(1)),
                AbsolutePath("agent", "hook_socket"),
                AbsolutePath("agent", "spool_dir")),
            new SnapshotOptions(Duration("snapshots", "auto_recover_guard", TimeSpan.FromMinutes(1))));
        if (_errors.Count > 0)
        {
            throw new ConfigurationException(string.Join("; ", _errors));
        }
        return options;
    }

    private string? Text(string section, string key)
    {
        var value = configuration[$"{section}:{key}"];
        return string.IsNullOrWhiteSpace(value) ? Default(section, key) : value.Trim();
    }

    private static string? Default(string section, string key) =>
        SettingCatalog.All.First(s => s.Section == section && s.Key == key).Default;

    private string Required(string section, string key)
    {
        var value = Text(section, key);
        if (value is null)
        {
            Fail(section, key, "", "must not be empty");
        }
        return value ?? "";
    }

    private void Fail(string section, string key, string value, string rule)
    {
        var shown = SecretRedactor.IsSecretKey(key) ? SecretRedactor.Mask : value;
        _errors.Add($"[{section}] {key} = '{shown}': {rule}");
    }

    private string OneOf(string section, string key, params string[] allowed)
    {
        var value = Required(section, key);
        var match = allowed.FirstOrDefault(a => a.Equals(value, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            Fail(section, key, value, $"must be one of {string.Join(", ", allowed)}");
        }
        return match ?? allowed[0];
    }

    private T Choice<T>(string section, string key, T fallback) where T : struct, Enum
    {
        var value = Required(section, key);
        if (Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !char.IsDigit(value[0]))
        {
            return parsed;
        }
        Fail(section, key, value, $"must be one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}");
        return fallback;
    }

    private bool Bool(string section, string key)
    {
        var value = Required(section, key).ToLowerInvariant();
        if (value is "1" or "true" or "yes" or "on") return true;
        if (value is "0" or "false" or "no" or "off") return false;
        Fail(section, key, value, "must be true or false");
        return false;
    }

    private int Int(string section, string key, int min, int max)
    {
        var value = Required(section, key);
        if (int.TryParse(value, out var n) && n >= min && n <= max) return n;
        Fail(section, key, value, $"must be a whole number from {min} to {max}");
        return min;
    }

    private TimeSpan Duration(string section, string key, TimeSpan min)
    {
        var value = Required(section, key);
        if (DurationText.TryParse(value, out var span) && span >= min) return span;
        Fail(section, key, value, $"must be a duration of at least {min.TotalSeconds:0}s (e.g. 30s, 5m, 1h)");
        return min;
    }

    private string AbsolutePath(string section, string key)
    {
        var value = Required(section, key);
        if (!Path.IsPathRooted(value)) Fail(section, key, value, "must be an absolute path");
        return value;
    }

    private Uri BrokerUrl()
    {
        var value = Required("rabbitmq", "url");
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "amqp" or "amqps" or "rabbit" && uri.Host.Length > 0)
        {
            return uri;
        }
        Fail("rabbitmq", "url", SecretRedactor.RedactUrl(value), "must be an amqp://, amqps:// or rabbit:// URL with a host");
        return new Uri("amqp://127.0.0.1/");
    }

    private string OvsdbAddress()
    {
        var value = Required("ovs", "ovsdb");
        var ok = value.StartsWith("unix:/", StringComparison.Ordinal)
            || (value.StartsWith("tcp:", StringComparison.Ordinal) && ListenParser.TryParse(value[4..], out _));
        if (!ok) Fail("ovs", "ovsdb", value, "must be unix:/ABSOLUTE/PATH or tcp:HOST:PORT");
        return value;
    }

    private string ListenAddress(string section, string key)
    {
        var value = Required(section, key);
        if (!ListenParser.TryParse(value, out _)) Fail(section, key, value, "must be IP:PORT (e.g. 127.0.0.1:9723)");
        return value;
    }
}
