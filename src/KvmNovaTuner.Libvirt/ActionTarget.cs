namespace KvmNovaTuner.Libvirt;

/// <summary>
/// A libvirt action target: <c>domain/UUID</c>, optionally with a part (<c>/vcpu/N</c>, <c>/iothread/N</c>,
/// <c>/disk/DEV</c>) as <see cref="KvmNovaTuner.Core.Plans.ActionKinds"/> defines.
/// </summary>
public sealed record ActionTarget(string DomainUuid, string? Part, string? Id)
{
    public static ActionTarget Parse(string target)
    {
        var parts = target.Split('/');
        if (parts.Length is not (2 or 4) || parts[0] != "domain" || parts[1].Length == 0 || parts.Any(p => p.Length == 0))
        {
            throw new FormatException($"target '{target}' is not domain/UUID[/PART/ID]");
        }
        return parts.Length == 2 ? new ActionTarget(parts[1], null, null) : new ActionTarget(parts[1], parts[2], parts[3]);
    }

    public override string ToString() => Part is null ? $"domain/{DomainUuid}" : $"domain/{DomainUuid}/{Part}/{Id}";
}
