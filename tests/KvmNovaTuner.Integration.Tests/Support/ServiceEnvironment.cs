namespace KvmNovaTuner.Integration.Tests.Support;

/// <summary>
/// Where the services started by scripts/services.sh listen. Each service script writes KNT_* variables
/// into $KNT_RUN_DIR/env/NAME.env and scripts/test.sh exports them. A test whose service is absent is
/// ignored with the reason printed (never passed).
/// </summary>
public static class ServiceEnvironment
{
    /// <summary>The value of a KNT_* variable, or an ignored test that names what is missing.</summary>
    public static string Require(string variable, string service)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            var reason = $"{service} is not running here: {variable} is not set (start it with scripts/services.sh start)";
            TestContext.Progress.WriteLine($"SKIPPED: {reason}");
            Assert.Ignore(reason);
        }
        return value!;
    }

    public static string? Optional(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } v ? v : null;
}
