using System.Globalization;
using MemoryContracts.Diagnostics;
using MemoryContracts.IO;
using MemoryContracts.Runtime.Kernel;
using MemoryContracts.Runtime.Storage;

namespace MemoryContracts.Runtime.Toolbelt;

/// <summary>How a toolbelt behaves.</summary>
public sealed record ToolbeltOptions
{
    /// <summary>The defaults: the whole memory root allowed, default caps.</summary>
    public static ToolbeltOptions Default { get; } = new();

    /// <summary>Folders (relative to the root) the toolbelt may touch; the whole root when empty.</summary>
    public IReadOnlyList<string> AllowedPaths { get; init; } = [];

    /// <summary>The lint caps.</summary>
    public LintCaps Caps { get; init; } = LintCaps.Default;

    /// <summary>
    /// How a file is written, given its full path and content; null (the default) writes through the confined,
    /// link-refusing atomic writer. Tests put a failing writer here to exercise the saga.
    /// </summary>
    public Action<string, string>? WriteFile { get; init; }
}

/// <summary>
/// The agent toolbelt: a guarded, file-first working surface over a folder of Markdown memory files. <c>fs</c>:
/// list, read, search, hash, write, patch, append, and no delete, ever. <c>md</c>: list_sections, patch_section,
/// curate_list, snapshot_history, lint, replay. Every write is one event in the workspace's ledger, written as a
/// saga (pending, then committed or failed) with the section's before and after hashes, the lint summary, the
/// rationale, the evidence, an idempotency key and correlation ids; a history copy is kept of every committed edit.
/// Every path is confined to the allowed folders; anchors and front matter are protected; caps need a rationale.
/// </summary>
public sealed class MemoryToolbelt
{
    private readonly PathGuard _guard;
    private readonly ConfinedFiles _files;
    private readonly ToolLedger _ledger;
    private readonly ToolbeltOptions _options;
    private readonly WorkspaceKernel _kernel;

    /// <summary>Creates a toolbelt over a memory folder whose events go to a workspace's ledger (files or PostgreSQL).</summary>
    public MemoryToolbelt(string root, MemoryWorkspace workspace, ToolbeltOptions? options = null)
    {
        _options = options ?? ToolbeltOptions.Default;
        Directory.CreateDirectory(root);
        _guard = new PathGuard(root, _options.AllowedPaths);
        _files = new ConfinedFiles(root);
        _kernel = workspace.Kernel;
        _ledger = new ToolLedger(workspace.Kernel, workspace.Appender);
    }

    /// <summary>The memory folder.</summary>
    public string Root => _guard.Root;

    /// <summary>Every write event with its outcome, in log order.</summary>
    public IReadOnlyList<ToolEvent> Events => Synchronously.Run(_ledger.EventsAsync(useAsync: false, CancellationToken.None));

    /// <summary>Every write event with its outcome, in log order, read asynchronously.</summary>
    public ValueTask<IReadOnlyList<ToolEvent>> EventsAsync(CancellationToken cancellationToken = default) => _ledger.EventsAsync(useAsync: true, cancellationToken);

    /// <summary><c>fs.list</c>: the files under a folder (the whole root when the path is empty), ordinal order.</summary>
    public ToolResult List(ToolRequest request) => Synchronously.Run(ListAsync(useAsync: false, request, CancellationToken.None));

    /// <summary>The asynchronous form of <see cref="List"/>.</summary>
    public ValueTask<ToolResult> ListAsync(ToolRequest request, CancellationToken cancellationToken = default) => ListAsync(useAsync: true, request, cancellationToken);

    private ValueTask<ToolResult> ListAsync(bool useAsync, ToolRequest request, CancellationToken cancellationToken) => Guarded(useAsync, "fs.list", request, cancellationToken, () =>
    {
        var folder = request.Path.Length == 0 ? Root : _guard.Resolve(request.Path);
        return new ToolResult("fs.list", request.Path) { Entries = Files(folder).Select(_guard.Relative).ToArray() };
    });

    /// <summary><c>fs.read</c>: a file's content and canonical hash.</summary>
    public ToolResult Read(ToolRequest request) => Synchronously.Run(ReadAsync(useAsync: false, request, CancellationToken.None));

