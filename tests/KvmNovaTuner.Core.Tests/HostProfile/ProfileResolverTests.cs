using KvmNovaTuner.Core.HostProfile;

namespace KvmNovaTuner.Core.Tests.HostProfile;

public sealed class ProfileResolverTests
{
    private static Dictionary<string, HostProfileDefinition> Profiles(params (string Name, string Text)[] files) =>
        files.ToDictionary(f => f.Name, f => HostProfileDefinition.Parse(f.Name, f.Text));

    [Test]
    public void Parse_ReadsMainAndSectionKeys()
    {
        var profile = HostProfileDefinition.Parse("p", "# comment\n[main]\nsummary = A profile\ninclude=base\n\n[ksm]\nrun = 1\n; other comment\n[sysctl]\nvm.swappiness=10\n");
        Assert.Multiple(() =>
        {
            Assert.That(profile.Summary, Is.EqualTo("A profile"));
            Assert.That(profile.Include, Is.EqualTo("base"));
            Assert.That(profile.Settings, Is.EquivalentTo(new Dictionary<string, string> { ["ksm.run"] = "1", ["sysctl.vm.swappiness"] = "10" }));
        });
    }

    [TestCase("run=1\n")]
    [TestCase("[ksm]\nno equals sign\n")]
    public void Parse_MalformedLine_NamesProfileAndLine(string text)
    {
        Assert.That(() => HostProfileDefinition.Parse("bad", text),
            Throws.TypeOf<FormatException>().With.Message.Contains("profile 'bad' line"));
    }

    [Test]
    public void Resolve_ChildOverridesParent_AndChainListsParentsFirst()
    {
        var profiles = Profiles(
            ("base", "[vm]\ntransparent_hugepages=madvise\n[ksm]\nrun=0\n"),
            ("mid", "[main]\ninclude=base\n[ksm]\nrun=1\n"),
            ("leaf", "[main]\ninclude=mid\nsummary=Leaf\n[vm]\ntransparent_hugepages=never\n"));
        var resolved = ProfileResolver.Resolve("leaf", profiles);
        Assert.Multiple(() =>
        {
            Assert.That(resolved.Chain, Is.EqualTo(new[] { "base", "mid", "leaf" }));
            Assert.That(resolved.Settings["vm.transparent_hugepages"], Is.EqualTo("never"));
            Assert.That(resolved.Settings["ksm.run"], Is.EqualTo("1"));
            Assert.That(resolved.Summary, Is.EqualTo("Leaf"));
        });
    }

    [Test]
    public void Resolve_EmptyValue_StopsManagingAnInheritedSetting()
    {
        var profiles = Profiles(("base", "[sysctl]\nvm.swappiness=10\n"), ("leaf", "[main]\ninclude=base\n[sysctl]\nvm.swappiness=\n"));
        Assert.That(ProfileResolver.Resolve("leaf", profiles).Settings, Does.Not.ContainKey("sysctl.vm.swappiness"));
    }

    [Test]
    public void Resolve_UnknownProfile_ListsKnownOnes()
    {
        Assert.That(() => ProfileResolver.Resolve("nope", Profiles(("base", ""))),
            Throws.TypeOf<KeyNotFoundException>().With.Message.EqualTo("unknown profile 'nope' (known: base)"));
    }

    [Test]
    public void Resolve_UnknownInclude_NamesTheIncludingProfile()
    {
        Assert.That(() => ProfileResolver.Resolve("leaf", Profiles(("leaf", "[main]\ninclude=gone\n"))),
            Throws.TypeOf<KeyNotFoundException>().With.Message.Contains("profile 'leaf' includes unknown profile 'gone'"));
    }

    [Test]
    public void Resolve_IncludeCycle_IsAnError()
    {
        var profiles = Profiles(("a", "[main]\ninclude=b\n"), ("b", "[main]\ninclude=a\n"));
        Assert.That(() => ProfileResolver.Resolve("a", profiles), Throws.InvalidOperationException.With.Message.Contains("a -> b -> a"));
    }
}
