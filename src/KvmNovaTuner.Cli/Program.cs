using System.CommandLine;
using KvmNovaTuner.Cli;
using KvmNovaTuner.Cli.Commands.Apply;
using KvmNovaTuner.Cli.Commands.Flavors;
using KvmNovaTuner.Cli.Commands.Hooks;
using KvmNovaTuner.Cli.Commands.Host;
using KvmNovaTuner.Cli.Commands.Intake;
using KvmNovaTuner.Cli.Commands.Planning;
using KvmNovaTuner.Cli.Commands.Product;
using KvmNovaTuner.Cli.Commands.Snapshots;

var root = new RootCommand("kvm-nova-tuner: turns tuned Nova flavors into verified tuning on KVM compute hosts.")
{
    // intake: source → decode → filter
    DecodeCommand.Create(),
    ReplayCommand.Create(),
    AgentCommand.Create(),
    RouterCommand.Create(),
    // plan and apply
    PlanCommand.Create(),
    ApplyCommand.Create(),
    ReconcileCommand.Create(),
    // cloud admins
    FlavorsCommand.Create(),
    // host profile
    HostCommand.Create(),
    // snapshots and recovery
    SnapshotsCommand.Create(),
    RecoverCommand.Create(),
    // boot automation
    HookCommand.Create(),
    WaitCommand.Create(),
    // product
    ConfigCommand.Create(),
    DemoCommand.Create(),
};

return await CliRunner.RunAsync(root, args);
