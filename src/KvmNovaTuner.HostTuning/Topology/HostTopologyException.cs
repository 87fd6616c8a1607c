namespace KvmNovaTuner.HostTuning.Topology;

/// <summary>A host file that exists but cannot be read as the topology expects; names the host path and the problem.</summary>
public sealed class HostTopologyException(string hostPath, string problem) : Exception($"{hostPath}: {problem}")
{
    public string HostPath { get; } = hostPath;
}
