using System.Globalization;
using KvmNovaTuner.OpenStack.Http;
using Newtonsoft.Json.Linq;

namespace KvmNovaTuner.OpenStack.Auth;

/// <summary>Obtains a Keystone v3 token with the password or application-credential method.</summary>
public sealed class KeystoneAuthenticator(CloudCredentials credentials, OpenStackTransport transport)
{
    public async Task<KeystoneToken> AuthenticateAsync(CancellationToken cancellationToken = default)
    {
        var url = credentials.IdentityV3Url + "/auth/tokens";
        var response = await transport.SendAsync(new TransportRequest("identity", HttpMethod.Post, url, AuthBody()), cancellationToken)
            .ConfigureAwait(false);
        if (response.StatusCode is not (200 or 201))
        {
            throw transport.ErrorFrom("identity", "POST /v3/auth/tokens", response,
                response.StatusCode == 401 ? $"Keystone refused the credentials of {credentials.CloudName}" : null);
        }
        var token = response.Header("X-Subject-Token")
            ?? throw new OpenStackApiException("identity", response.StatusCode, response.RequestId, "Keystone answered without an X-Subject-Token header");
        transport.Redactor.Add(token);
        var body = response.Json()["token"] ?? throw new OpenStackApiException("identity", response.StatusCode, response.RequestId, "Keystone answered without a token body");
        return new KeystoneToken(token,
            ParseTime(body["issued_at"]) ?? DateTimeOffset.MinValue,
            ParseTime(body["expires_at"]) ?? DateTimeOffset.MaxValue,
            ServiceCatalog.Parse(body["catalog"]),
            (string?)body["project"]?["id"],
            (string?)body["user"]?["id"]);
    }

    private static DateTimeOffset? ParseTime(JToken? value) => value?.Type switch
    {
        JTokenType.Date => new DateTimeOffset(((DateTime)value).ToUniversalTime(), TimeSpan.Zero),
        JTokenType.String => DateTimeOffset.Parse((string)value!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        _ => null,
    };

    private JObject AuthBody()
    {
        JObject identity;
        if (credentials.UsesApplicationCredential)
        {
            var appCred = new JObject { ["secret"] = credentials.ApplicationCredentialSecret };
            if (credentials.ApplicationCredentialId is { } id) appCred["id"] = id;
            else
            {
                appCred["name"] = credentials.ApplicationCredentialName;
                appCred["user"] = User();
            }
            // An application credential carries its own scope; Keystone answers 401 when a scope is added.
            identity = new JObject { ["methods"] = new JArray("application_credential"), ["application_credential"] = appCred };
            return new JObject { ["auth"] = new JObject { ["identity"] = identity } };
        }

        var user = User();
        user["password"] = credentials.Password;
        identity = new JObject { ["methods"] = new JArray("password"), ["password"] = new JObject { ["user"] = user } };
        var auth = new JObject { ["identity"] = identity };
        if (credentials.ProjectId is { } projectId) auth["scope"] = new JObject { ["project"] = new JObject { ["id"] = projectId } };
        else if (credentials.ProjectName is { } projectName)
        {
            auth["scope"] = new JObject { ["project"] = new JObject { ["name"] = projectName, ["domain"] = Domain(credentials.ProjectDomainId, credentials.ProjectDomainName) } };
        }
        return new JObject { ["auth"] = auth };
    }

    private JObject User()
    {
        if (credentials.UserId is { } userId) return new JObject { ["id"] = userId };
        return new JObject { ["name"] = credentials.Username, ["domain"] = Domain(credentials.UserDomainId, credentials.UserDomainName) };
    }

    private static JObject Domain(string? id, string name) => id is not null ? new JObject { ["id"] = id } : new JObject { ["name"] = name };
}
