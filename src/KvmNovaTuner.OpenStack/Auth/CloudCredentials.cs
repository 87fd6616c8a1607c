namespace KvmNovaTuner.OpenStack.Auth;

/// <summary>
/// Where and how to authenticate against one cloud, as read from clouds.yaml or OS_* variables.
/// Secrets (password, application-credential secret, a password in auth_url) are kept out of <see cref="ToString"/>.
/// </summary>
public sealed record CloudCredentials
{
    public required string CloudName { get; init; }
    public required string AuthUrl { get; init; }
    public string? Username { get; init; }
    public string? UserId { get; init; }
    public string? Password { get; init; }
    public string UserDomainName { get; init; } = "Default";
    public string? UserDomainId { get; init; }
    public string? ProjectName { get; init; }
    public string? ProjectId { get; init; }
    public string ProjectDomainName { get; init; } = "Default";
    public string? ProjectDomainId { get; init; }
    public string? ApplicationCredentialId { get; init; }
    public string? ApplicationCredentialName { get; init; }
    public string? ApplicationCredentialSecret { get; init; }
    public string? RegionName { get; init; }
    public string Interface { get; init; } = "public";
    /// <summary>TLS verification; off only when the cloud says <c>verify: false</c> or <c>insecure: true</c>.</summary>
    public bool VerifyTls { get; init; } = true;
    /// <summary>A PEM bundle of CAs trusted for this cloud's endpoints, in addition to the system store.</summary>
    public string? CaCertFile { get; init; }

    /// <summary>Per-request timeout from clouds.yaml <c>api_timeout</c> (seconds); null keeps the client's default.</summary>
    public TimeSpan? ApiTimeout { get; init; }

    public bool UsesApplicationCredential =>
        !string.IsNullOrEmpty(ApplicationCredentialSecret)
        && (!string.IsNullOrEmpty(ApplicationCredentialId) || !string.IsNullOrEmpty(ApplicationCredentialName));

    /// <summary>The secret values a log line or error message must never show.</summary>
    public IEnumerable<string> Secrets()
    {
        if (!string.IsNullOrEmpty(Password)) yield return Password;
        if (!string.IsNullOrEmpty(ApplicationCredentialSecret)) yield return ApplicationCredentialSecret;
    }

    /// <summary>The Keystone v3 base URL (auth_url with <c>/v3</c> appended when missing).</summary>
    public string IdentityV3Url
    {
        get
        {
            var url = AuthUrl.TrimEnd('/');
            return url.EndsWith("/v3", StringComparison.Ordinal) ? url : url + "/v3";
        }
    }

    public override string ToString() =>
        $"cloud {CloudName} at {Core.Secrets.SecretRedactor.RedactUrl(AuthUrl)} ({(UsesApplicationCredential ? "application credential" : "password")} auth, "
        + $"user {Username ?? UserId ?? "-"}, project {ProjectName ?? ProjectId ?? "-"}, region {RegionName ?? "any"}, interface {Interface})";
}
