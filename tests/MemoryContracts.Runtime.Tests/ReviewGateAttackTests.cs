using System.Text;
using MemoryContracts.Runtime.Lifecycle;
using MemoryContracts.Runtime.Postgres;
using MemoryContracts.Runtime.Review;
using Xunit;

namespace MemoryContracts.Runtime.Tests;

/// <summary>
/// The review gate, attacked: every way to get a review-required plan applied without a real reviewer's signature,
/// on a file workspace and on PostgreSQL. Each refusal must change nothing but the audit log.
/// </summary>
public abstract class ReviewGateAttackTests : IDisposable
{
    private readonly string _fixtures = TestSupport.TempFolder("gate-fixtures");

    protected ReviewGateAttackTests()
    {
        Clock = new ManualClock(DateTimeOffset.Parse("2026-11-21T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        Workspace = Open();
        Workspace.Import(TestSupport.Write(_fixtures, "kb.yaml", TestSupport.KnowledgeGraph), "tester");
        Workspace.Import(TestSupport.Write(_fixtures, "profile.yaml", TestSupport.Profile), "tester");
    }

    private protected ManualClock Clock { get; }

    protected MemoryWorkspace Workspace { get; }

    public virtual void Dispose()
    {
        Workspace.Dispose();
        Directory.Delete(_fixtures, recursive: true);
    }

    protected abstract MemoryWorkspace Open();

    protected LifecyclePlan ForgetSecret(string requestedBy = "agent") =>
        Workspace.Lifecycle.Plan("kb", "kb-profile", new LifecycleRequest { Retention = false, Forget = ["fact-secret"], RequestedBy = requestedBy });

    /// <summary>Applies and expects a refusal with this code, with the graph unchanged and the refusal audited.</summary>
    protected MemoryStoreException Refused(string code, LifecyclePlan plan, Approval? approval, string actor = "agent")
    {
        var before = Workspace.Export("kb");
        var audited = Workspace.AuditTrail().Count();
        var refusal = Assert.Throws<MemoryStoreException>(() => Workspace.Lifecycle.Apply(plan, approval, actor));
        Assert.Equal(code, refusal.Code);
        Assert.Equal(before, Workspace.Export("kb"));
        var audit = Workspace.AuditTrail().ToList();
        Assert.Equal(audited + 1, audit.Count);
        Assert.Equal(("apply", AuditDecision.Denied, actor), (audit[^1].Action, audit[^1].Decision, audit[^1].Actor));
        Assert.Contains(code, audit[^1].Reason, StringComparison.Ordinal);
        return refusal;
    }

    [ConformanceFact]
    public void A_plan_with_a_review_flag_cleared_is_not_the_plan_the_workspace_issued()
    {
        var plan = ForgetSecret();
        var cleared = plan with { Actions = plan.Actions.Select(action => action with { ReviewRequired = false }).ToArray() };
        Assert.Contains("its content does not match its id", Refused("MC5023", cleared, null).Message, StringComparison.Ordinal);
        var rehashed = cleared with { Id = LifecyclePlanJson.IdOf(cleared) };
        Assert.Contains("this workspace did not issue it", Refused("MC5023", rehashed, null).Message, StringComparison.Ordinal);
    }

    [ConformanceFact]
    public void A_hand_written_plan_naming_other_ids_is_refused()
    {
        var plan = ForgetSecret();
        var other = plan with { Actions = [plan.Actions.Single(action => action.Action == "forget") with { Node = "decision", ReviewRequired = false }] };
        Refused("MC5023", other with { Id = LifecyclePlanJson.IdOf(other) }, null);
    }

    [ConformanceFact]
    public void An_approval_signed_with_another_key_is_a_forgery()
    {
        var plan = ForgetSecret();
        var forged = TestSupport.Approve(plan, "carol", signedBy: "mallory");
        Assert.Contains("its signature does not verify with the key profile 'kb-profile' declares for 'carol'", Refused("MC5025", plan, forged, actor: "mallory").Message, StringComparison.Ordinal);
        var unsigned = new Approval("carol", "2026-11-21T12:00:00Z", "trust me") { Plan = plan.Id };
        Refused("MC5025", plan, unsigned, actor: "mallory");
        var edited = TestSupport.Approve(plan, "carol") with { Reason = "a different reason than the one carol signed" };
        Refused("MC5025", plan, edited);
    }

    [ConformanceFact]
    public void A_reviewer_cannot_approve_a_plan_they_asked_for_or_apply_themselves()
    {
        var theirs = ForgetSecret(requestedBy: "carol");
        Assert.Contains("'carol' asked for the plan and cannot approve it too", Refused("MC5025", theirs, TestSupport.Approve(theirs, "carol"), actor: "dave").Message, StringComparison.Ordinal);
        var plan = ForgetSecret();
        Assert.Contains("'carol' applies the plan and cannot approve it too", Refused("MC5025", plan, TestSupport.Approve(plan, "carol"), actor: "carol").Message, StringComparison.Ordinal);
    }

    [ConformanceFact]
    public void An_approval_of_one_plan_does_not_approve_another()
    {
        var first = ForgetSecret();
        Clock.Now = Clock.Now.AddSeconds(1);
        var second = ForgetSecret();
        Assert.NotEqual(first.Id, second.Id);
        var approval = TestSupport.Approve(first, "carol", at: "2026-11-21T12:00:01Z");
        Assert.Contains($"it approves plan '{first.Id}'", Refused("MC5025", second, approval).Message, StringComparison.Ordinal);
        Refused("MC5025", second, approval with { Plan = second.Id });
    }

    [ConformanceFact]
    public void Back_dated_and_future_approvals_are_refused()
    {
        var plan = ForgetSecret();
        Assert.Contains("which is not between the plan's time", Refused("MC5025", plan, TestSupport.Approve(plan, "carol", at: "1970-01-01T00:00:00Z")).Message, StringComparison.Ordinal);
        Refused("MC5025", plan, TestSupport.Approve(plan, "carol", at: "2026-11-21T11:59:59Z"));
        Refused("MC5025", plan, TestSupport.Approve(plan, "carol", at: "2099-01-01T00:00:00Z"));
        Refused("MC5025", plan, TestSupport.Approve(plan, "carol", at: "2026-11-21T12:02:01Z"));
        Workspace.Lifecycle.Apply(plan, TestSupport.Approve(plan, "carol", at: "2026-11-21T12:02:00Z"), "agent");
    }

    [ConformanceFact]
    public void A_plan_applies_once_and_a_replayed_apply_is_refused_and_audited()
    {
        var plan = ForgetSecret();
        var approval = TestSupport.Approve(plan, "carol");
        var applied = Workspace.Lifecycle.Apply(plan, approval, "agent");
        Assert.Equal("applied-" + plan.Id, applied.Record.Event!.Id);
        var again = Refused("MC5024", plan, approval);
        Assert.Contains($"was applied already (event 'applied-{plan.Id}')", again.Message, StringComparison.Ordinal);
    }

    [ConformanceFact]
    public void A_stale_plan_is_refused_even_with_a_valid_approval()
    {
        var plan = ForgetSecret();
        Workspace.Append("kb", TestSupport.Event("meanwhile"));
        Refused("MC5011", plan, TestSupport.Approve(plan, "carol"));
    }

    [ConformanceFact]
    public void A_plan_made_in_another_workspace_is_not_issued_here()
    {
        using var other = MemoryWorkspace.InMemory(new WorkspaceOptions { Clock = Clock });
        other.Import(TestSupport.Write(_fixtures, "kb2.yaml", TestSupport.KnowledgeGraph), "tester");
        other.Import(TestSupport.Write(_fixtures, "profile2.yaml", TestSupport.Profile), "tester");
        var foreign = other.Lifecycle.Plan("kb", "kb-profile", new LifecycleRequest { Retention = false, Refresh = ["decision"], RequestedBy = "agent" });
        Assert.Equal(Workspace.Log.LastSequence("kb"), foreign.Sequence);
        Assert.Contains("this workspace did not issue it", Refused("MC5023", foreign, null).Message, StringComparison.Ordinal);
    }

    [ConformanceFact]
    public void A_profile_with_reviewers_but_no_keys_lets_no_approval_through()
    {
        Workspace.Import(TestSupport.Write(_fixtures, "keyless.yaml", """
            schema_version: markitect.memory.profile.v1
            id: keyless
            memory_kinds: [knowledge]
            stores: {knowledge: local-graph-store}
            activation: {max_items: 10}
            review: {required_for: [forget], reviewers: [carol]}
            """), "tester");
        var plan = Workspace.Lifecycle.Plan("kb", "keyless", new LifecycleRequest { Retention = false, Forget = ["fact-secret"] });
        Assert.Contains("declares no key for 'carol'", Refused("MC5025", plan, TestSupport.Approve(plan, "carol")).Message, StringComparison.Ordinal);
        Refused("MC5009", plan, null);
    }

    [ConformanceFact]
    public void A_profile_changed_after_planning_no_longer_governs_the_plan()
    {
        var plan = ForgetSecret();
        Workspace.Import(TestSupport.Write(_fixtures, "widened.yaml", TestSupport.Profile.Replace("reviewers: [carol]", "reviewers: [carol, mallory]", StringComparison.Ordinal)), "mallory");
        Assert.Contains("its profile 'kb-profile' changed after the plan was made", Refused("MC5023", plan, TestSupport.Approve(plan, "carol")).Message, StringComparison.Ordinal);
    }

    [ConformanceFact]
    public void Approvals_are_verifiable_afterwards_from_the_audit_log()
    {
        var plan = ForgetSecret();
        Workspace.Lifecycle.Apply(plan, TestSupport.Approve(plan, "carol"), "agent");
        var granted = Workspace.AuditTrail().Last();
        Assert.Equal((AuditDecision.Granted, plan.Id), (granted.Decision, granted.Approval!.Plan));
        Assert.True(ApprovalSigner.Verify(granted.Approval, TestSupport.Keys["carol"].PublicKey));
        Assert.False(ApprovalSigner.Verify(granted.Approval, TestSupport.Keys["mallory"].PublicKey));
    }
}

/// <summary>The review-gate attacks on a file workspace, plus edits made to its files.</summary>
public sealed class FileReviewGateAttackTests : ReviewGateAttackTests
{
    private string? _folder;

    public override void Dispose()
    {
        base.Dispose();
        Directory.Delete(_folder!, recursive: true);
    }

    protected override MemoryWorkspace Open()
    {
        _folder = TestSupport.TempFolder("gate");
        return MemoryWorkspace.Create(_folder, new WorkspaceOptions { Clock = Clock });
    }

    [Fact]
    public void A_recorded_plan_edited_on_disk_is_refused()
    {
        var plan = ForgetSecret();
        var file = Directory.GetFiles(Path.Combine(_folder!, "graphs"), "*.json", SearchOption.AllDirectories).Single(path => path.Contains("plans", StringComparison.Ordinal));
        File.WriteAllText(file, File.ReadAllText(file).Replace("\"review_required\": true", "\"review_required\": false", StringComparison.Ordinal));
        Assert.Contains("the copy the workspace recorded was changed in storage", Refused("MC5023", plan, TestSupport.Approve(plan, "carol")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stored_profile_edited_on_disk_to_add_a_reviewer_does_not_govern_an_earlier_plan()
    {
        var plan = ForgetSecret();
        var profile = Directory.GetFiles(Path.Combine(_folder!, "profiles")).Single();
        File.WriteAllText(profile, File.ReadAllText(profile).Replace("\"carol\"\n", "\"carol\",\n      \"mallory\"\n", StringComparison.Ordinal).Replace("\"carol\": \"", "\"mallory\": \"" + TestSupport.Keys["mallory"].PublicKey + "\",\n      \"carol\": \"", StringComparison.Ordinal));
        Assert.Contains("mallory", Encoding.UTF8.GetString(File.ReadAllBytes(profile)), StringComparison.Ordinal);
        Refused("MC5023", plan, TestSupport.Approve(plan, "mallory"), actor: "mallory");
    }
}

/// <summary>The review-gate attacks on PostgreSQL, plus edits made in SQL with the application's credentials.</summary>
public sealed class PostgresReviewGateAttackTests : ReviewGateAttackTests, IPostgresTests
{
    private PostgresStoreOptions? _options;

    protected override MemoryWorkspace Open()
    {
        _options = new PostgresStoreOptions(PostgresServer.MigratedConnectionString, PostgresServer.NewOwner(), PostgresServer.Keys);
        return PostgresWorkspace.Open(_options, new WorkspaceOptions { Clock = Clock });
    }

    [ConformanceFact]
    public void A_recorded_plan_edited_in_sql_fails_its_integrity_check()
    {
        var plan = ForgetSecret();
        PostgresServer.Sql(PostgresServer.OwnerConnectionString!, _options!.Owner, "UPDATE memory_plans SET body = replace(body, '\"review_required\": true', '\"review_required\": false')");
        Assert.Contains("plan 'kb/" + plan.Id + "' fails its integrity check: its MAC does not match its content", Refused("MC5026", plan, null).Message, StringComparison.Ordinal);
    }

    [ConformanceFact]
    public void A_profile_edited_in_sql_to_add_a_reviewer_fails_its_integrity_check()
    {
        var plan = ForgetSecret();
        PostgresServer.Sql(_options!.ConnectionString, _options.Owner, "UPDATE memory_profiles SET body = replace(body, '\"carol\"\n', '\"carol\", \"mallory\"\n')");
        Refused("MC5026", plan, TestSupport.Approve(plan, "mallory"), actor: "mallory");
    }
}
