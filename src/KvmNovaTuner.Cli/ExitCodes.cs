namespace KvmNovaTuner.Cli;

/// <summary>The exit codes every verb uses (a public contract).</summary>
public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>The verb ran and found a failure (invalid flavor, failed action, ...).</summary>
    public const int Failure = 1;
    /// <summary>Bad usage or an environment problem (missing file, unreachable service, timeout).</summary>
    public const int Usage = 2;
    /// <summary>`wait`: the status was not final within --timeout (the cloud answered, or was slow or silent).</summary>
    public const int TimedOut = 3;
    /// <summary>`wait`: connections to the cloud (Keystone or Nova) failed and nothing answered within --timeout.</summary>
    public const int Unreachable = 4;
}

/// <summary>Thrown by a verb for a usage or environment error; printed as one line, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
