using System.CommandLine;
using MemoryContracts.Blueprints;
using MemoryContracts.Output;
using MemoryContracts.Tool.Reporting;

namespace MemoryContracts.Tool.Commands;

/// <summary><c>blueprint plan</c>: explain the stores, limits, retention and review gates a profile implies, starting nothing.</summary>
internal static class PlanCommand
{
    public static Command Create(CommandContext context)
    {
        var profile = new Argument<string>("profile") { Description = "The markitect.memory.profile.v1 file to explain." };
        var format = new Choice<PlanFormat>("--format", "text for people, json for scripts and agents.", PlanFormat.Text, ["-f"]);
        var schemas = CommandOptions.Schemas();
        var command = new Command("plan", "Explain what runtime stores and handoffs a profile implies, without starting anything.") { profile, format.Option, schemas };
        command.SetAction(parse => Run(parse.GetValue(profile)!, format.Read(parse), parse.GetValue(schemas), context));
        return command;
    }

    private static int Run(string profilePath, PlanFormat format, DirectoryInfo? schemas, CommandContext context)
    {
        var arguments = new ValidationArguments([profilePath], [], ReportFormat.Text, false, [], SchemaEngineChoice.Compiled, schemas);
        var (report, results, options, failure) = ValidateCommand.Validate(arguments, "profile", new CommandContext(context.Error, context.Error));
        if (report is null)
        {
            return failure;
        }

        var profile = results![0].Profile;
        if (report.ErrorCount > 0 || profile is null)
        {
            ReportWriter.Write(report, ReportFormat.Text, context.Error, context.Error);
            return report.ExitCode == ExitCodes.Success ? ExitCodes.ContractErrors : report.ExitCode;
        }

        var plan = BlueprintPlanner.Plan(profile, options!.Catalog);
        context.Output.Write(format == PlanFormat.Json ? WireJsonWriter.Write(BlueprintPlanner.ToWire(plan)) : BlueprintPlanner.ToText(plan));
        return ExitCodes.Success;
    }

    private enum PlanFormat
    {
        Text,
        Json,
    }
}