    /// <summary>The asynchronous form of <see cref="Read"/>.</summary>
    public ValueTask<ToolResult> ReadAsync(ToolRequest request, CancellationToken cancellationToken = default) => ReadAsync(useAsync: true, request, cancellationToken);

    private ValueTask<ToolResult> ReadAsync(bool useAsync, ToolRequest request, CancellationToken cancellationToken) => Guarded(useAsync, "fs.read", request, cancellationToken, () =>
    {
        var content = ReadExisting(request.Path);
        return new ToolResult("fs.read", request.Path) { Content = content, Hash = CanonicalText.Hash(content) };
    });

    /// <summary><c>fs.hash</c>: a file's canonical hash.</summary>
    public ToolResult Hash(ToolRequest request) => Synchronously.Run(HashAsync(useAsync: false, request, CancellationToken.None));

    /// <summary>The asynchronous form of <see cref="Hash"/>.</summary>
    public ValueTask<ToolResult> HashAsync(ToolRequest request, CancellationToken cancellationToken = default) => HashAsync(useAsync: true, request, cancellationToken);

    private ValueTask<ToolResult> HashAsync(bool useAsync, ToolRequest request, CancellationToken cancellationToken) => Guarded(useAsync, "fs.hash", request, cancellationToken, () =>
        new ToolResult("fs.hash", request.Path) { Hash = CanonicalText.Hash(ReadExisting(request.Path)) });

    /// <summary><c>fs.search</c>: every line containing the pattern (case-insensitive), as <c>path:line: text</c>.</summary>
    public ToolResult Search(ToolRequest request) => Synchronously.Run(SearchAsync(useAsync: false, request, CancellationToken.None));

    /// <summary>The asynchronous form of <see cref="Search"/>.</summary>
    public ValueTask<ToolResult> SearchAsync(ToolRequest request, CancellationToken cancellationToken = default) => SearchAsync(useAsync: true, request, cancellationToken);

    private ValueTask<ToolResult> SearchAsync(bool useAsync, ToolRequest request, CancellationToken cancellationToken) => Guarded(useAsync, "fs.search", request, cancellationToken, () =>
    {
        var pattern = request.Pattern ?? throw PathGuard.Block("fs.search needs a pattern");
        var folder = request.Path.Length == 0 ? Root : _guard.Resolve(request.Path);
        var matches = Files(folder).SelectMany(file => (ReadListed(file) ?? string.Empty).Split('\n').Select((line, index) => (line: line.TrimEnd('\r'), index))
            .Where(pair => pair.line.Contains(pattern, StringComparison.OrdinalIgnoreCase))
            .Select(pair => $"{_guard.Relative(file)}:{pair.index + 1}: {pair.line}"));
        return new ToolResult("fs.search", request.Path) { Entries = matches.ToArray() };
    });

    /// <summary><c>fs.write</c>: creates or replaces a file (from content, or from a template for a new file).</summary>
    public ToolResult Write(ToolRequest request) => Synchronously.Run(WriteAsync(useAsync: false, request, CancellationToken.None));

    /// <summary>The asynchronous form of <see cref="Write"/>.</summary>
    public ValueTask<ToolResult> WriteAsync(ToolRequest request, CancellationToken cancellationToken = default) => WriteAsync(useAsync: true, request, cancellationToken);

    private ValueTask<ToolResult> WriteAsync(bool useAsync, ToolRequest request, CancellationToken cancellationToken) => MutateAsync(useAsync, "fs.write", "write", request, cancellationToken, before =>
    {
        var content = request.Content
            ?? (request.Template is { } template && before is null
                ? MemoryTemplates.Names.Contains(template, StringComparer.Ordinal)
                    ? MemoryTemplates.Create(template, Path.GetFileNameWithoutExtension(request.Path), request.Title ?? Path.GetFileNameWithoutExtension(request.Path))
                    : throw Inapplicable($"'{Shorten(template)}' is not a template ({string.Join(", ", MemoryTemplates.Names)})")
                : throw PathGuard.Block("fs.write needs content (or a template for a new file)"));
        return (content, null);
    });

