using System.Diagnostics;
using KvmNovaTuner.Core.Tests.Packaging;

namespace KvmNovaTuner.Core.Tests.Hooks;

/// <summary>
/// The shipped shell wrapper (deploy/libvirt-hooks/qemu) run with `sh` as libvirt runs it, with the installed binary
/// replaced by a stand-in that records its arguments and stdin: calls that cannot matter never start .NET.
/// </summary>
public sealed class HookWrapperTests
{
    private string _dir = "";

    [SetUp]
    public void CreateWrapper()
    {
        _dir = Directory.CreateTempSubdirectory("knt-wrapper-").FullName;
        var wrapper = File.ReadAllText(RepositoryFiles.PathOf("deploy", "libvirt-hooks", "qemu"));
        var standIn = Path.Combine(_dir, "kvm-nova-tuner");
        File.WriteAllText(standIn, $"#!/bin/sh\necho \"$@\" > '{_dir}/args'\ncat > '{_dir}/stdin'\n");
        File.WriteAllText(Path.Combine(_dir, "qemu"), wrapper.Replace("/usr/lib/kvm-nova-tuner/kvm-nova-tuner", $"sh '{standIn}'", StringComparison.Ordinal));
    }

    [TearDown]
    public void Remove() => Directory.Delete(_dir, recursive: true);

    private (int Code, string Stdout, string? Args, string? Stdin) Run(string operation, string xml)
    {
        var info = new ProcessStartInfo("sh", [Path.Combine(_dir, "qemu"), "instance-00000007", operation, "begin", "-"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        };
        using var p = Process.Start(info)!;
        p.StandardInput.Write(xml);
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEnd();
        Assert.That(p.WaitForExit(10_000), Is.True);
        string? Read(string name) => File.Exists(Path.Combine(_dir, name)) ? File.ReadAllText(Path.Combine(_dir, name)) : null;
        return (p.ExitCode, stdout, Read("args"), Read("stdin"));
    }

    [TestCase("started")]
    [TestCase("stopped")]
    public void NovaDomain_StartedOrStopped_IsHandedToTheHookVerbWithTheXml(string operation)
    {
        var xml = HookXml.Domain();

        var (code, stdout, args, stdin) = Run(operation, xml);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Zero);
            Assert.That(stdout, Is.Empty);
            Assert.That(args?.Trim(), Is.EqualTo($"hook instance-00000007 {operation} begin -"));
            Assert.That(stdin?.Trim(), Is.EqualTo(xml));
        });
    }

    [Test]
    public void Prepare_IsHandedOverOnlyWhenTheFlavorSaysTunerRequire()
    {
        var plain = Run("prepare", HookXml.Domain(HookXml.Specs("hw:mem_page_size=2048")));
        var required = Run("prepare", HookXml.Domain(HookXml.Specs("hw:mem_page_size=2048", "tuner:require=true")));

        Assert.Multiple(() =>
        {
            Assert.That(plain.Args, Is.Null, "no flavor key asks for the check: no .NET start");
            Assert.That(required.Args?.Trim(), Is.EqualTo("hook instance-00000007 prepare begin -"));
        });
    }

    [TestCase("start")]
    [TestCase("release")]
    [TestCase("migrate")]
    [TestCase("restore")]
    [TestCase("reconnect")]
    public void OtherOperations_ReturnZeroWithoutStartingTheTuner(string operation)
    {
        var (code, stdout, args, _) = Run(operation, HookXml.Domain());

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Zero);
            Assert.That(stdout, Is.Empty, "output would replace the XML for migrate/restore");
            Assert.That(args, Is.Null);
        });
    }

    [Test]
    public void NonNovaDomain_ReturnsZeroWithoutStartingTheTuner()
    {
        var (code, _, args, _) = Run("started", HookXml.Domain(nova: false));

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Zero);
            Assert.That(args, Is.Null);
        });
    }
}
