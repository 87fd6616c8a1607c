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
        _standIn = Path.Combine(_dir, "kvm-nova-tuner");
        File.WriteAllText(_standIn, $"#!/bin/sh\necho \"$@\" > '{_dir}/args'\ncat > '{_dir}/stdin'\nexit ${{STANDIN_EXIT:-0}}\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(_standIn, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Assert.That(wrapper, Does.Contain(Installed));
        File.WriteAllText(Path.Combine(_dir, "qemu"), wrapper.Replace(Installed, $"bin='{_standIn}'", StringComparison.Ordinal));
    }

    private const string Installed = "bin=/usr/lib/kvm-nova-tuner/kvm-nova-tuner";
    private string _standIn = "";

    [TearDown]
    public void Remove() => Directory.Delete(_dir, recursive: true);

    private (int Code, string Stdout, string Stderr, string? Args, string? Stdin) RunWith(string shell, string operation, string xml, int standInExit = 0)
    {
        var info = new ProcessStartInfo(shell, [Path.Combine(_dir, "qemu"), "instance-00000007", operation, "begin", "-"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["STANDIN_EXIT"] = standInExit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var p = Process.Start(info)!;
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardInput.Write(xml);
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEnd();
        Assert.That(p.WaitForExit(10_000), Is.True);
        string? Read(string name) => File.Exists(Path.Combine(_dir, name)) ? File.ReadAllText(Path.Combine(_dir, name)) : null;
        return (p.ExitCode, stdout, stderr.Result, Read("args"), Read("stdin"));
    }

    private static readonly string RequiringDomain = HookXml.Domain(HookXml.Specs("hw:mem_page_size=2048", "tuner:require=true"));

    [TestCase("sh", "started")]
    [TestCase("bash", "started")]
    [TestCase("bash", "stopped")]
    [TestCase("bash", "prepare")]
    public void BinaryMissing_ExitsZeroAndSaysWhyOnStderr(string shell, string operation)
    {
        File.Delete(_standIn);

        var (code, stdout, stderr, _, _) = RunWith(shell, operation, RequiringDomain);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Zero, "libvirt would refuse to start the guest");
            Assert.That(stdout, Is.Empty);
            Assert.That(stderr, Does.Contain(_standIn).And.Contain("missing").And.Contain($"{operation} of instance-00000007"));
        });
    }

    [TestCase("started", 134)]
    [TestCase("stopped", 2)]
    [TestCase("prepare", 134)]
    [TestCase("prepare", 2)]
    public void BinaryFailsOtherwiseThanARefusal_ExitsZeroAndSaysWhy(string operation, int binaryExit)
    {
        var (code, _, stderr, _, _) = RunWith("bash", operation, RequiringDomain, binaryExit);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Zero);
            Assert.That(stderr, Does.Contain($"exited {binaryExit}"));
        });
    }

    [Test]
    public void PrepareRefusal_IsTheOnlyNonZeroExit()
    {
        var (code, _, _, args, _) = RunWith("bash", "prepare", RequiringDomain, standInExit: 1);

        Assert.Multiple(() =>
        {
            Assert.That(args, Is.Not.Null);
            Assert.That(code, Is.EqualTo(1));
        });
    }

    [TestCase("started")]
    [TestCase("stopped")]
    public void NovaDomain_StartedOrStopped_IsHandedToTheHookVerbWithTheXml(string operation)
    {
        var xml = HookXml.Domain();

        var (code, stdout, _, args, stdin) = RunWith("sh", operation, xml);

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
        var plain = RunWith("sh", "prepare", HookXml.Domain(HookXml.Specs("hw:mem_page_size=2048")));
        var required = RunWith("sh", "prepare", RequiringDomain);

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
        var (code, stdout, _, args, _) = RunWith("sh", operation, HookXml.Domain());

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
        var (code, _, _, args, _) = RunWith("sh", "started", HookXml.Domain(nova: false));

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Zero);
            Assert.That(args, Is.Null);
        });
    }
}