    /// <summary><c>fs.patch</c>: replaces one exact occurrence of a text.</summary>
    public ToolResult Patch(ToolRequest request) => Synchronously.Run(PatchAsync(useAsync: false, request, CancellationToken.None));

    /// <summary>The asynchronous form of <see cref="Patch"/>.</summary>
    public ValueTask<ToolResult> PatchAsync(ToolRequest request, CancellationToken cancellationToken = default) => PatchAsync(useAsync: true, request, cancellationToken);

    private ValueTask<ToolResult> PatchAsync(bool useAsync, ToolRequest request, CancellationToken cancellationToken) => MutateAsync(useAsync, "fs.patch", "patch", request, cancellationToken, before =>
    {
        var current = before ?? throw Missing(request.Path);
        var old = request.OldText ?? throw Inapplicable("fs.patch needs old_text");
        var first = current.IndexOf(old, StringComparison.Ordinal);
        if (first < 0 || old.Length == 0)
        {
            throw Inapplicable($"'{request.Path}' does not contain the old text");
        }

        if (current.IndexOf(old, first + 1, StringComparison.Ordinal) >= 0)
        {
            throw Inapplicable($"'{request.Path}' contains the old text more than once; give more context so it is unique");
        }

        return (current[..first] + (request.NewText ?? string.Empty) + current[(first + old.Length)..], null);
    });

    /// <summary><c>fs.append</c>: adds text at the end of a file (creating it if needed).</summary>
    public ToolResult Append(ToolRequest request) => Synchronously.Run(AppendAsync(useAsync: false, request, CancellationToken.None));

    /// <summary>The asynchronous form of <see cref="Append"/>.</summary>
    public ValueTask<ToolResult> AppendAsync(ToolRequest request, CancellationToken cancellationToken = default) => AppendAsync(useAsync: true, request, cancellationToken);

    private ValueTask<ToolResult> AppendAsync(bool useAsync, ToolRequest request, CancellationToken cancellationToken) => MutateAsync(useAsync, "fs.append", "append", request, cancellationToken, before =>
    {
        var text = request.Text ?? throw Inapplicable("fs.append needs text");
        var start = before is null or "" ? string.Empty : before.EndsWith('\n') ? before : before + "\n";
        return (start + text + (text.EndsWith('\n') ? string.Empty : "\n"), null);
    });

    /// <summary><c>fs.delete</c> does not exist: every delete is a hard block (MC5019), audited.</summary>
    public ToolResult Delete(ToolRequest request) => Synchronously.Run(DeleteAsync(useAsync: false, request, CancellationToken.None));

    /// <summary>The asynchronous form of <see cref="Delete"/>.</summary>
    public ValueTask<ToolResult> DeleteAsync(ToolRequest request, CancellationToken cancellationToken = default) => DeleteAsync(useAsync: true, request, cancellationToken);

    private ValueTask<ToolResult> DeleteAsync(bool useAsync, ToolRequest request, CancellationToken cancellationToken) => Guarded(useAsync, "fs.delete", request, cancellationToken, () =>
        throw PathGuard.Block($"deleting '{request.Path}' is never allowed: memory files are edited, not removed; history and events must stay whole"));

    /// <summary><c>md.list_sections</c>: the anchored sections, as <c>anchor	heading	lines a-b	hash</c>.</summary>
    public ToolResult ListSections(ToolRequest request) => Synchronously.Run(ListSectionsAsync(useAsync: false, request, CancellationToken.None));

    /// <summary>The asynchronous form of <see cref="ListSections"/>.</summary>
    public ValueTask<ToolResult> ListSectionsAsync(ToolRequest request, CancellationToken cancellationToken = default) => ListSectionsAsync(useAsync: true, request, cancellationToken);

    private ValueTask<ToolResult> ListSectionsAsync(bool useAsync, ToolRequest request, CancellationToken cancellationToken) => Guarded(useAsync, "md.list_sections", request, cancellationToken, () =>
    {
        var memory = MarkdownMemory.Parse(ReadExisting(request.Path));
        return new ToolResult("md.list_sections", request.Path)
        {
            Entries = memory.Sections.Select(section => $"{section.Anchor}\t{section.Heading}\tlines {section.HeadingLine + 1}-{section.BodyEnd}\t{CanonicalText.Hash(memory.Body(section))}").ToArray(),
        };
    });

