using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Core.Specs;

namespace KvmNovaTuner.Core.Tests.Specs;

public sealed class TunerSpecTests
{
    [TestCase("1", 1)]
    [TestCase("64", 64)]
    public void IoThreads_InRange_IsRead(string value, int expected) =>
        Assert.That(SpecAssert.Parse((SpecKeys.IoThreads, value)).Spec.IoThreads, Is.EqualTo(expected));

    [TestCase("0")]
    [TestCase("65")]
    [TestCase("two")]
    public void IoThreads_OutOfRange_IsAnError(string value) =>
        Assert.That(SpecAssert.Parse((SpecKeys.IoThreads, value)).About(SpecKeys.IoThreads, DiagnosticSeverity.Error), Has.Count.EqualTo(1));

    [TestCase("node", EmulatorPlacement.Node)]
    [TestCase("housekeeping", EmulatorPlacement.Housekeeping)]
    [TestCase("NOVA", EmulatorPlacement.Nova)]
    public void EmulatorPlacement_Words_AreRead(string value, EmulatorPlacement expected) =>
        Assert.That(SpecAssert.Parse((SpecKeys.EmulatorPlacement, value)).Spec.EmulatorPlacement, Is.EqualTo(expected));

    [Test]
    public void EmulatorPlacement_OtherWord_IsAnError() =>
        SpecAssert.HasError(SpecAssert.Parse((SpecKeys.EmulatorPlacement, "socket")), SpecKeys.EmulatorPlacement, "is not one of node, housekeeping, nova");

    [Test]
    public void EmulatorPlacement_WithNovaIsolation_Warns() =>
        Assert.That(SpecAssert.Parse((SpecKeys.CpuPolicy, "dedicated"), (SpecKeys.EmulatorThreadsPolicy, "isolate"), (SpecKeys.EmulatorPlacement, "node"))
            .About(SpecKeys.EmulatorPlacement, DiagnosticSeverity.Warning), Has.Count.EqualTo(1));

    [TestCase("on-create")]
    [TestCase("never")]
    public void RestartToApply_OnCreateOrNever_IsRead(string value) =>
        Assert.That(SpecAssert.Parse((SpecKeys.RestartToApply, value)).Spec.RestartToApply, Is.EqualTo(value));

    [Test]
    public void RestartToApply_OtherWord_IsAnError() =>
        SpecAssert.HasError(SpecAssert.Parse((SpecKeys.RestartToApply, "always")), SpecKeys.RestartToApply, "is not one of on-create, never");

    [TestCase("100", true)]
    [TestCase("1000", true)]
    [TestCase("99", false)]
    [TestCase("1001", false)]
    public void BlkioWeight_Is100To1000(string value, bool valid) =>
        Assert.That(SpecAssert.Parse((SpecKeys.BlkioWeight, value)).IsValid, Is.EqualTo(valid));

    [Test]
    public void DiskBurst_EveryMaxAndLengthKey_MapsToLibvirtNames([Values("total", "read", "write")] string scope, [Values("bytes", "iops")] string unit)
    {
        var name = $"{scope}_{unit}_sec";
        var result = SpecAssert.Parse(($"quota:disk_{name}", "100"), ($"tuner:disk_{name}_max", "300"), ($"tuner:disk_{name}_max_length", "10"));
        SpecAssert.IsClean(result);
        Assert.That(result.Spec.DiskBurst[$"{name}_max"], Is.EqualTo(300));
        Assert.That(result.Spec.DiskBurst[$"{name}_max_length"], Is.EqualTo(10));
    }

    [Test]
    public void DiskBurst_WithoutBaseLimit_IsAnError() =>
        SpecAssert.HasError(SpecAssert.Parse(("tuner:disk_total_iops_sec_max", "300")), "tuner:disk_total_iops_sec_max", "needs the base limit quota:disk_total_iops_sec");

