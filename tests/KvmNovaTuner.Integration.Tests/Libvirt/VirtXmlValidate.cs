using System.Diagnostics;

namespace KvmNovaTuner.Integration.Tests.Libvirt;

/// <summary>libvirt's own schema check, `virt-xml-validate FILE domain` (package libvirt-clients, needs libxml2-utils).</summary>
internal static class VirtXmlValidate
{
    private const string Tool = "/usr/bin/virt-xml-validate";

    /// <summary>Null when libvirt's schema accepts the domain XML, else the validator's complaint; ignores the test when the tool is missing.</summary>
    public static string? Domain(string xml)
    {
        if (!File.Exists(Tool))
        {
            Assert.Ignore($"{Tool} is not installed (libvirt-clients)");
        }
        var file = Path.Combine(Path.GetTempPath(), $"knt-domain-{Guid.NewGuid():N}.xml");
        File.WriteAllText(file, xml);
        try
        {
            using var process = Process.Start(new ProcessStartInfo(Tool, [file, "domain"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            var errors = process.StandardError.ReadToEnd();
            return process.WaitForExit(30_000) && process.ExitCode == 0 ? null : $"exit {(process.HasExited ? process.ExitCode : -1)}: {errors.Trim()}";
        }
        finally
        {
            File.Delete(file);
        }
    }
}
