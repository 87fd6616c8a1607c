using Flurl.Http;
using KvmNovaTuner.Core.Secrets;
using KvmNovaTuner.OpenStack.Auth;
using KvmNovaTuner.OpenStack.Glance;
using KvmNovaTuner.OpenStack.Http;
using KvmNovaTuner.OpenStack.Nova;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvmNovaTuner.OpenStack;

/// <summary>Builds an authenticated session and the Nova and Glance clients for one cloud.</summary>
public sealed class OpenStackConnection : IDisposable
{
    private readonly IFlurlClient flurl;

    public OpenStackConnection(CloudCredentials credentials, RetryOptions? retry = null, TimeProvider? time = null, ILoggerFactory? loggers = null)
    {
        retry ??= new RetryOptions();
        time ??= TimeProvider.System;
        loggers ??= NullLoggerFactory.Instance;
        var tls = new TlsPolicy(credentials.VerifyTls, credentials.CaCertFile);
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            SslOptions = { RemoteCertificateValidationCallback = (_, cert, chain, errors) => tls.Validate(cert, chain, errors) },
        };
        flurl = new FlurlClient(new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan });
        var logger = loggers.CreateLogger("KvmNovaTuner.OpenStack");
        var transport = new OpenStackTransport(flurl, new SecretRedactor(credentials.Secrets()), logger, credentials.ApiTimeout ?? retry.RequestTimeout);
        Session = new OpenStackSession(credentials, transport, RetryPipelineFactory.Create(retry, time, logger), time, logger);
        Nova = new NovaClient(Session);
        Glance = new GlanceClient(Session);
    }

    /// <summary>A connection for a named cloud (else OS_CLOUD, else the OS_* variables), the way OpenStack clients find it.</summary>
    public static OpenStackConnection FromCloud(string? cloudName, ILoggerFactory? loggers = null, string? cloudsYaml = null) =>
        new(CloudConfigLoader.ForProcess(cloudsYaml).Load(cloudName), loggers: loggers);

    public OpenStackSession Session { get; }
    public NovaClient Nova { get; }
    public GlanceClient Glance { get; }

    public void Dispose() => flurl.Dispose();
}
