using System.Reflection;

namespace MemoryContracts.Diagnostics;

/// <summary>
/// Every diagnostic code the toolchain can report. Ranges: MC1xxx reading and schema, MC2xxx graph semantics,
/// MC3xxx profile, MC4xxx selection and packing, MC5xxx runtime and store, MC9xxx internal.
/// Each code has a page at <c>docs/diagnostics/MCxxxx.md</c>.
/// </summary>
public static class DiagnosticCatalog
{
    private const DiagnosticSeverity Error = DiagnosticSeverity.Error;
    private const DiagnosticSeverity Warning = DiagnosticSeverity.Warning;

    /// <summary>The address that help links are formed from; the code and <c>.md</c> are appended.</summary>
    public static string HelpLinkBase { get; } = typeof(DiagnosticCatalog).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "HelpLinkBase").Value!;

    /// <summary>MC1001: the file is not well-formed YAML or JSON.</summary>
    public static readonly DiagnosticDescriptor MalformedDocument = new("MC1001", "Not well-formed YAML or JSON", Error, "{0}");

    /// <summary>MC1002: the file has no <c>schema_version</c>, or names a contract that is not known.</summary>
    public static readonly DiagnosticDescriptor UnknownSchemaVersion = new("MC1002", "Missing or unknown schema_version", Error, "{0}");

    /// <summary>MC1003: the file breaks its contract's JSON Schema.</summary>
    public static readonly DiagnosticDescriptor SchemaViolation = new("MC1003", "Schema violation", Error, "{0}");

    /// <summary>MC1004: a mapping has the same key twice.</summary>
    public static readonly DiagnosticDescriptor DuplicateKey = new("MC1004", "Duplicate mapping key", Error, "key '{0}' appears twice in the same mapping; the first is at line {1}");

    /// <summary>MC1005: the file is not UTF-8.</summary>
    public static readonly DiagnosticDescriptor InvalidEncoding = new("MC1005", "File is not UTF-8", Error, "{0}");

    /// <summary>MC1006: the file holds no document.</summary>
    public static readonly DiagnosticDescriptor EmptyDocument = new("MC1006", "Empty file", Error, "the file is empty; a fixture needs at least a schema_version");

    /// <summary>MC1007: YAML aliases expand to more nodes than allowed.</summary>
    public static readonly DiagnosticDescriptor AliasExpansionLimit = new("MC1007", "Alias expansion limit exceeded", Error, "alias '*{0}' would expand the document past {1} nodes; aliases are limited to protect against expansion attacks");

    /// <summary>MC1008: the document nests deeper than allowed.</summary>
    public static readonly DiagnosticDescriptor NestingTooDeep = new("MC1008", "Nesting too deep", Error, "the document nests deeper than {0} levels");

    /// <summary>MC1009: a YAML file holds more than one document.</summary>
    public static readonly DiagnosticDescriptor MultipleDocuments = new("MC1009", "More than one YAML document", Error, "the file holds more than one YAML document; a fixture is exactly one document");

    /// <summary>MC1010: a file cannot be read.</summary>
    public static readonly DiagnosticDescriptor FileNotReadable = new("MC1010", "File cannot be read", Error, "{0}");

    /// <summary>MC1011: the YAML uses a feature fixtures do not support.</summary>
    public static readonly DiagnosticDescriptor UnsupportedYamlFeature = new("MC1011", "Unsupported YAML feature", Error, "{0}");

    /// <summary>MC1012: an input pattern matched no file.</summary>
    public static readonly DiagnosticDescriptor NoFilesMatched = new("MC1012", "Pattern matched no file", Error, "'{0}' matched no file");

    /// <summary>MC1013: a descriptor names a contract identifier that is not known.</summary>
    public static readonly DiagnosticDescriptor UnknownContractReference = new("MC1013", "Unknown contract identifier", Error, "'{0}' is not a known contract; known contracts are {1}");

    /// <summary>MC1014: a command for one contract was given a file of another.</summary>
    public static readonly DiagnosticDescriptor UnexpectedContract = new("MC1014", "Unexpected contract", Error, "expected a {0} contract, but the file follows '{1}'");

    /// <summary>MC2001: a node kind is not in the vocabulary.</summary>
    public static readonly DiagnosticDescriptor UnknownNodeKind = new("MC2001", "Unknown node kind", Error, "{0}");

    /// <summary>MC2002: an edge kind is not in the vocabulary.</summary>
    public static readonly DiagnosticDescriptor UnknownEdgeKind = new("MC2002", "Unknown edge kind", Error, "{0}");

    /// <summary>MC2003: an event kind is not in the vocabulary.</summary>
    public static readonly DiagnosticDescriptor UnknownEventKind = new("MC2003", "Unknown event kind", Error, "{0}");

    /// <summary>MC2004: two elements of a graph share an id.</summary>
    public static readonly DiagnosticDescriptor DuplicateId = new("MC2004", "Duplicate id", Error, "id '{0}' is already used by the {1} at line {2}");

    /// <summary>MC2005: an edge starts or ends at a node the graph does not define.</summary>
    public static readonly DiagnosticDescriptor EdgeEndpointMissing = new("MC2005", "Edge endpoint names no node", Error, "edge '{0}' {1} node '{2}', which the graph does not define");

    /// <summary>MC2006: an event names a node or an edge the graph does not define.</summary>
    public static readonly DiagnosticDescriptor EventReferenceMissing = new("MC2006", "Event names a missing node or edge", Error, "event '{0}' names {1} '{2}', which the graph does not define");

    /// <summary>MC2007: an edge connects a node to itself.</summary>
    public static readonly DiagnosticDescriptor SelfLoopEdge = new("MC2007", "Edge connects a node to itself", Warning, "edge '{0}' ({1}) starts and ends at node '{2}'");

    /// <summary>MC2008: provenance names a node the graph does not define.</summary>
    public static readonly DiagnosticDescriptor DerivedFromMissing = new("MC2008", "Provenance names a missing node", Error, "'{0}' is derived from node '{1}', which the graph does not define");

    /// <summary>MC2009: a source span ends before it starts.</summary>
    public static readonly DiagnosticDescriptor InvertedSourceSpan = new("MC2009", "Source span ends before it starts", Error, "source span of '{0}' ends at line {1}, before its start line {2}");

    /// <summary>MC2010: two edges have the same kind, source and target.</summary>
    public static readonly DiagnosticDescriptor DuplicateEdge = new("MC2010", "Duplicate edge", Warning, "edge '{0}' repeats edge '{1}': both are '{2}' from '{3}' to '{4}'");

    /// <summary>MC2011: two ids (or two fixture files) would become the same generated C# name.</summary>
    public static readonly DiagnosticDescriptor GeneratedNameCollision = new("MC2011", "Ids map to the same C# name", Error, "{0}");

    /// <summary>MC3001: a declared memory kind has no store.</summary>
    public static readonly DiagnosticDescriptor MemoryKindWithoutStore = new("MC3001", "Memory kind has no store", Error, "memory kind '{0}' is declared but has no entry in 'stores'");

    /// <summary>MC3002: a store is given for a memory kind the profile does not declare.</summary>
    public static readonly DiagnosticDescriptor StoreForUndeclaredKind = new("MC3002", "Store for an undeclared memory kind", Error, "'stores' names memory kind '{0}', which 'memory_kinds' does not declare");

    /// <summary>MC3003: a retention rule applies to a memory kind the profile does not declare.</summary>
    public static readonly DiagnosticDescriptor RetentionForUndeclaredKind = new("MC3003", "Retention rule for an undeclared memory kind", Error, "retention rule '{0}' applies to memory kind '{1}', which 'memory_kinds' does not declare");

    /// <summary>MC3004: two retention rules share an id.</summary>
    public static readonly DiagnosticDescriptor DuplicateRetentionRule = new("MC3004", "Duplicate retention rule id", Error, "retention rule id '{0}' is already used at line {1}");

    /// <summary>MC3005: a store kind is not in the vocabulary.</summary>
    public static readonly DiagnosticDescriptor UnknownStoreKind = new("MC3005", "Unknown store kind", Error, "{0}");

    /// <summary>MC3006: a memory kind is not in the vocabulary.</summary>
    public static readonly DiagnosticDescriptor UnknownMemoryKind = new("MC3006", "Unknown memory kind", Error, "{0}");

    /// <summary>MC4001: a file that a selection or manifest names does not exist.</summary>
    public static readonly DiagnosticDescriptor ReferencedFileNotFound = new("MC4001", "Referenced file not found", Error, "{0} file '{1}' was not found (looked for '{2}')");

    /// <summary>MC4002: a selection names an id the graph lacks.</summary>
    public static readonly DiagnosticDescriptor SelectedIdMissing = new("MC4002", "Selected id not in graph", Error, "selection names {0} '{1}', which graph '{2}' does not define");

    /// <summary>MC4003: a package is over its budget; items were dropped.</summary>
    public static readonly DiagnosticDescriptor BudgetExceeded = new("MC4003", "Package over budget", Warning, "package '{0}' is over its budget ({1}): {2} items and {3} tokens were selected; dropped {4}");

    /// <summary>MC4004: a referenced file follows another contract.</summary>
    public static readonly DiagnosticDescriptor ReferencedFileWrongContract = new("MC4004", "Referenced file has the wrong contract", Error, "{0} file '{1}' follows '{2}', not a {0} contract");

    /// <summary>MC4005: a referenced file has errors, so nothing can be packed from it.</summary>
    public static readonly DiagnosticDescriptor ReferencedFileInvalid = new("MC4005", "Referenced file has errors", Error, "{0} file '{1}' has {2} error(s); no package is produced until they are fixed");

    /// <summary>MC4006: a selection names the same id twice.</summary>
    public static readonly DiagnosticDescriptor DuplicateSelection = new("MC4006", "Id selected twice", Warning, "'{0}' is already selected at line {1}; the repeat is ignored");

    /// <summary>MC4007: a reference is an absolute path.</summary>
    public static readonly DiagnosticDescriptor AbsoluteReference = new("MC4007", "Reference is not relative", Error, "'{0}' is an absolute path; fixtures name other fixtures by paths relative to themselves");

    /// <summary>MC4008: a manifest source names neither or both of a selection and a graph.</summary>
    public static readonly DiagnosticDescriptor ManifestSourceShape = new("MC4008", "Manifest source is ambiguous", Error, "{0}");

    /// <summary>MC4009: a package cannot be written.</summary>
    public static readonly DiagnosticDescriptor PackageNotWritten = new("MC4009", "Package cannot be written", Error, "package '{0}' cannot be written to '{1}': {2}");

    /// <summary>MC4010: a file a fixture names lies outside the root folder, after links are resolved; it is not read.</summary>
    public static readonly DiagnosticDescriptor ReferenceOutsideRoot = new("MC4010", "Reference leaves the root folder", Error, "{0} file '{1}' resolves to '{2}', outside the root folder '{3}'; fixtures may only name files inside it, and this one was not read");

    /// <summary>MC5001: a folder is not a memory workspace, or has a layout this version does not read.</summary>
    public static readonly DiagnosticDescriptor WorkspaceLayout = new("MC5001", "Not a readable memory workspace", Error, "{0}");

    /// <summary>MC5002: another process holds the workspace lock.</summary>
    public static readonly DiagnosticDescriptor WorkspaceLocked = new("MC5002", "Workspace in use", Error, "the workspace is in use by another process (lock '{0}' held for {1} ms); try again when it has finished");

    /// <summary>MC5003: a line of a log file is not a valid record.</summary>
    public static readonly DiagnosticDescriptor MalformedLogLine = new("MC5003", "Malformed log line", Error, "line {0} is not a valid record: {1}");

    /// <summary>MC5004: the last line of a log was cut off by a crash before it was acknowledged.</summary>
    public static readonly DiagnosticDescriptor TornLogLine = new("MC5004", "Torn last log line", Warning, "the last line ({0} bytes) was cut off before it was acknowledged; it was moved to '{1}' and the log continues without it");

    /// <summary>MC5005: a stored record names a format version this version does not read.</summary>
    public static readonly DiagnosticDescriptor UnknownRecordVersion = new("MC5005", "Unknown record version", Error, "the record is '{0}'; this version of MemoryContracts reads '{1}'");

    /// <summary>MC5006: a stored edge names a node the workspace does not hold.</summary>
    public static readonly DiagnosticDescriptor DanglingEdge = new("MC5006", "Edge endpoint missing", Error, "edge '{0}' has {1} '{2}', which graph '{3}' does not hold");

    /// <summary>MC5007: a logged event names a node or edge that is neither held nor explained by a tombstone.</summary>
    public static readonly DiagnosticDescriptor OrphanedEvent = new("MC5007", "Orphaned event", Warning, "event '{0}' names {1} '{2}', which graph '{3}' does not hold and no tombstone explains");

    /// <summary>MC5008: an event id that the log already holds.</summary>
    public static readonly DiagnosticDescriptor DuplicateEventId = new("MC5008", "Duplicate event id", Error, "event '{0}' is already in the log of graph '{1}'; events are append-only and their ids unique");

    /// <summary>MC5009: a plan with review-required actions was applied without an approval.</summary>
    public static readonly DiagnosticDescriptor ApprovalRequired = new("MC5009", "Approval required", Error, "plan '{0}' holds review-required actions ({1}); apply it with an approval that says who, when and why");

    /// <summary>MC5010: the approval names someone who is not a reviewer of the profile.</summary>
    public static readonly DiagnosticDescriptor ApproverNotReviewer = new("MC5010", "Approver is not a reviewer", Error, "'{0}' is not a reviewer of profile '{1}' (reviewers: {2})");

    /// <summary>MC5011: the log moved on after the caller read it (a plan made earlier, an expected position).</summary>
    public static readonly DiagnosticDescriptor StaleLogPosition = new("MC5011", "Log position moved", Error, "{0} expected graph '{1}' at log position {2}, but it is at {3}; read it again and retry");

    /// <summary>MC5012: a merge found conflicts that need a decision.</summary>
    public static readonly DiagnosticDescriptor MergeConflicts = new("MC5012", "Merge conflicts", Error, "merging path '{0}' into '{1}' needs a decision on {2} conflict(s): {3}");

    /// <summary>MC5013: a path operation that the path's state does not allow.</summary>
    public static readonly DiagnosticDescriptor InvalidPathOperation = new("MC5013", "Invalid path operation", Error, "{0}");

    /// <summary>MC5014: an operation names a graph, profile, node or edge the workspace does not hold.</summary>
    public static readonly DiagnosticDescriptor UnknownStoreItem = new("MC5014", "Unknown workspace item", Error, "{0} '{1}' is not in the workspace{2}");

    /// <summary>MC5015: a fixture was not imported (contract errors, or not a graph or profile); nothing was written.</summary>
    public static readonly DiagnosticDescriptor ImportRefused = new("MC5015", "Import refused", Error, "'{0}' was not imported: {1}; nothing was written");

    /// <summary>MC5016: a stored event row fails its integrity check (edited, deleted, reordered, or signed with an unknown key).</summary>
    public static readonly DiagnosticDescriptor IntegrityBroken = new("MC5016", "Integrity check failed", Error, "row {0} (event '{1}') of graph '{2}': {3}");

    /// <summary>MC5017: a stored snapshot differs from what replaying the log to its position gives.</summary>
    public static readonly DiagnosticDescriptor SnapshotDrift = new("MC5017", "Snapshot drift", Error, "the snapshot of graph '{0}' at log position {1} has content hash {2}, but replaying the log to that position gives {3}");

    /// <summary>MC5018: a write of the saga is still pending, or failed.</summary>
    public static readonly DiagnosticDescriptor StuckWrite = new("MC5018", "Stuck write", Warning, "event '{0}' (row {1}) of graph '{2}' is {3} since {4}{5}");

    /// <summary>MC5019: a toolbelt operation the guardrails never allow (a delete, a path outside the allowed ones, an edit of protected anchors or front matter).</summary>
    public static readonly DiagnosticDescriptor OperationBlocked = new("MC5019", "Operation blocked", Error, "{0}");

    /// <summary>MC5020: a write goes past a length or count cap without a rationale for overriding it.</summary>
    public static readonly DiagnosticDescriptor CapNeedsRationale = new("MC5020", "Cap exceeded without a rationale", Error, "{0}; give an override rationale to write it anyway (it is recorded with the event)");

    /// <summary>MC5021: a memory file on disk differs from what its last committed event says.</summary>
    public static readonly DiagnosticDescriptor FileDrift = new("MC5021", "File drift", Warning, "'{0}' has hash {1}, but its last committed event '{2}' says {3}; a maintainer should review it (nothing was changed)");

    /// <summary>MC5022: a patch or section edit does not apply to the file as it is.</summary>
    public static readonly DiagnosticDescriptor PatchDoesNotApply = new("MC5022", "Patch does not apply", Error, "{0}");

    /// <summary>MC5023: a lifecycle plan that cannot be applied: the workspace did not issue it, it changed since, or its profile did.</summary>
    public static readonly DiagnosticDescriptor PlanNotApplicable = new("MC5023", "Plan cannot be applied", Error, "plan '{0}' cannot be applied: {1}");

    /// <summary>MC5024: a lifecycle plan that was applied already.</summary>
    public static readonly DiagnosticDescriptor PlanAlreadyApplied = new("MC5024", "Plan already applied", Error, "plan '{0}' was applied already (event '{1}'); a plan applies once, so plan again");

    /// <summary>MC5025: an approval that does not verify: wrong plan, bad or missing signature, no declared key, self-approval, or a time outside the plan's life.</summary>
    public static readonly DiagnosticDescriptor ApprovalInvalid = new("MC5025", "Approval does not verify", Error, "the approval of plan '{0}' by '{1}' is refused: {2}");

    /// <summary>MC5026: a stored profile, graph header or plan fails its integrity check (edited in storage, unsigned, or signed with an unknown key).</summary>
    public static readonly DiagnosticDescriptor ItemIntegrityBroken = new("MC5026", "Stored item fails its integrity check", Error, "{0} '{1}' fails its integrity check: {2}");

    /// <summary>MC5027: an idempotency key that was first used for a different request.</summary>
    public static readonly DiagnosticDescriptor IdempotencyKeyReused = new("MC5027", "Idempotency key reused for another request", Error, "idempotency key '{0}' was first used for a different request ({1}); nothing was written: a new request needs a new key");

    /// <summary>MC5028: a retrieval or policy names a trust zone the vocabulary does not define.</summary>
    public static readonly DiagnosticDescriptor UnknownTrustZone = new("MC5028", "Unknown trust zone", Error, "'{0}' is not a trust zone ({1}); retrieval fails closed instead of guessing");

    /// <summary>MC5029: a registered context package does not match the digest it was packed with.</summary>
    public static readonly DiagnosticDescriptor PackageTampered = new("MC5029", "Package changed after packing", Error, "package '{0}' in the registry does not match {1}; it was changed after it was packed, so it is not served: pack or refresh it again");

    /// <summary>MC5030: the PostgreSQL store cannot be used as configured (integrity keys, server, credentials, database).</summary>
    public static readonly DiagnosticDescriptor PostgresSetup = new("MC5030", "PostgreSQL store not set up", Error, "{0}; {1}");

    /// <summary>MC9001: an internal error; please report it.</summary>
    public static readonly DiagnosticDescriptor InternalError = new("MC9001", "Internal error", Error, "internal error while processing the file: {0}; please report this with the file that caused it");

    /// <summary>MC9002: a schema file is not a usable contract schema.</summary>
    public static readonly DiagnosticDescriptor InvalidSchema = new("MC9002", "Invalid contract schema", Error, "{0}");

    /// <summary>Every descriptor, ordered by code.</summary>
    public static IReadOnlyList<DiagnosticDescriptor> All { get; } = typeof(DiagnosticCatalog)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(field => field.FieldType == typeof(DiagnosticDescriptor))
        .Select(field =>
        {
            var descriptor = (DiagnosticDescriptor)field.GetValue(null)!;
            descriptor.Name = field.Name;
            return descriptor;
        })
        .OrderBy(descriptor => descriptor.Code, StringComparer.Ordinal)
        .ToArray();

    /// <summary>Finds a descriptor by code.</summary>
    public static DiagnosticDescriptor? Find(string code) =>
        All.FirstOrDefault(descriptor => string.Equals(descriptor.Code, code, StringComparison.OrdinalIgnoreCase));
}
