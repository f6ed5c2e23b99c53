using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using MemoryContracts.Diagnostics;
using MemoryContracts.Model.Wire;
using MemoryContracts.Runtime.Json;

namespace MemoryContracts.Runtime.Lifecycle;

/// <summary>A plan as a JSON file (<c>markitect.memory.lifecycle-plan.v1</c>), so a person can read it before a reviewer applies it.</summary>
internal static class LifecyclePlanJson
{
    private const string Format = "markitect.memory.lifecycle-plan.v1";

    /// <summary>Writes a plan as indented JSON, with its id.</summary>
    public static byte[] Write(LifecyclePlan plan)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output, RecordJson.Indented))
        {
            JsonSerializer.Serialize(writer, ToFile(plan, withId: true), StoredFileJson.Context.PlanFile);
        }

        return RecordJson.WithNewline(output);
    }

    /// <summary>
    /// The id a plan's content gives: <c>plan-</c> and the SHA-256 (hex) of its canonical form, compact JSON of every
    /// field but the id. Any change to the plan (an action, a review flag, the sequence, the profile) changes it.
    /// </summary>
    public static string IdOf(LifecyclePlan plan)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output, RecordJson.Compact))
        {
            JsonSerializer.Serialize(writer, ToFile(plan, withId: false), StoredFileJson.Context.PlanFile);
        }

        return "plan-" + Convert.ToHexString(SHA256.HashData(output.WrittenSpan)).ToLowerInvariant();
    }

    /// <summary>Reads a plan file; a file that is not a plan is MC1001 or MC1003 with its position.</summary>
    public static LifecyclePlan Read(string path) => Read(File.ReadAllBytes(path), path);

    /// <summary>Reads a plan from its bytes; <paramref name="location"/> names it in diagnostics.</summary>
    public static LifecyclePlan Read(byte[] content, string location)
    {
        try
        {
            var file = JsonSerializer.Deserialize(content, StoredFileJson.Context.PlanFile) ?? throw new JsonException("the plan is null");
            if (file.Format is not null && file.Format != Format)
            {
                throw new JsonException($"the file is '{file.Format}', not a '{Format}' plan");
            }

            var actions = StoredFileJson.Items(file.Actions, "actions").Select(FromFile).ToArray();
            return new LifecyclePlan(Required(file.Id, "id"), Required(file.Graph, "graph"), Required(file.Profile, "profile"), file.Sequence ?? throw new JsonException("the plan has no 'sequence'"), Required(file.At, "at"), actions)
            {
                Reason = file.Reason,
                ProfileHash = file.ProfileHash ?? string.Empty,
                RequestedBy = file.RequestedBy ?? string.Empty,
            };
        }
        catch (JsonException exception)
        {
            var position = JsonRead.Location(location, exception);
            throw new MemoryStoreException(DiagnosticCatalog.SchemaViolation.Create(position, $"not a lifecycle plan: {exception.Message}"));
        }
    }

    private static PlanFile ToFile(LifecyclePlan plan, bool withId) =>
        new(Format, withId ? plan.Id : null, plan.GraphId, plan.ProfileId, plan.ProfileHash, plan.RequestedBy, plan.Sequence, plan.At, plan.Reason, plan.RequiresReview,
            plan.Actions.Select(action => new PlannedActionFile(action.Action, action.Node, action.ReviewRequired, action.Reason, action.Source, action.Policy, action.Rule, action.Target, action.TargetTitle)).ToArray());

    private static PlannedAction FromFile(PlannedActionFile file)
    {
        var action = ElementJson.Required(file.Action, "action", "action");
        if (action != LifecyclePlanner.ReviewAction && !LifecycleActions.TryParse(action, out _))
        {
            throw new JsonException($"'{action}' is not a lifecycle action");
        }

        return new PlannedAction(action, ElementJson.Required(file.Node, "action", "node"), file.ReviewRequired, file.Reason ?? string.Empty, file.Source ?? string.Empty, file.Policy ?? string.Empty)
        {
            Rule = file.Rule,
            Target = file.Target,
            TargetTitle = file.TargetTitle,
        };
    }

    private static string Required(string? value, string name) => ElementJson.Required(value, "plan", name);
}

/// <summary>A lifecycle plan as stored; the id is left out of the canonical form its id hashes.</summary>
internal sealed record PlanFile(string? Format, string? Id, string? Graph, string? Profile, string? ProfileHash, string? RequestedBy, long? Sequence, string? At, string? Reason, bool RequiresReview, IReadOnlyList<PlannedActionFile?>? Actions);

/// <summary>One planned action as stored.</summary>
internal sealed record PlannedActionFile(string? Action, string? Node, bool ReviewRequired, string? Reason, string? Source, string? Policy, string? Rule, string? Target, string? TargetTitle);
