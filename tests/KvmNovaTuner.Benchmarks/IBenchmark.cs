namespace KvmNovaTuner.Benchmarks;

/// <summary>A benchmark program: measures side by side in one run and prints figures and ratios.</summary>
public interface IBenchmark
{
    string Name { get; }
    string Description { get; }
    Task<int> RunAsync(string[] args);
}
