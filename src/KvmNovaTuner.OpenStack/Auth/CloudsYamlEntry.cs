using YamlDotNet.RepresentationModel;

namespace KvmNovaTuner.OpenStack.Auth;

/// <summary>Turns one <c>clouds:</c> entry of a clouds.yaml into <see cref="CloudCredentials"/>.</summary>
internal static class CloudsYamlEntry
{
    public static CloudCredentials Parse(string name, YamlMappingNode cloud, string path)
    {
        var auth = cloud.Children.TryGetValue(new YamlScalarNode("auth"), out var a) ? a as YamlMappingNode : null;
        string? Auth(string key) => Scalar(auth, key);
        string? Top(string key) => Scalar(cloud, key);

        var authUrl = Auth("auth_url") ?? throw new CloudConfigException($"cloud '{name}' in {path} has no auth.auth_url");
        var verify = Top("verify");
        var insecure = Top("insecure");
        var credentials = new CloudCredentials
        {
            CloudName = name,
            AuthUrl = authUrl,
            Username = Auth("username"),
            UserId = Auth("user_id"),
            Password = Auth("password"),
            UserDomainName = Auth("user_domain_name") ?? Auth("domain_name") ?? "Default",
            UserDomainId = Auth("user_domain_id"),
            ProjectName = Auth("project_name") ?? Auth("tenant_name"),
            ProjectId = Auth("project_id") ?? Auth("tenant_id"),
            ProjectDomainName = Auth("project_domain_name") ?? Auth("domain_name") ?? "Default",
            ProjectDomainId = Auth("project_domain_id"),
            ApplicationCredentialId = Auth("application_credential_id"),
            ApplicationCredentialName = Auth("application_credential_name"),
            ApplicationCredentialSecret = Auth("application_credential_secret"),
            RegionName = Top("region_name"),
            Interface = Top("interface") ?? Top("endpoint_type") ?? "public",
            VerifyTls = !(IsFalse(verify) || IsTrue(insecure)),
            CaCertFile = Top("cacert") ?? (verify is { } v && !IsFalse(v) && !IsTrue(v) ? v : null),
            ApiTimeout = double.TryParse(Top("api_timeout"), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var t) && t > 0
                ? TimeSpan.FromSeconds(t) : null,
        };
        return credentials.Validated($"cloud '{name}' in {path}");
    }

    internal static bool IsTrue(string? value) =>
        value is not null && (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1" || value.Equals("yes", StringComparison.OrdinalIgnoreCase));

    internal static bool IsFalse(string? value) =>
        value is not null && (value.Equals("false", StringComparison.OrdinalIgnoreCase) || value == "0" || value.Equals("no", StringComparison.OrdinalIgnoreCase));

    private static string? Scalar(YamlMappingNode? map, string key) =>
        map is not null && map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode { Value: { Length: > 0 } v } ? v : null;
}

/// <summary>Reads the <c>OS_*</c> variables into <see cref="CloudCredentials"/>.</summary>
internal static class OsEnvironmentCredentials
{
    public static CloudCredentials Read(Func<string, string?> env)
    {
        string? Get(string key) => env(key) is { Length: > 0 } v ? v : null;
        var credentials = new CloudCredentials
        {
            CloudName = "envvars",
            AuthUrl = Get("OS_AUTH_URL")!,
            Username = Get("OS_USERNAME"),
            UserId = Get("OS_USER_ID"),
            Password = Get("OS_PASSWORD"),
            UserDomainName = Get("OS_USER_DOMAIN_NAME") ?? Get("OS_DOMAIN_NAME") ?? "Default",
            UserDomainId = Get("OS_USER_DOMAIN_ID"),
            ProjectName = Get("OS_PROJECT_NAME") ?? Get("OS_TENANT_NAME"),
            ProjectId = Get("OS_PROJECT_ID") ?? Get("OS_TENANT_ID"),
            ProjectDomainName = Get("OS_PROJECT_DOMAIN_NAME") ?? Get("OS_DOMAIN_NAME") ?? "Default",
            ProjectDomainId = Get("OS_PROJECT_DOMAIN_ID"),
            ApplicationCredentialId = Get("OS_APPLICATION_CREDENTIAL_ID"),
            ApplicationCredentialName = Get("OS_APPLICATION_CREDENTIAL_NAME"),
            ApplicationCredentialSecret = Get("OS_APPLICATION_CREDENTIAL_SECRET"),
            RegionName = Get("OS_REGION_NAME"),
            Interface = Get("OS_INTERFACE") ?? Get("OS_ENDPOINT_TYPE") ?? "public",
            VerifyTls = !CloudsYamlEntry.IsTrue(Get("OS_INSECURE")),
            CaCertFile = Get("OS_CACERT"),
        };
        return credentials.Validated("the OS_* variables");
    }
}

/// <summary>Checks that credentials name one complete auth method.</summary>
internal static class CredentialValidation
{
    public static CloudCredentials Validated(this CloudCredentials c, string source)
    {
        if (c.UsesApplicationCredential)
        {
            if (c.ApplicationCredentialId is null && c.Username is null && c.UserId is null)
                throw new CloudConfigException($"{source}: an application credential given by name also needs a username or user_id");
            return c;
        }
        if (c.Password is null) throw new CloudConfigException($"{source}: no password and no application credential");
        if (c.Username is null && c.UserId is null) throw new CloudConfigException($"{source}: no username or user_id");
        return c;
    }
}
