using KvmNovaTuner.Benchmarks;

// Each benchmark is a class implementing IBenchmark; run one by name: dotnet run -c Release -- <name> [args].
var benchmarks = typeof(IBenchmark).Assembly.GetTypes()
    .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .ToDictionary(b => b.Name, StringComparer.OrdinalIgnoreCase);

if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var benchmark))
{
    Console.Error.WriteLine("usage: KvmNovaTuner.Benchmarks <name> [args]");
    foreach (var b in benchmarks.Values.OrderBy(b => b.Name))
    {
        Console.Error.WriteLine($"  {b.Name,-12} {b.Description}");
    }
    return 2;
}

return await benchmark.RunAsync(args[1..]);
