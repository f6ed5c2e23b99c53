using System.CommandLine;
using System.Globalization;
using System.Text;
using MemoryContracts.Diagnostics;
using MemoryContracts.Runtime;
using MemoryContracts.Runtime.Lifecycle;
using MemoryContracts.Runtime.Review;

namespace MemoryContracts.Tool.Commands;

/// <summary><c>store</c> lifecycle verbs: plan, approve (and keygen for reviewers), apply behind the review gate.</summary>
internal static partial class StoreCommand
{
    private static Command Plan(CommandContext context, Option<string> graph)
    {
        var profile = new Option<string>("--profile") { Description = "The profile whose rules and reviewers govern the plan.", Required = true };
        var refresh = new Option<string[]>("--refresh") { Description = "Nodes to refresh. Repeatable.", AllowMultipleArgumentsPerToken = true };
        var forget = new Option<string[]>("--forget") { Description = "Nodes to forget. Repeatable.", AllowMultipleArgumentsPerToken = true };
        var lineage = new Choice<LineagePolicy>("--lineage", "What happens to nodes derived from forgotten ones: review flags them, forget forgets them too.", LineagePolicy.Review);
        var reason = new Option<string?>("--reason") { Description = "Why (kept with forget tombstones)." };
        var noRetention = new Option<bool>("--no-retention") { Description = "Leave the profile's retention rules out." };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the plan (JSON) to this file, for 'apply'." };
        var command = new Command("plan", "Plan lifecycle actions as a dry run, with explanations; the workspace records the plan (so it can be applied as issued) and changes nothing else.") { Workspace, Postgres, Owner, graph, profile, refresh, forget, lineage.Option, reason, noRetention, output, Actor };
        command.SetAction(parse => Open(context, parse, workspace =>
        {
            var plan = workspace.Lifecycle.Plan(parse.GetValue(graph)!, parse.GetValue(profile)!, new LifecycleRequest
            {
                Retention = !parse.GetValue(noRetention),
                Refresh = parse.GetValue(refresh) ?? [],
                Forget = parse.GetValue(forget) ?? [],
                Lineage = lineage.Read(parse),
                Reason = parse.GetValue(reason),
                RequestedBy = parse.GetValue(Actor)!,
            });
            foreach (var action in plan.Actions)
            {
                context.Output.WriteLine(Safe($"{action.Action}\t{action.Node}\t{(action.ReviewRequired ? "review required" : "no review")}\t{action.Reason}\t{action.Source}\t{action.Policy}"));
            }

            context.Output.WriteLine($"plan {plan.Id}: {plan.Actions.Count} action(s){(plan.RequiresReview ? ", needs an approval" : string.Empty)}");
            if (parse.GetValue(output) is { } file)
            {
                MemoryContracts.IO.AtomicFile.WriteAllBytes(file.FullName, LifecyclePlanJson.Write(plan));
            }
        }));
        return command;
    }

    private static Command Approve(CommandContext context)
    {
        var plan = new Option<FileInfo>("--plan") { Description = "The plan file written by 'plan --output'.", Required = true };
        var reviewer = new Option<string>("--reviewer") { Description = "Who approves: a reviewer the profile names, with a declared key.", Required = true };
        var key = new Option<FileInfo>("--key") { Description = "The reviewer's private key (PKCS#8 PEM, from 'keygen').", Required = true };
        var reason = new Option<string>("--reason") { Description = "Why they approve.", Required = true };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the approval to this file instead of standard output." };
        var command = new Command("approve", "Sign an approval of a plan with a reviewer's key; 'apply --approval' verifies it against the stored profile.") { plan, reviewer, key, reason, output };
        command.SetAction(parse => Run(context, () =>
        {
            var planFile = parse.GetValue(plan)!.FullName;
            var read = LifecyclePlanJson.Read(planFile);
            if (LifecyclePlanJson.IdOf(read) != read.Id)
            {
                throw new MemoryStoreException(DiagnosticCatalog.PlanNotApplicable.Create(SourceLocation.File(planFile), read.Id, "its content does not match its id: it was changed after it was made"));
            }

            var keyFile = parse.GetValue(key)!.FullName;
            var approval = ApprovalSigner.PublicKeyOf(File.ReadAllText(keyFile)) is null
                ? throw new MemoryStoreException(DiagnosticCatalog.ApprovalInvalid.Create(SourceLocation.File(keyFile), read.Id, parse.GetValue(reviewer)!, "the key file is not an ECDSA P-256 private key in PKCS#8 PEM form"))
                : ApprovalSigner.Sign(read.Id, parse.GetValue(reviewer)!, DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), parse.GetValue(reason)!, File.ReadAllText(keyFile));
            Write(context, ApprovalJson.Write(approval), parse.GetValue(output));
        }));
        return command;
    }

    private static Command KeyGen(CommandContext context)
    {
        var reviewer = new Option<string>("--reviewer") { Description = "Whose key it is (the name the profile lists in review.reviewers).", Required = true };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Where to write the private key (PKCS#8 PEM, readable by its owner only). Keep it secret.", Required = true };
        var command = new Command("keygen", "Make an ECDSA P-256 key pair for a reviewer: writes the private key, prints the public key to declare in the profile.") { reviewer, output };
        command.SetAction(parse => Run(context, () =>
        {
            var file = parse.GetValue(output)!.FullName;
            var (privateKey, publicKey) = ApprovalSigner.CreateKey();
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(file, options))
            {
                stream.Write(Encoding.ASCII.GetBytes(privateKey));
                stream.Flush(flushToDisk: true);
            }

            context.Output.WriteLine("# add to the profile's review section:");
            context.Output.WriteLine("reviewer_keys:");
            context.Output.WriteLine($"  {parse.GetValue(reviewer)}: {publicKey}");
        }));
        return command;
    }

    private static Command Apply(CommandContext context)
    {
        var plan = new Option<FileInfo>("--plan") { Description = "The plan file written by 'plan --output'; only a plan the workspace issued, unchanged, applies.", Required = true };
        var approval = new Option<FileInfo?>("--approval") { Description = "A signed approval from 'approve', for plans with review-required actions." };
        var command = new Command("apply", "Apply a plan behind the review gate (MC5009-MC5011, MC5023-MC5025); every decision is audited.") { Workspace, Postgres, Owner, plan, approval, Actor };
        command.SetAction(parse => Open(context, parse, workspace =>
        {
            var read = LifecyclePlanJson.Read(parse.GetValue(plan)!.FullName);
            var signed = parse.GetValue(approval) is { } file ? ApprovalJson.Read(file.FullName) : null;
            var applied = workspace.Lifecycle.Apply(read, signed, parse.GetValue(Actor)!);
            context.Output.WriteLine($"applied {applied.PlanId} as {applied.Record.Event!.Id} (operation {applied.Operation})");
        }));
        return command;
    }
}
