using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Libvirt.Xml;

namespace KvmNovaTuner.Libvirt.Execution;

/// <summary>The next-boot path: edit the persistent XML, redefine it with schema validation, read it back.</summary>
public sealed partial class LibvirtActionExecutor
{
    private ActionResult ApplyNextBoot(LibvirtDomain domain, ActionTarget target, PlanAction action, bool dryRun)
    {
        var edit = DomainXmlEditor.Apply(domain.GetXml(inactive: true), action.Kind, target, action.Settings);
        if (!edit.Changed)
        {
            return new ActionResult(action.Kind, action.Target, ActionStatus.Unchanged, edit.Before, edit.After,
                "already in the persistent definition");
        }
        if (dryRun)
        {
            return new ActionResult(action.Kind, action.Target, ActionStatus.Skipped, edit.Before, edit.After,
                $"dry run: would write {SettingComparer.Describe(edit.After, edit.Before)} to the persistent definition");
        }
        using (connection.Define(edit.Xml, validate: true))
        {
        }
        var check = DomainXmlEditor.Apply(domain.GetXml(inactive: true), action.Kind, target, action.Settings);
        if (check.Changed)
        {
            return new ActionResult(action.Kind, action.Target, ActionStatus.Failed, edit.Before, check.Before,
                $"libvirt accepted the definition but did not keep {SettingComparer.Describe(check.After, check.Before)}");
        }
        return new ActionResult(action.Kind, action.Target, ActionStatus.PendingRestart, edit.Before, check.Before,
            "written to the persistent definition (validated); takes effect at the next cold start");
    }
}
