namespace KvmNovaTuner.OpenStack.Auth;

/// <summary>The cloud configuration (clouds.yaml, OS_* variables) is missing or incomplete.</summary>
public sealed class CloudConfigException(string message) : Exception(message);