    /// <summary><c>md.patch_section</c>: replaces the body of the section with the anchor; the heading and anchor stay.</summary>
    public ToolResult PatchSection(ToolRequest request) => Synchronously.Run(PatchSectionAsync(useAsync: false, request, CancellationToken.None));

    /// <summary>The asynchronous form of <see cref="PatchSection"/>.</summary>
    public ValueTask<ToolResult> PatchSectionAsync(ToolRequest request, CancellationToken cancellationToken = default) => PatchSectionAsync(useAsync: true, request, cancellationToken);

    private ValueTask<ToolResult> PatchSectionAsync(bool useAsync, ToolRequest request, CancellationToken cancellationToken) => MutateAsync(useAsync, "md.patch_section", "replace_section", request, cancellationToken, before =>
    {
        var (memory, section) = Section(before, request);
        if (MarkdownMemory.IntroducesHeading(request.Body ?? string.Empty))
        {
            throw PathGuard.Block($"the new body of section '{section.Anchor}' holds a heading or an anchor; a section body cannot start a section of its own");
        }

        return (memory.WithBody(section, request.Body ?? string.Empty), section.Anchor);
    });

    /// <summary><c>md.curate_list</c>: adds items to (and takes items out of) the list of a section, keeping order and no duplicates.</summary>
    public ToolResult CurateList(ToolRequest request) => Synchronously.Run(CurateListAsync(useAsync: false, request, CancellationToken.None));

    /// <summary>The asynchronous form of <see cref="CurateList"/>.</summary>
    public ValueTask<ToolResult> CurateListAsync(ToolRequest request, CancellationToken cancellationToken = default) => CurateListAsync(useAsync: true, request, cancellationToken);

    private ValueTask<ToolResult> CurateListAsync(bool useAsync, ToolRequest request, CancellationToken cancellationToken) => MutateAsync(useAsync, "md.curate_list", "curate_list", request, cancellationToken, before =>
    {
        var (memory, section) = Section(before, request);
        if (request.Add.FirstOrDefault(item => item.Contains('\n') || item.Contains('\r') || MarkdownMemory.IntroducesHeading(item)) is { } sneaky)
        {
            throw PathGuard.Block($"the list item '{Shorten(sneaky)}' spans lines or holds a heading or an anchor; a list item is one line of text");
        }

        var lines = memory.Body(section).Split('\n').ToList();
        static string? Item(string line) => line.TrimStart() is var trimmed && (trimmed.StartsWith("- ", StringComparison.Ordinal) || trimmed.StartsWith("* ", StringComparison.Ordinal)) ? trimmed[2..].Trim() : null;
        lines.RemoveAll(line => Item(line) is { } item && request.Remove.Contains(item, StringComparer.Ordinal));
        var present = lines.Select(Item).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var insertAt = lines.FindLastIndex(line => Item(line) is not null) + 1;
        if (insertAt == 0)
        {
            insertAt = lines.Count > 0 && lines[^1].Length == 0 ? lines.Count - 1 : lines.Count;
        }

        lines.InsertRange(insertAt, request.Add.Where(item => present.Add(item)).Select(item => "- " + item));
        return (memory.WithBody(section, string.Join("\n", lines)), section.Anchor);
    });

    /// <summary><c>md.snapshot_history</c>: the history copies of a file, as <c>event	at	hash	status</c>.</summary>
    public ToolResult SnapshotHistory(ToolRequest request) => Synchronously.Run(SnapshotHistoryAsync(useAsync: false, request, CancellationToken.None));

    /// <summary>The asynchronous form of <see cref="SnapshotHistory"/>.</summary>
    public ValueTask<ToolResult> SnapshotHistoryAsync(ToolRequest request, CancellationToken cancellationToken = default) => SnapshotHistoryAsync(useAsync: true, request, cancellationToken);

    private ValueTask<ToolResult> SnapshotHistoryAsync(bool useAsync, ToolRequest request, CancellationToken cancellationToken) => GuardedAsync(useAsync, "md.snapshot_history", request, cancellationToken, async () =>
    {
        _guard.Resolve(request.Path);
        var events = await _ledger.EventsAsync(useAsync, cancellationToken).ConfigureAwait(false);
        return new ToolResult("md.snapshot_history", request.Path)
        {
            Entries = events.Where(entry => entry.File == request.Path).Select(entry => $"{entry.Id}\t{entry.At}\t{entry.FileHashAfter}\t{entry.Status}").ToArray(),
        };
    });

