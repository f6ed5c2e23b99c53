using Xunit;

namespace MemoryContracts.Runtime.Tests;

/// <summary>The review-gate findings of issue 12, reproduced through the command line as an attacker would run them.</summary>
public sealed class ReviewGateRegressionTests : IDisposable
{
    private readonly string _folder = TestSupport.TempFolder("gate-cli");

    private string Workspace => Path.Combine(_folder, "ws");

    public ReviewGateRegressionTests()
    {
        TestSupport.Run(out _, "store", "init", "-w", Workspace);
        TestSupport.Run(out _, "store", "import", "-w", Workspace, TestSupport.Write(_folder, "kb.yaml", TestSupport.KnowledgeGraph), TestSupport.Write(_folder, "profile.yaml", TestSupport.Profile));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_plan_file_edited_to_need_no_review_is_refused_and_nothing_changes()
    {
        var plan = Path.Combine(_folder, "plan.json");
        Assert.Equal(0, TestSupport.Run(out _, "store", "plan", "-w", Workspace, "-g", "kb", "--profile", "kb-profile", "--forget", "fact-secret", "-o", plan));
        File.WriteAllText(plan, File.ReadAllText(plan).Replace("\"review_required\": true", "\"review_required\": false", StringComparison.Ordinal).Replace("\"requires_review\": true", "\"requires_review\": false", StringComparison.Ordinal));
        TestSupport.Run(out var before, "store", "export", "-w", Workspace, "-g", "kb");

        Assert.Equal(1, TestSupport.Run(out var refused, "store", "apply", "-w", Workspace, "--plan", plan, "--actor", "mallory"));
        Assert.Contains("error MC5023:", refused, StringComparison.Ordinal);
        TestSupport.Run(out var after, "store", "export", "-w", Workspace, "-g", "kb");
        Assert.Equal(before, after);
        TestSupport.Run(out var audit, "store", "audit", "-w", Workspace);
        Assert.Contains("\tmallory\tapply\tdenied\t", audit, StringComparison.Ordinal);
    }

    [Fact]
    public void Naming_a_reviewer_on_the_command_line_approves_nothing()
    {
        var plan = Path.Combine(_folder, "plan.json");
        Assert.Equal(0, TestSupport.Run(out _, "store", "plan", "-w", Workspace, "-g", "kb", "--profile", "kb-profile", "--forget", "fact-secret", "-o", plan));
        TestSupport.Run(out var before, "store", "export", "-w", Workspace, "-g", "kb");

        Assert.NotEqual(0, TestSupport.Run(out _, "store", "apply", "-w", Workspace, "--plan", plan, "--actor", "mallory", "--approved-by", "carol", "--approval-reason", "impersonated"));
        Assert.NotEqual(0, TestSupport.Run(out _, "store", "apply", "-w", Workspace, "--plan", plan, "--actor", "carol", "--approved-by", "carol", "--approval-reason", "self", "--approved-at", "1970-01-01T00:00:00Z"));
        TestSupport.Run(out var after, "store", "export", "-w", Workspace, "-g", "kb");
        Assert.Equal(before, after);
    }

    [Fact]
    public void A_hand_written_plan_and_a_stale_plan_with_its_sequence_edited_are_refused()
    {
        var plan = Path.Combine(_folder, "plan.json");
        Assert.Equal(0, TestSupport.Run(out _, "store", "plan", "-w", Workspace, "-g", "kb", "--profile", "kb-profile", "--refresh", "assumption-old", "--no-retention", "-o", plan));
        var handWritten = TestSupport.Write(_folder, "forged.json", File.ReadAllText(plan).Replace("assumption-old", "decision", StringComparison.Ordinal));
        Assert.Equal(1, TestSupport.Run(out var forged, "store", "apply", "-w", Workspace, "--plan", handWritten));
        Assert.Contains("error MC5023:", forged, StringComparison.Ordinal);

        var record = TestSupport.Write(_folder, "record.json", """{"event": {"id": "meanwhile", "kind": "recorded", "at": "2026-11-21T10:00:00Z"}}""");
        Assert.Equal(0, TestSupport.Run(out _, "store", "append", "-w", Workspace, "-g", "kb", "--record", record));
        var text = File.ReadAllText(plan);
        var sequence = System.Text.RegularExpressions.Regex.Match(text, "\"sequence\": (\\d+)");
        var edited = TestSupport.Write(_folder, "edited.json", text.Replace(sequence.Value, "\"sequence\": " + (long.Parse(sequence.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + 1), StringComparison.Ordinal));
        Assert.Equal(1, TestSupport.Run(out var stale, "store", "apply", "-w", Workspace, "--plan", edited));
        Assert.Contains("error MC5023:", stale, StringComparison.Ordinal);
        Assert.Equal(1, TestSupport.Run(out var original, "store", "apply", "-w", Workspace, "--plan", plan));
        Assert.Contains("error MC5011:", original, StringComparison.Ordinal);
    }

    [Fact]
    public void Re_applying_a_plan_and_a_plan_naming_an_unknown_profile_are_refused_with_an_audit_line()
    {
        var plan = Path.Combine(_folder, "plan.json");
        Assert.Equal(0, TestSupport.Run(out _, "store", "plan", "-w", Workspace, "-g", "kb", "--profile", "kb-profile", "--refresh", "assumption-old", "--no-retention", "-o", plan));
        Assert.Equal(0, TestSupport.Run(out _, "store", "apply", "-w", Workspace, "--plan", plan));
        Assert.Equal(1, TestSupport.Run(out var again, "store", "apply", "-w", Workspace, "--plan", plan));
        Assert.Contains("error MC5024:", again, StringComparison.Ordinal);
        var unknownProfile = TestSupport.Write(_folder, "unknown-profile.json", File.ReadAllText(plan).Replace("\"kb-profile\"", "\"no-such-profile\"", StringComparison.Ordinal));
        Assert.Equal(1, TestSupport.Run(out var unknown, "store", "apply", "-w", Workspace, "--plan", unknownProfile));
        Assert.Contains("error MC5023:", unknown, StringComparison.Ordinal);

        TestSupport.Run(out var audit, "store", "audit", "-w", Workspace);
        var applies = audit.TrimEnd('\n').Split('\n').Where(line => line.Split('\t')[3] == "apply").Select(line => line.Split('\t')[4]).ToArray();
        Assert.Equal(["granted", "denied", "denied"], applies);
    }
}