    [Test]
    public void DiskBurst_BelowBaseLimit_IsAnError() =>
        SpecAssert.HasError(SpecAssert.Parse(("quota:disk_read_bytes_sec", "1000"), ("tuner:disk_read_bytes_sec_max", "10")), "tuner:disk_read_bytes_sec_max", "below the base limit");

    [Test]
    public void DiskBurstLength_WithoutMax_IsAnError() =>
        SpecAssert.HasError(SpecAssert.Parse(("quota:disk_read_bytes_sec", "1000"), ("tuner:disk_read_bytes_sec_max_length", "10")), "tuner:disk_read_bytes_sec_max_length", "needs a valid tuner:disk_read_bytes_sec_max");

    [Test]
    public void SizeIopsSec_NeedsAnIopsLimit()
    {
        SpecAssert.HasError(SpecAssert.Parse((SpecKeys.DiskSizeIopsSec, "4096")), SpecKeys.DiskSizeIopsSec, "needs an IOPS limit");
        var ok = SpecAssert.Parse(("quota:disk_total_iops_sec", "100"), (SpecKeys.DiskSizeIopsSec, "4096"));
        SpecAssert.IsClean(ok);
        Assert.That(ok.Spec.DiskBurst["size_iops_sec"], Is.EqualTo(4096));
    }

    [TestCase("none")]
    [TestCase("directsync")]
    public void DiskIoNative_WithCacheNoneOrDirectsync_IsValid(string cache)
    {
        var result = SpecAssert.Parse((SpecKeys.DiskIo, "native"), (SpecKeys.DiskCache, cache));
        SpecAssert.IsClean(result);
        Assert.That(result.Spec.DiskIo, Is.EqualTo("native"));
    }

    [TestCase("writeback")]
    [TestCase("writethrough")]
    [TestCase("unsafe")]
    public void DiskIoNative_WithACachingMode_IsAnError(string cache) =>
        SpecAssert.HasError(SpecAssert.Parse((SpecKeys.DiskIo, "native"), (SpecKeys.DiskCache, cache)), SpecKeys.DiskIo, "needs the cache mode none or directsync");

    [Test]
    public void DiskIoNative_WithoutCacheMode_IsAnErrorNamingTheFix()
    {
        var result = SpecAssert.Parse((SpecKeys.DiskIo, "native"));
        SpecAssert.HasError(result, SpecKeys.DiskIo, "set tuner:disk_cache=none");
        Assert.That(result.Spec.DiskIo, Is.Null);
    }

    [TestCase("threads")]
    [TestCase("io_uring")]
    public void DiskIo_OtherModes_NeedNoCacheMode(string io) => SpecAssert.IsClean(SpecAssert.Parse((SpecKeys.DiskIo, io)));

    [TestCase(SpecKeys.DiskIo, "posix")]
    [TestCase(SpecKeys.DiskCache, "fast")]
    public void DiskModes_UnknownWord_IsAnError(string key, string value) =>
        SpecAssert.HasError(SpecAssert.Parse((key, value)), key, "is not one of");

    [TestCase("1", true)]
    [TestCase("1000", true)]
    [TestCase("0", false)]
    [TestCase("many", false)]
    public void SnapshotKeep_IsAPositiveCount(string value, bool valid) =>
        Assert.That(SpecAssert.Parse((SpecKeys.SnapshotKeep, value)).IsValid, Is.EqualTo(valid));

    [TestCase("2048", true)]
    [TestCase("large", true)]
    [TestCase("small", false)]
    public void KsmOn_WithHugepages_WarnsItHasNoEffect(string pageSize, bool warns) =>
        Assert.That(SpecAssert.Parse((SpecKeys.Ksm, "on"), (SpecKeys.MemPageSize, pageSize)).About(SpecKeys.Ksm, DiagnosticSeverity.Warning), Has.Count.EqualTo(warns ? 1 : 0));

    [Test]
    public void UnknownTunerKey_IsAnErrorWithASuggestion() =>
        SpecAssert.HasError(SpecAssert.Parse(("tuner:iothread", "2")), "tuner:iothread", "did you mean tuner:iothreads?");
}
