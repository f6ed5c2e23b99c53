using System.CommandLine;
using MemoryContracts.Runtime;

namespace MemoryContracts.Tool.Commands;

/// <summary><c>store</c> verbs that only read: repair (check everything) and audit.</summary>
internal static partial class StoreCommand
{
    private static Command Repair(CommandContext context)
    {
        var command = new Command("repair", "Check the workspace without changing it: every problem with its code and log position (MC5xxx).") { Workspace, Postgres, Owner };
        command.SetAction(parse =>
        {
            var result = ExitCodes.Success;
            var code = Open(context, parse, workspace =>
            {
                var problems = workspace.Repair();
                foreach (var problem in problems)
                {
                    context.Output.WriteLine(CommandContext.RelativeToCurrentFolder(problem).ToString());
                }

                context.Output.WriteLine($"{problems.Count(problem => problem.IsError)} error(s), {problems.Count(problem => !problem.IsError)} warning(s)");
                result = problems.Any(problem => problem.IsError) ? ExitCodes.ContractErrors : ExitCodes.Success;
            }, readOnly: true);
            return code == ExitCodes.Success ? result : code;
        });
        return command;
    }

    private static Command AuditTrail(CommandContext context)
    {
        var command = new Command("audit", "Print the audit log: operation, time, actor, action, decision, affected ids, reason.") { Workspace, Postgres, Owner };
        command.SetAction(parse => Open(context, parse, workspace =>
        {
            foreach (var record in workspace.AuditTrail())
            {
                context.Output.WriteLine(Safe($"{record.Operation}\t{record.At}\t{record.Actor}\t{record.Action}\t{record.Decision.ToString().ToLowerInvariant()}\t{string.Join(",", record.Affected)}\t{record.Reason}{(record.Approval is { } approval ? $"\tapproved by {approval.By} at {approval.At}: {approval.Reason}" : string.Empty)}"));
            }
        }, readOnly: true));
        return command;
    }
}