    /// <summary><c>md.lint</c>: the lint findings of a file.</summary>
    public ToolResult Lint(ToolRequest request) => Synchronously.Run(LintAsync(useAsync: false, request, CancellationToken.None));

    /// <summary>The asynchronous form of <see cref="Lint"/>.</summary>
    public ValueTask<ToolResult> LintAsync(ToolRequest request, CancellationToken cancellationToken = default) => LintAsync(useAsync: true, request, cancellationToken);

    private ValueTask<ToolResult> LintAsync(bool useAsync, ToolRequest request, CancellationToken cancellationToken) => Guarded(useAsync, "md.lint", request, cancellationToken, () =>
        new ToolResult("md.lint", request.Path) { Lint = MemoryLint.Check(request.Path, ReadExisting(request.Path), _options.Caps) });

    /// <summary>
    /// <c>md.replay</c>: the file as it was after the last committed write at or before an event id or a time, from
    /// its history copy, checked against the hash the event recorded.
    /// </summary>
    public ToolResult Replay(ToolRequest request) => Synchronously.Run(ReplayAsync(useAsync: false, request, CancellationToken.None));

    /// <summary>The asynchronous form of <see cref="Replay"/>.</summary>
    public ValueTask<ToolResult> ReplayAsync(ToolRequest request, CancellationToken cancellationToken = default) => ReplayAsync(useAsync: true, request, cancellationToken);

