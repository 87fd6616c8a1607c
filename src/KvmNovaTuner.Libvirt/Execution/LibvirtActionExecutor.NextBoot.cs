using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Libvirt.Xml;

namespace KvmNovaTuner.Libvirt.Execution;

/// <summary>The next-boot path: edit the persistent XML, redefine it with schema validation, read it back.</summary>
public sealed partial class LibvirtActionExecutor
{
    /// <summary>
    /// Edits the persistent XML once for all of one domain's next-boot actions and defines it once. When libvirt
    /// refuses the combined definition, each action is tried alone so one bad action cannot sink the others.
    /// </summary>
    private List<ActionResult> ExecuteNextBootBatch(DomainCache domains, List<PlanAction> actions, bool dryRun)
    {
        if (actions.Count == 1 || dryRun)
        {
            return actions.Select(a => Execute(domains, a, dryRun)).ToList();
        }
        LibvirtDomain? domain;
        string xml;
        try
        {
            domain = domains.Get(ActionTarget.Parse(actions[0].Target).DomainUuid);
            if (domain is null)
            {
                return actions.Select(a => Execute(domains, a, dryRun)).ToList();
            }
            xml = domain.GetXml(inactive: true);
        }
        catch (Exception e) when (e is LibvirtException or FormatException)
        {
            return actions.Select(a => Failed(a, null, e.Message)).ToList();
        }
        var edits = new List<(PlanAction Action, ActionTarget Target, XmlEdit Edit)>();
        foreach (var action in actions)
        {
            try
            {
                var target = ActionTarget.Parse(action.Target);
                var edit = DomainXmlEditor.Apply(xml, action.Kind, target, action.Settings);
                xml = edit.Xml;
                edits.Add((action, target, edit));
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                // Left out of the batch; run alone below it fails with its own message.
            }
        }
        if (edits.Count < actions.Count || !edits.Any(e => e.Edit.Changed))
        {
            return actions.Select(a => Execute(domains, a, dryRun)).ToList();
        }
        try
        {
            using (connection.Define(xml, validate: true))
            {
            }
        }
        catch (LibvirtException)
        {
            return actions.Select(a => Execute(domains, a, dryRun)).ToList();
        }
        var stored = domain.GetXml(inactive: true);
        return edits.Select(e => Verified(domain, e.Action, e.Target, e.Edit, stored)).ToList();
    }

    private static ActionResult Verified(LibvirtDomain domain, PlanAction action, ActionTarget target, XmlEdit edit, string storedXml)
    {
        if (!edit.Changed)
        {
            return AlreadyDefined(domain, action, target, edit);
        }
        var check = DomainXmlEditor.Apply(storedXml, action.Kind, target, action.Settings);
        return check.Changed
            ? new ActionResult(action.Kind, action.Target, ActionStatus.Failed, edit.Before, check.Before,
                $"libvirt accepted the definition but did not keep {SettingComparer.Describe(check.After, check.Before)}")
            : new ActionResult(action.Kind, action.Target, ActionStatus.PendingRestart, edit.Before, check.Before,
                "written to the persistent definition (validated); takes effect at the next cold start");
    }

    private ActionResult ApplyNextBoot(LibvirtDomain domain, ActionTarget target, PlanAction action, bool dryRun)
    {
        var edit = DomainXmlEditor.Apply(domain.GetXml(inactive: true), action.Kind, target, action.Settings);
        if (!edit.Changed)
        {
            return AlreadyDefined(domain, action, target, edit);
        }
        if (dryRun)
        {
            return new ActionResult(action.Kind, action.Target, ActionStatus.Skipped, edit.Before, edit.After,
                $"dry run: would write {SettingComparer.Describe(edit.After, edit.Before)} to the persistent definition");
        }
        using (connection.Define(edit.Xml, validate: true))
        {
        }
        return Verified(domain, action, target, edit, domain.GetXml(inactive: true));
    }

    /// <summary>
    /// The setting is in the persistent definition already. It is <c>unchanged</c> only when the running domain shows it
    /// too (or the domain is not running, so the definition is what it boots with); otherwise it is still waiting for a
    /// cold start and stays <c>pending-restart</c>, however many events come before that start.
    /// </summary>
    private static ActionResult AlreadyDefined(LibvirtDomain domain, PlanAction action, ActionTarget target, XmlEdit edit)
    {
        if (!domain.IsActive)
        {
            return new ActionResult(action.Kind, action.Target, ActionStatus.Unchanged, edit.Before, edit.After,
                "in the persistent definition the stopped domain boots with");
        }
        var live = DomainXmlEditor.Apply(domain.GetXml(), action.Kind, target, action.Settings);
        return live.Changed
            ? new ActionResult(action.Kind, action.Target, ActionStatus.PendingRestart, live.Before, edit.After,
                $"in the persistent definition, not yet in effect on the running domain ({SettingComparer.Describe(live.After, live.Before)} at the next cold start)")
            : new ActionResult(action.Kind, action.Target, ActionStatus.Unchanged, edit.Before, edit.After,
                "in effect on the running domain and in the persistent definition");
    }
}
