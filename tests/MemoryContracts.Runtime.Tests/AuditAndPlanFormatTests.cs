using System.Text;
using System.Text.Json;
using MemoryContracts.Runtime.Json;
using MemoryContracts.Runtime.Lifecycle;
using Xunit;

namespace MemoryContracts.Runtime.Tests;

/// <summary>
/// Audit lines and lifecycle plans are contracts: audit lines are what the PostgreSQL chain signs and what a
/// reviewer reads, and a plan's id is the hash of its canonical bytes, so an approval names exactly one plan.
/// Their bytes are pinned by approved files written before the formats moved to source generation, and damaged
/// ones are refused with the part named.
/// </summary>
public sealed class AuditAndPlanFormatTests
{
    private static readonly string Fixtures = Path.Combine(TestSupport.Root, "tests", "MemoryContracts.Runtime.Tests", "Fixtures");

    [Fact]
    public void Audit_lines_are_written_byte_for_byte_as_approved_and_read_back_whole()
    {
        var written = string.Concat(EveryAudit().Select(record => Encoding.UTF8.GetString(MemoryJson.WriteAudit(record)) + "\n"));

        Assert.Equal(File.ReadAllText(Path.Combine(Fixtures, "every-field.audit.approved.jsonl")), written);
        foreach (var record in EveryAudit())
        {
            var read = MemoryJson.ReadAudit(MemoryJson.WriteAudit(record));
            Assert.Equal(record with { Affected = [] }, read with { Affected = [] });
            Assert.Equal(record.Affected, read.Affected);
        }
    }

    [Fact]
    public void A_plan_is_written_byte_for_byte_as_approved_and_its_id_is_unchanged()
    {
        var plan = EveryFieldPlan();
        plan = plan with { Id = LifecyclePlanJson.IdOf(plan) };

        var written = LifecyclePlanJson.Write(plan);

        Assert.Equal(File.ReadAllText(Path.Combine(Fixtures, "every-field.plan.approved.json")), Encoding.UTF8.GetString(written));
        var read = LifecyclePlanJson.Read(written, "plan.json");
        Assert.Equal(plan.Id, LifecyclePlanJson.IdOf(read));
        Assert.Equal(written, LifecyclePlanJson.Write(read));
    }

    [Theory]
    [InlineData("{\"format\":\"markitect.memory.audit.v2\",\"operation\":\"o\",\"at\":\"t\",\"actor\":\"a\",\"action\":\"x\",\"decision\":\"granted\",\"affected\":[]}", "markitect.memory.audit.v2")]
    [InlineData("{\"at\":\"t\",\"actor\":\"a\",\"action\":\"x\",\"decision\":\"granted\",\"affected\":[]}", "operation")]
    [InlineData("{\"operation\":\"o\",\"at\":\"t\",\"actor\":\"a\",\"action\":\"x\",\"decision\":\"maybe\",\"affected\":[]}", "maybe")]
    [InlineData("{\"operation\":\"o\",\"at\":\"t\",\"actor\":\"a\",\"action\":\"x\",\"decision\":\"granted\",\"affected\":[null]}", "affected")]
    [InlineData("{\"operation\":\"o\",\"at\":\"t\",\"actor\":\"a\",\"action\":\"x\",\"decision\":\"granted\",\"affected\":[],\"approval\":{\"by\":\"b\",\"at\":\"t\"}}", "reason")]
    [InlineData("{\"operation\":7,\"at\":\"t\",\"actor\":\"a\",\"action\":\"x\",\"decision\":\"granted\",\"affected\":[]}", "")]
    [InlineData("[]", "")]
    public void A_damaged_audit_line_is_refused(string line, string named)
    {
        var refused = Assert.ThrowsAny<JsonException>(() => MemoryJson.ReadAudit(Encoding.UTF8.GetBytes(line)));

        Assert.Contains(named, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"format\":\"markitect.memory.lifecycle-plan.v2\",\"id\":\"p\",\"graph\":\"g\",\"profile\":\"p\",\"sequence\":1,\"at\":\"t\",\"actions\":[]}", "markitect.memory.lifecycle-plan.v2")]
    [InlineData("{\"id\":\"p\",\"graph\":\"g\",\"profile\":\"p\",\"at\":\"t\",\"actions\":[]}", "sequence")]
    [InlineData("{\"id\":\"p\",\"profile\":\"p\",\"sequence\":1,\"at\":\"t\",\"actions\":[]}", "graph")]
    [InlineData("{\"id\":\"p\",\"graph\":\"g\",\"profile\":\"p\",\"sequence\":1,\"at\":\"t\",\"actions\":[{\"action\":\"explode\",\"node\":\"n\"}]}", "explode")]
    [InlineData("{\"id\":\"p\",\"graph\":\"g\",\"profile\":\"p\",\"sequence\":1,\"at\":\"t\",\"actions\":[{\"action\":\"retire\"}]}", "node")]
    [InlineData("{\"id\":\"p\",\"graph\":\"g\",\"profile\":\"p\",\"sequence\":1,\"at\":\"t\",\"actions\":[null]}", "actions")]
    [InlineData("{\"id\":\"p\",\"graph\":\"g\",\"profile\":\"p\",\"sequence\":\"1\",\"at\":\"t\",\"actions\":[]}", "")]
    public void A_damaged_plan_is_MC1003_naming_the_part(string content, string named)
    {
        var refused = Assert.Throws<MemoryStoreException>(() => LifecyclePlanJson.Read(Encoding.UTF8.GetBytes(content), "plan.json"));

        Assert.Equal("MC1003", refused.Code);
        Assert.Contains(named, refused.Diagnostics[0].Message, StringComparison.Ordinal);
        Assert.Equal("plan.json", refused.Diagnostics[0].Location.Path);
    }

    private static IEnumerable<AuditRecord> EveryAudit() =>
    [
        new AuditRecord("op-1", "2026-12-05T07:00:00Z", "agent:søren", "lifecycle.apply", AuditDecision.Granted, "kb", ["a", "b – ü"])
        {
            Reason = "stale for \"180\" days",
            Approval = new Approval("reviewer:ana", "2026-12-05T07:01:00Z", "checked – ok") { Plan = "plan-abc", Signature = "sig-123" },
        },
        new AuditRecord("op-2", "2026-12-05T07:02:00Z", "cli", "append", AuditDecision.Denied, null, []),
        new AuditRecord("op-3", "2026-12-05T07:03:00Z", "cli", "lifecycle.apply", AuditDecision.Granted, "kb", ["n"])
        {
            Approval = new Approval("r", "2026-12-05T07:04:00Z", "why"),
        },
    ];

    private static LifecyclePlan EveryFieldPlan() =>
        new("pending", "kb", "profile-1", 42, "2026-12-05T07:00:00Z",
        [
            new PlannedAction("retire", "old-node", true, "stale – 200 days", "lifecycle.stale_after_days", "profile-1") { Rule = "stale", Target = "new-node", TargetTitle = "Nöde \"title\"" },
            new PlannedAction(LifecyclePlanner.ReviewAction, "disputed", false, "contradicted", "review", "profile-1"),
        ])
        {
            Reason = "weekly sweep",
            ProfileHash = "sha256-0123",
            RequestedBy = "agent:planner",
        };
}
