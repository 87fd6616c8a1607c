using KvmNovaTuner.Integration.Tests.Support;
using KvmNovaTuner.OpenStack;
using KvmNovaTuner.OpenStack.Auth;
using KvmNovaTuner.OpenStack.Http;

namespace KvmNovaTuner.Integration.Tests.OpenStack;

/// <summary>Connections to the clouds scripts/services/keystone.sh wrote into its clouds.yaml (admin, tuner, tuner-appcred).</summary>
internal static class TestCloud
{
    public static string CloudsYaml => ServiceEnvironment.Require("KNT_OS_CLOUDS_YAML", "Keystone");

    public static CloudCredentials Credentials(string cloudVariable)
    {
        var file = CloudsYaml;
        var name = ServiceEnvironment.Require(cloudVariable, "Keystone");
        return new CloudConfigLoader(k => k == "OS_CLIENT_CONFIG_FILE" ? file : null, "/nonexistent", "/nonexistent").Load(name);
    }

    public static OpenStackConnection Connect(string cloudVariable = "KNT_OS_ADMIN_CLOUD", TimeProvider? time = null) =>
        new(Credentials(cloudVariable), new RetryOptions { MaxRetryAttempts = 4, BaseDelay = TimeSpan.FromMilliseconds(300), RequestTimeout = TimeSpan.FromMinutes(5) }, time);

    /// <summary>How long a server may take to settle: this shared 2-core machine ran at load 40+ and Nova took minutes per action.</summary>
    public static readonly TimeSpan SlowCloud = TimeSpan.FromMinutes(10);

    public static void RequireNova() => ServiceEnvironment.Require("KNT_NOVA_URL", "Nova");

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Runs CLI verbs in-process with clouds.yaml found through OS_CLIENT_CONFIG_FILE; returns exit code and stdout.</summary>
    public static async Task<(int Exit, string Out, string Err)> RunCliAsync(System.CommandLine.Command verb, params string[] args)
    {
        Environment.SetEnvironmentVariable("OS_CLIENT_CONFIG_FILE", CloudsYaml);
        var root = new System.CommandLine.RootCommand { verb };
        var (stdout, stderr) = (Console.Out, Console.Error);
        using var outWriter = new StringWriter();
        using var errWriter = new StringWriter();
        Console.SetOut(outWriter);
        Console.SetError(errWriter);
        try
        {
            var exit = await Cli.CliRunner.RunAsync(root, args);
            return (exit, outWriter.ToString(), errWriter.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
    }
}
