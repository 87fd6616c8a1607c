namespace KvmNovaTuner.OpenStack.Auth;

/// <summary>An issued Keystone token with its lifetime and catalog. <see cref="ToString"/> never shows the token.</summary>
public sealed record KeystoneToken(string Value, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, ServiceCatalog Catalog, string? ProjectId, string? UserId)
{
    /// <summary>Renew this long before expiry: a tenth of the lifetime, at most two minutes.</summary>
    public TimeSpan RenewalMargin
    {
        get
        {
            var tenth = TimeSpan.FromTicks((ExpiresAt - IssuedAt).Ticks / 10);
            return tenth < TimeSpan.FromMinutes(2) ? tenth : TimeSpan.FromMinutes(2);
        }
    }

    public bool NeedsRenewal(DateTimeOffset now) => now >= ExpiresAt - RenewalMargin;

    public override string ToString() => $"token (expires {ExpiresAt:O}, {Catalog.Endpoints.Count} endpoints)";
}
