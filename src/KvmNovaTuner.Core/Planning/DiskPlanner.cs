using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Core.Specs;
using KvmNovaTuner.Core.State;

namespace KvmNovaTuner.Core.Planning;

/// <summary>Block IO: weight (live), per-disk throttling with bursts (live, verifying Nova's quota), and disk driver settings (next boot).</summary>
internal static class DiskPlanner
{
    public static void Plan(PlanContext c)
    {
        if (c.Spec.BlkioWeight is { } weight)
        {
            var observed = c.Domain is null ? null : PlanBuilder.Observed("weight", c.Domain.BlkioWeight);
            c.Builder.Add(ActionKinds.Blkio, c.DomainTarget, new Dictionary<string, string> { ["weight"] = PlanContext.Text(weight) },
                ActionTiming.Live, $"{SpecKeys.BlkioWeight}={weight} (needs the bfq scheduler on cgroup v2)", observed);
        }
        var wantsIoTune = c.Spec.DiskQuota.Count > 0 || c.Spec.DiskBurst.Count > 0;
        var wantsDriver = c.Spec.DiskCache is not null || c.Spec.DiskIo is not null || c.Spec.IoThreads is not null;
        if (!wantsIoTune && !wantsDriver)
        {
            return;
        }
        if (c.Domain is null)
        {
            c.Builder.Diagnose(DiagnosticSeverity.Info, "disks", "the domain's disks are unknown: per-disk settings are planned once the domain is observed");
            return;
        }
        var disks = c.Domain.Disks.Where(d => d.Device is null or "disk").ToList();
        for (var i = 0; i < disks.Count; i++)
        {
            if (wantsIoTune && disks[i].Serial is null)
            {
                IoTune(c, disks[i]);
            }
            if (wantsDriver)
            {
                Driver(c, disks[i], i);
            }
        }
    }

    private static void IoTune(PlanContext c, DiskState disk)
    {
        var settings = c.Spec.DiskQuota.Concat(c.Spec.DiskBurst).ToDictionary(p => p.Key, p => PlanContext.Text(p.Value));
        var keys = c.Spec.DiskQuota.Keys.Select(k => "quota:disk_" + k)
            .Concat(c.Spec.DiskBurst.Keys.Select(k => k == "size_iops_sec" ? SpecKeys.DiskSizeIopsSec : "tuner:disk_" + k));
        var verb = c.Spec.DiskBurst.Count > 0 ? "apply" : "verify";
        c.Builder.Add(ActionKinds.BlockIoTune, $"{c.DomainTarget}/disk/{disk.TargetDev}", settings, ActionTiming.Live,
            $"{verb} {string.Join(", ", keys)} on Nova's image-backed disk", disk.IoTune);
    }

    private static void Driver(PlanContext c, DiskState disk, int index)
    {
        var settings = new Dictionary<string, string>();
        var observed = new Dictionary<string, string>();
        var reasons = new List<string>();
        if (c.Spec.DiskCache is { } cache)
        {
            settings["cache"] = cache;
            reasons.Add($"{SpecKeys.DiskCache}={cache}");
            Put(observed, "cache", disk.Cache);
        }
        if (c.Spec.DiskIo is { } io)
        {
            settings["io"] = io;
            reasons.Add($"{SpecKeys.DiskIo}={io}");
            Put(observed, "io", disk.Io);
        }
        if (c.Spec.IoThreads is { } threads)
        {
            settings["iothread"] = PlanContext.Text(index % threads + 1);
            reasons.Add($"{SpecKeys.IoThreads}={threads} (disks spread over IO threads in order)");
            Put(observed, "iothread", disk.IoThread is { } t ? PlanContext.Text(t) : null);
        }
        c.Builder.Add(ActionKinds.DiskDriver, $"{c.DomainTarget}/disk/{disk.TargetDev}", settings, ActionTiming.NextBoot,
            string.Join("; ", reasons) + ": disk driver settings take effect at the next cold boot", observed);
    }

    private static void Put(Dictionary<string, string> target, string name, string? value)
    {
        if (value is not null)
        {
            target[name] = value;
        }
    }

}
