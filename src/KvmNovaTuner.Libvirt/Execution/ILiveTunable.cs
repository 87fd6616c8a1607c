namespace KvmNovaTuner.Libvirt.Execution;

/// <summary>How one live action kind reads and writes its settings on a domain.</summary>
internal interface ILiveTunable
{
    /// <summary>The current value of each setting in <paramref name="wanted"/> (empty text when the driver has no such value).</summary>
    IReadOnlyDictionary<string, string> Read(LibvirtDomain domain, ActionTarget target, IReadOnlyDictionary<string, string> wanted, DomainImpact impact);

    /// <summary>Writes <paramref name="settings"/> (only the ones that differ are passed).</summary>
    void Write(LibvirtDomain domain, ActionTarget target, IReadOnlyDictionary<string, string> settings, DomainImpact impact);
}
