namespace KvmNovaTuner.Agent.Hosting;

/// <summary>Waits for a <see cref="PeriodicTimer"/> tick, treating a stop request as the end of the loop.</summary>
internal static class PeriodicTicks
{
    public static async Task<bool> NextAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
