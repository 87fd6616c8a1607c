using System.Diagnostics;
using KvmNovaTuner.Integration.Tests.Support;

namespace KvmNovaTuner.Integration.Tests.EndToEnd;

/// <summary>Restarts one of the stack's services with its own script (<c>$KNT_X_SCRIPT restart</c>), bounded, and says how long it took.</summary>
internal static class ServiceRestart
{
    public static async Task<TimeSpan> RunAsync(string scriptVariable, string service, string logDirectory)
    {
        var script = ServiceEnvironment.Require(scriptVariable, service);
        var log = Path.Combine(logDirectory, $"{Path.GetFileNameWithoutExtension(script)}-restart.log");
        var info = new ProcessStartInfo("bash") { UseShellExecute = false };
        // Output to a file, not a pipe: the restarted daemon inherits the script's descriptors and outlives it.
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec \"$0\" restart >>\"$1\" 2>&1 </dev/null");
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(log);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{service} restart did not finish within 3 minutes: {await File.ReadAllTextAsync(log)}");
        }
        if (process.ExitCode != 0) Assert.Fail($"{service} restart failed ({process.ExitCode}): {await File.ReadAllTextAsync(log)}");
        return clock.Elapsed;
    }
}
