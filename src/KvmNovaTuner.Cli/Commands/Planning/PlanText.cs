using System.Text;
using KvmNovaTuner.Core.Planning;
using KvmNovaTuner.Core.Plans;

namespace KvmNovaTuner.Cli.Commands.Planning;

/// <summary>The human-readable form of a plan: one line per action and per diagnostic.</summary>
public static class PlanText
{
    public static string Format(Plan plan)
    {
        var text = new StringBuilder();
        text.AppendLine($"plan for instance {plan.InstanceUuid ?? "-"} ({plan.EventType ?? "-"}) on host {plan.Host ?? "-"}");
        text.AppendLine(plan.Actions.Count == 0 ? "no actions" : $"{plan.Actions.Count} action(s):");
        foreach (var action in plan.Actions)
        {
            var settings = string.Join(" ", action.Settings.Select(s => $"{s.Key}={s.Value}"));
            text.AppendLine($"  {PlanJson.Timing(action.When),-9} {action.Kind,-14} {action.Target} {settings}");
            text.AppendLine($"            because {action.Reason}");
        }
        foreach (var diagnostic in plan.Diagnostics)
        {
            text.AppendLine($"{PlanJson.Severity(diagnostic.Severity)}: {diagnostic.Key}: {diagnostic.Message}");
        }
        return text.ToString().TrimEnd('\n');
    }
}
