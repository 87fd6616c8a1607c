using System.CommandLine;

namespace KvmNovaTuner.Cli.Commands.Host;

/// <summary>The `host` verb: audit the host, and apply, verify and roll back a host profile.</summary>
public static class HostCommand
{
    public static Command Create() =>
        new("host", "Audit the KVM host, and apply, verify and roll back host profiles (saved originals, TuneD-style)")
        {
            HostAuditCommand.Create(),
            HostApplyCommand.Create(),
            HostVerifyCommand.Create(),
            HostRollbackCommand.Create(),
        };
}