    private ValueTask<ToolResult> ReplayAsync(bool useAsync, ToolRequest request, CancellationToken cancellationToken) => GuardedAsync(useAsync, "md.replay", request, cancellationToken, async () =>
    {
        _guard.Resolve(request.Path);
        var at = request.At ?? throw Inapplicable("md.replay needs at (an event id or a time)");
        var writes = (await _ledger.EventsAsync(useAsync, cancellationToken).ConfigureAwait(false)).Where(entry => entry.File == request.Path && entry.Status == "committed").ToList();
        var cutoff = writes.FindIndex(entry => entry.Id == at);
        ToolEvent? chosen = cutoff >= 0
            ? writes[cutoff]
            : DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time)
                ? writes.LastOrDefault(entry => DateTimeOffset.Parse(entry.At!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind) <= time)
                : throw MemoryStoreException.Create(DiagnosticCatalog.UnknownStoreItem, request.Path, "write event", at, $" (of '{request.Path}')");
        if (chosen is null)
        {
            return new ToolResult("md.replay", request.Path) { Content = string.Empty, Hash = null };
        }

        var content = _files.ReadText(HistoryCopy(chosen)) ?? string.Empty;
        var hash = CanonicalText.Hash(content);
        return hash == chosen.FileHashAfter
            ? new ToolResult("md.replay", request.Path) { Content = content, Hash = hash, Event = chosen }
            : throw new MemoryStoreException(DiagnosticCatalog.FileDrift.Create(SourceLocation.File(Path.Combine(Root, HistoryCopy(chosen))), HistoryCopy(chosen), hash, chosen.Id, chosen.FileHashAfter));
    });

    /// <summary>
    /// Every file whose content on disk differs from what its last committed write says (MC5021), for a maintainer
    /// to review. Nothing is changed.
    /// </summary>
    public IReadOnlyList<ContractDiagnostic> Drift() => Synchronously.Run(DriftAsync(useAsync: false, CancellationToken.None));

    /// <summary>The asynchronous form of <see cref="Drift"/>.</summary>
    public ValueTask<IReadOnlyList<ContractDiagnostic>> DriftAsync(CancellationToken cancellationToken = default) => DriftAsync(useAsync: true, cancellationToken);

    private async ValueTask<IReadOnlyList<ContractDiagnostic>> DriftAsync(bool useAsync, CancellationToken cancellationToken)
    {
        var drift = new List<ContractDiagnostic>();
        foreach (var last in (await _ledger.EventsAsync(useAsync, cancellationToken).ConfigureAwait(false)).Where(entry => entry.Status == "committed").GroupBy(entry => entry.File).Select(group => group.Last()))
        {
            var full = Path.Combine(Root, last.File);
            var hash = _files.ReadText(last.File) is { } content ? CanonicalText.Hash(content) : "(missing)";
            if (hash != last.FileHashAfter)
            {
                drift.Add(DiagnosticCatalog.FileDrift.Create(SourceLocation.File(full), last.File, hash, last.Id, last.FileHashAfter));
            }
        }

        return drift;
    }

    /// <summary>
    /// A write: checked, linted and planned under the root's lock, then a saga in the ledger. Cancellation is honoured
    /// until the pending event is queued for commit (a cancelled write leaves no event and no file change); from then
    /// on the write runs to its end and its outcome is recorded.
    /// </summary>
    private ValueTask<ToolResult> MutateAsync(bool useAsync, string operation, string op, ToolRequest request, CancellationToken cancellationToken, Func<string?, (string After, string? Anchor)> change) => GuardedAsync(useAsync, operation, request, cancellationToken, async () =>
    {
        var full = _guard.Resolve(request.Path);
        var relative = _guard.Relative(full);
        using var exclusive = request.DryRun ? null : await RootLockAsync(useAsync, cancellationToken).ConfigureAwait(false);
        _ledger.Refresh();
        var fingerprint = request.Fingerprint(operation);
        if (request.IdempotencyKey is { } key && !request.DryRun && await _ledger.CommittedAsync(useAsync, key, cancellationToken).ConfigureAwait(false) is { } first)
        {
            return first.RequestFingerprint == fingerprint
                ? new ToolResult(operation, request.Path) { Replayed = true, Event = first, Hash = first.FileHashAfter }
                : throw new MemoryStoreException(DiagnosticCatalog.IdempotencyKeyReused.Create(SourceLocation.File(full), key, $"event '{first.Id}', {first.Op} of '{first.File}'"));
        }

        RequireWithinCeiling(request);
        var before = _files.ReadText(relative);
        var (after, anchor) = change(before);
        if (after.Length > _options.Caps.HardLimitCharacters)
        {
            throw PathGuard.Block($"the change would make '{request.Path}' {after.Length} characters long, over the hard limit of {_options.Caps.HardLimitCharacters} that no rationale lifts");
        }

        Protect(request.Path, before, after);
        var lint = MemoryLint.Check(request.Path, after, _options.Caps);
        foreach (var finding in lint)
        {
            Telemetry.MemoryTelemetry.LintFinding(_kernel.Location, finding.Rule);
        }
        if (lint.FirstOrDefault(finding => finding.Rule == "duplicate-anchor") is { } duplicate)
        {
            throw PathGuard.Block($"the change would give two sections the anchor '{duplicate.Where}'; anchors address sections and must stay unique");
        }

        var caps = lint.Where(finding => finding.IsCap).ToArray();
        if (caps.Length > 0 && string.IsNullOrWhiteSpace(request.OverrideRationale))
        {
            throw new MemoryStoreException(DiagnosticCatalog.CapNeedsRationale.Create(SourceLocation.File(full), string.Join("; ", caps.Select(finding => finding.Message))));
        }

        var planned = new ToolEvent("tb-" + Guid.NewGuid().ToString("N")[..16], IsMemoryFile(before ?? after) || anchor is not null ? "profile_update" : "action", op, request.Path)
        {
            SectionAnchor = anchor,
            Rationale = request.Rationale,
            Evidence = request.Evidence,
            BeforeHash = before is null ? null : CanonicalText.Hash(anchor is null ? before : SectionText(before, anchor)),
            AfterHash = CanonicalText.Hash(anchor is null ? after : SectionText(after, anchor)),
            FileHashAfter = CanonicalText.Hash(after),
            Lint = lint.Count == 0 ? "clean" : string.Join("; ", lint.Select(finding => $"{(finding.IsCap ? "cap" : "warning")} {finding.Rule} ({finding.Where})")),
            OverrideRationale = caps.Length > 0 ? request.OverrideRationale : null,
            IdempotencyKey = request.IdempotencyKey,
            RequestFingerprint = request.IdempotencyKey is null ? null : fingerprint,
            TransactionId = request.TransactionId,
            ToolCallId = request.ToolCallId,
            At = _kernel.Now(),
        };
        var result = new ToolResult(operation, request.Path) { DryRun = request.DryRun, Diff = LineDiff.Of(request.Path, before ?? string.Empty, after), Lint = lint, Hash = planned.FileHashAfter, Event = planned };
        if (request.DryRun)
        {
            return result;
        }

        var pending = await _ledger.BeginAsync(useAsync, planned, before is null, cancellationToken).ConfigureAwait(false);
        try
        {
            if (_options.WriteFile is { } write)
            {
                write(full, after);
            }
            else
            {
                _files.WriteText(relative, after);
            }

            _files.WriteText(HistoryCopy(pending), after);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            var failed = await _ledger.CompleteAsync(useAsync, pending, committed: false, exception.Message).ConfigureAwait(false);
            throw new MemoryStoreException(DiagnosticCatalog.StuckWrite.Create(SourceLocation.File(full), failed.Id, failed.Sequence, ToolLedger.Graph, "failed", failed.At, ": " + exception.Message).WithSeverity(DiagnosticSeverity.Error));
        }

        return result with { Event = await _ledger.CompleteAsync(useAsync, pending, committed: true).ConfigureAwait(false) };
    });

    /// <summary>
    /// The memory root's write lock (<c>.history/.lock</c>, an OS file lock): one write at a time across every process
    /// whose toolbelt works in this root, whatever the ledger (a folder workspace's own lock covers only its ledger,
    /// and PostgreSQL none of the files). Held from reading the file to committing its event, so two agents' edits of
    /// one file never overwrite each other, and an idempotency key is checked against every committed write.
    /// </summary>
    private async ValueTask<IDisposable> RootLockAsync(bool useAsync, CancellationToken cancellationToken)
    {
        var history = Path.Combine(Root, PathGuard.HistoryFolder);
        Directory.CreateDirectory(history);
        if (new DirectoryInfo(history).LinkTarget is not null)
        {
            throw PathGuard.Block($"the history folder '{PathGuard.HistoryFolder}' is a symbolic link; links could lead outside the memory root");
        }

        return await Storage.Files.WorkspaceLock.AcquireAsync(useAsync, Path.Combine(history, ".lock"), _kernel.Options.LockTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a call that touches only the memory root's files (see <see cref="GuardedAsync"/>).</summary>
    private ValueTask<ToolResult> Guarded(bool useAsync, string operation, ToolRequest request, CancellationToken cancellationToken, Func<ToolResult> call) =>
        GuardedAsync(useAsync, operation, request, cancellationToken, () => ValueTask.FromResult(call()));

    /// <summary>
    /// Runs a call unless cancellation was requested; a refusal (a hard block, a cap without rationale, a reused key, a
    /// change that does not apply) is recorded as an audit event, then reported.
    /// </summary>
    private async ValueTask<ToolResult> GuardedAsync(bool useAsync, string operation, ToolRequest request, CancellationToken cancellationToken, Func<ValueTask<ToolResult>> call)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (MemoryStoreException exception) when (exception.Code == DiagnosticCatalog.OperationBlocked.Code || exception.Code == DiagnosticCatalog.CapNeedsRationale.Code
            || exception.Code == DiagnosticCatalog.IdempotencyKeyReused.Code || exception.Code == DiagnosticCatalog.PatchDoesNotApply.Code)
        {
            await _ledger.AuditAsync(useAsync, operation, request.Path, exception.Diagnostics[0].Message, request).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Front matter and anchored heading lines of an existing file may not change; an existing file may not be emptied.</summary>
    private static void Protect(string path, string? before, string after)
    {
        var old = before is null ? null : MarkdownMemory.Parse(before);
        var now = MarkdownMemory.Parse(after);
        if (now.InvalidAnchors.Except(old?.InvalidAnchors ?? [], StringComparer.Ordinal).FirstOrDefault() is { } invalid)
        {
            throw PathGuard.Block($"the change would bring in the anchor '{Shorten(invalid)}', which is not ASCII letters, digits and dashes with a version (such as 'identity v1'), one to a heading");
        }

        if (before is null || old is null)
        {
            return;
        }

        if (before.Trim().Length > 0 && after.Trim().Length == 0)
        {
            throw PathGuard.Block($"the change would empty '{path}'; emptying a file is deleting it, which is never allowed");
        }

        if (old.FrontMatter != now.FrontMatter)
        {
            throw PathGuard.Block($"the change would edit the front matter of '{path}', which is protected");
        }

        var missing = old.AnchorLines.Except(now.AnchorLines, StringComparer.Ordinal).FirstOrDefault();
        if (missing is not null || !old.AnchorLines.SequenceEqual(now.AnchorLines.Where(line => old.AnchorLines.Contains(line, StringComparer.Ordinal)), StringComparer.Ordinal))
        {
            throw PathGuard.Block($"the change would remove, alter or move the anchored heading '{(missing ?? old.AnchorLines.First()).Trim()}' of '{path}'; anchors are protected");
        }
    }

    /// <summary>A request whose payload alone is over the hard limit is refused before anything is read, diffed or linted.</summary>
    private void RequireWithinCeiling(ToolRequest request)
    {
        long size = (request.Content?.Length ?? 0) + (request.Text?.Length ?? 0) + (request.NewText?.Length ?? 0) + (request.OldText?.Length ?? 0)
            + (request.Body?.Length ?? 0) + request.Add.Sum(item => (long)item.Length);
        if (size > _options.Caps.HardLimitCharacters)
        {
            throw PathGuard.Block($"the request carries {size} characters, over the hard limit of {_options.Caps.HardLimitCharacters} that no rationale lifts");
        }
    }

    /// <summary>At most 60 characters of a text, for messages that must not echo what was sent.</summary>
    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";

    private (MarkdownMemory Memory, MarkdownSection Section) Section(string? before, ToolRequest request)
    {
        var memory = MarkdownMemory.Parse(before ?? throw Missing(request.Path));
        var anchor = request.Anchor ?? throw Inapplicable("this operation needs the section's anchor");
        return (memory, memory.Find(anchor) ?? throw Inapplicable($"'{request.Path}' has no section with the anchor '{anchor}' (it has {string.Join(", ", memory.Sections.Select(section => section.Anchor))})"));
    }

    private static string SectionText(string text, string anchor)
    {
        var memory = MarkdownMemory.Parse(text);
        return memory.Find(anchor) is { } section ? memory.Body(section) : string.Empty;
    }

    private static bool IsMemoryFile(string text) => MarkdownMemory.Parse(text).FrontMatterValue("type") is not null;

    /// <summary>The history copy of a write, relative to the root.</summary>
    private static string HistoryCopy(ToolEvent entry) =>
        $"{PathGuard.HistoryFolder}/{entry.File}/{entry.Sequence.ToString("D8", CultureInfo.InvariantCulture)}-{entry.Id}{Path.GetExtension(entry.File)}";

    private string ReadExisting(string path) => _files.ReadText(_guard.Relative(_guard.Resolve(path))) ?? throw Missing(path);

    /// <summary>A listed file's text for search; a file the confined reader refuses (a link, a hard link) is passed over.</summary>
    private string? ReadListed(string file)
    {
        try
        {
            return _files.ReadText(_guard.Relative(file));
        }
        catch (MemoryStoreException)
        {
            return null;
        }
    }

    /// <summary>The files under a folder that the guard allows (no link is followed, no history copy, only allowed folders).</summary>
    private IEnumerable<string> Files(string folder) =>
        (Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint })
            : File.Exists(folder) ? [folder] : [])
        .Where(Allowed)
        .Order(StringComparer.Ordinal);

    private bool Allowed(string file)
    {
        try
        {
            _guard.Resolve(_guard.Relative(file));
            return true;
        }
        catch (MemoryStoreException)
        {
            return false;
        }
    }

    private static MemoryStoreException Missing(string path) =>
        MemoryStoreException.Create(DiagnosticCatalog.UnknownStoreItem, path, "file", path, " (memory root)");

    private static MemoryStoreException Inapplicable(string message) =>
        new(DiagnosticCatalog.PatchDoesNotApply.Create(SourceLocation.Origin("toolbelt"), message));
}
