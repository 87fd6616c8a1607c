using System.Globalization;

namespace KvmNovaTuner.Ovs.Qos;

/// <summary>What <c>ovs_policing</c> asks of an Interface: rate in kbit/s, burst in kbit (OVS's own units).</summary>
public sealed record DesiredPolicing(long Rate, long Burst)
{
    public const string RateKey = "ingress_policing_rate";
    public const string BurstKey = "ingress_policing_burst";

    public static DesiredPolicing FromSettings(IReadOnlyDictionary<string, string> settings) =>
        new(BandwidthSettings.Required(settings, RateKey), BandwidthSettings.Optional(settings, BurstKey) ?? 0);

    public static IReadOnlyDictionary<string, string> Describe(long rate, long burst) => new Dictionary<string, string>
    {
        [RateKey] = rate.ToString(CultureInfo.InvariantCulture),
        [BurstKey] = burst.ToString(CultureInfo.InvariantCulture),
    };
}

/// <summary>
/// What <c>ovs_qos</c> asks of a Port: a QoS row (type and other_config) and, for linux-htb, one queue's
/// other_config. Plans give linux-htb values (bit/s, bits) or, for ports known to be DPDK, egress-policer values;
/// a DPDK port given linux-htb values gets an egress-policer with the average in bytes/s (<c>cir</c>) and the burst in bytes (<c>cbs</c>).
/// </summary>
public sealed record DesiredQos(string Type, IReadOnlyDictionary<string, string> QosConfig, IReadOnlyDictionary<string, string>? QueueConfig)
{
    public const string LinuxHtb = "linux-htb";
    public const string EgressPolicer = "egress-policer";

    public static DesiredQos FromSettings(IReadOnlyDictionary<string, string> settings, bool dpdkPort)
    {
        var type = settings.GetValueOrDefault("type") ?? LinuxHtb;
        if (type == EgressPolicer)
        {
            if (!dpdkPort)
            {
                throw new FormatException("egress-policer applies to DPDK ports only");
            }
            return Policer(BandwidthSettings.Required(settings, "cir"), BandwidthSettings.Optional(settings, "cbs"));
        }
        if (type != LinuxHtb)
        {
            throw new FormatException($"QoS type '{type}' is not supported (linux-htb or egress-policer)");
        }
        var minRate = BandwidthSettings.Optional(settings, "min-rate");
        var maxRate = BandwidthSettings.Optional(settings, "max-rate");
        var burst = BandwidthSettings.Optional(settings, "burst");
        if (minRate is null && maxRate is null)
        {
            throw new FormatException("ovs_qos needs min-rate or max-rate");
        }
        if (dpdkPort)
        {
            // bit/s → bytes/s and bits → bytes. A policer has one rate: the sustained (average) one, like the
            // planner's own egress-policer settings; the peak only when no average was given.
            return Policer((minRate ?? maxRate!.Value) / 8, burst / 8);
        }
        var queue = new Dictionary<string, string>(StringComparer.Ordinal);
        Put(queue, "min-rate", minRate);
        Put(queue, "max-rate", maxRate);
        Put(queue, "burst", burst);
        var qos = new Dictionary<string, string>(StringComparer.Ordinal);
        Put(qos, "max-rate", maxRate);
        return new DesiredQos(LinuxHtb, qos, queue);
    }

    /// <summary>The settings as reported in before/after: the type, the QoS other_config and the queue's.</summary>
    public IReadOnlyDictionary<string, string> Describe() => Describe(Type, QosConfig, QueueConfig);

    public static IReadOnlyDictionary<string, string> Describe(string type, IReadOnlyDictionary<string, string> qosConfig, IReadOnlyDictionary<string, string>? queueConfig)
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal) { ["type"] = type };
        foreach (var (k, v) in qosConfig.Concat(queueConfig ?? new Dictionary<string, string>()))
        {
            all[k] = v;
        }
        return all;
    }

    private static DesiredQos Policer(long cir, long? cbs)
    {
        var config = new Dictionary<string, string>(StringComparer.Ordinal);
        Put(config, "cir", cir);
        Put(config, "cbs", cbs);
        return new DesiredQos(EgressPolicer, config, null);
    }

    private static void Put(Dictionary<string, string> target, string key, long? value)
    {
        if (value is { } v)
        {
            target[key] = v.ToString(CultureInfo.InvariantCulture);
        }
    }
}

/// <summary>Parsing of the plan's integer settings; a bad value is a <see cref="FormatException"/> naming the key.</summary>
internal static class BandwidthSettings
{
    public static long Required(IReadOnlyDictionary<string, string> settings, string key) =>
        Optional(settings, key) ?? throw new FormatException($"setting '{key}' is missing");

    public static long? Optional(IReadOnlyDictionary<string, string> settings, string key)
    {
        if (!settings.TryGetValue(key, out var text))
        {
            return null;
        }
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw new FormatException($"setting '{key}' = '{text}' is not a non-negative integer");
        }
        return value;
    }
}
