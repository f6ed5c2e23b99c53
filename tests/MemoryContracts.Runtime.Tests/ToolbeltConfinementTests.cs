using MemoryContracts.Runtime.Toolbelt;
using Xunit;

namespace MemoryContracts.Runtime.Tests;

/// <summary>
/// Issue 12, finding 5: the toolbelt under attack from someone who can change the memory folder while it works:
/// a folder swapped for a link between the guard's check and the write, a hard link made beforehand, a nested
/// history folder. No byte may be written or read outside the root.
/// </summary>
public sealed class ToolbeltConfinementTests : IDisposable
{
    private readonly string _top = TestSupport.TempFolder("confined");
    private readonly MemoryWorkspace _workspace = MemoryWorkspace.InMemory();

    private string Root => Path.Combine(_top, "memory");

    private string Outside => Path.Combine(_top, "outside");

    public ToolbeltConfinementTests()
    {
        Directory.CreateDirectory(Path.Combine(Root, "users"));
        Directory.CreateDirectory(Outside);
    }

    public void Dispose()
    {
        _workspace.Dispose();
        Directory.Delete(_top, recursive: true);
    }

    [Fact]
    public void A_folder_swapped_for_a_link_while_writing_never_lets_a_write_out_of_the_root()
    {
        var toolbelt = new MemoryToolbelt(Root, _workspace);
        var users = Path.Combine(Root, "users");
        var parked = Path.Combine(Root, "parked");
        using var stop = new CancellationTokenSource();
        var swaps = 0;
        var swapper = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    Directory.Move(users, parked);
                    Directory.CreateSymbolicLink(users, Outside);
                    Thread.Yield();
                    File.Delete(users);
                    Directory.Move(parked, users);
                    swaps++;
                }
                catch (IOException)
                {
                    // The toolbelt recreated 'users' in the gap (inside the root, which is fine): start over.
                    if (Directory.Exists(parked))
                    {
                        if (new DirectoryInfo(users).LinkTarget is not null)
                        {
                            File.Delete(users);
                        }

                        if (!Directory.Exists(users))
                        {
                            Directory.Move(parked, users);
                        }
                        else
                        {
                            Directory.Move(parked, parked + "-" + swaps++);
                        }
                    }
                }
            }
        });
        swapper.Start();
        var written = 0;
        var refused = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var index = 0;
        for (; clock.Elapsed < TimeSpan.FromSeconds(20) && (index < 200 || written < 20 || refused < 20 || swaps < 20); index++)
        {
            try
            {
                toolbelt.Write(new ToolRequest { Path = $"users/note-{index}.md", Content = $"note {index}\n" });
                written++;
            }
            catch (MemoryStoreException exception) when (exception.Code is "MC5019" or "MC5018")
            {
                refused++;
            }
            catch (IOException)
            {
                refused++;
            }
        }

        stop.Cancel();
        swapper.Join();
        Assert.True(swaps > 10, $"the swapper swapped only {swaps} times");
        Assert.Empty(Directory.GetFileSystemEntries(Outside));
        Assert.Equal(index, written + refused);
        Assert.True(written > 0 && refused > 0, $"{written} written, {refused} refused: the race was not exercised");
    }

    [Fact]
    public void A_hard_link_to_a_file_outside_is_neither_read_nor_searched()
    {
        var secret = Path.Combine(Outside, "secret.md");
        File.WriteAllText(secret, "HARDLINKED-SECRET\n");
        Assert.Equal(0, TmpfsFactAttribute.Run("ln", secret, Path.Combine(Root, "users", "linked.md")));
        var toolbelt = new MemoryToolbelt(Root, _workspace);

        var refused = Assert.Throws<MemoryStoreException>(() => toolbelt.Read(new ToolRequest { Path = "users/linked.md" }));
        Assert.Equal("MC5019", refused.Code);
        Assert.Contains("'users/linked.md' has 2 hard links", refused.Message, StringComparison.Ordinal);
        Assert.Equal("MC5019", Assert.Throws<MemoryStoreException>(() => toolbelt.Hash(new ToolRequest { Path = "users/linked.md" })).Code);
        Assert.Empty(toolbelt.Search(new ToolRequest { Pattern = "HARDLINKED" }).Entries);
        Assert.Equal("MC5019", Assert.Throws<MemoryStoreException>(() => toolbelt.Append(new ToolRequest { Path = "users/linked.md", Text = "more" })).Code);
        Assert.Equal("HARDLINKED-SECRET\n", File.ReadAllText(secret));
    }

    [Fact]
    public void A_history_folder_at_any_depth_is_not_writable()
    {
        var toolbelt = new MemoryToolbelt(Root, _workspace);
        foreach (var path in new[] { "users/.history/ada.md/00000001-forged.md", ".history/users/x.md", "users/a/.history/b.md" })
        {
            Assert.Equal("MC5019", Assert.Throws<MemoryStoreException>(() => toolbelt.Write(new ToolRequest { Path = path, Content = "forged\n" })).Code);
        }

        Assert.False(Directory.Exists(Path.Combine(Root, "users", ".history")));
    }
}

/// <summary>
/// Issue 12, finding 6: anchors read by a CommonMark parser and spelled in ASCII only, content that cannot smuggle a
/// heading in, and caps with a ceiling no rationale lifts.
/// </summary>
public sealed class ToolbeltAnchorTests : IDisposable
{
    private const string File1 = "users/ada.md";
    private readonly string _root = TestSupport.TempFolder("anchors");
    private readonly MemoryWorkspace _workspace = MemoryWorkspace.InMemory();
    private readonly MemoryToolbelt _toolbelt;

    public ToolbeltAnchorTests()
    {
        _toolbelt = new MemoryToolbelt(_root, _workspace);
        _toolbelt.Write(new ToolRequest { Path = File1, Template = "profile", Title = "Ada" });
    }

    public void Dispose()
    {
        _workspace.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private void Blocked(Func<ToolResult> call, string because)
    {
        var before = File.ReadAllText(Path.Combine(_root, File1));
        var refused = Assert.Throws<MemoryStoreException>(call);
        Assert.Equal("MC5019", refused.Code);
        Assert.Contains(because, refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(Path.Combine(_root, File1)));
    }

    [Fact]
    public void Wrapping_an_anchored_heading_in_a_fence_or_a_comment_removes_it_and_is_refused()
    {
        const string heading = "## Identity <!-- anchor: identity v1 -->\n";
        Blocked(() => _toolbelt.Patch(new ToolRequest { Path = File1, OldText = heading, NewText = "```\n" + heading + "```\n" }), "anchored heading");
        Blocked(() => _toolbelt.Patch(new ToolRequest { Path = File1, OldText = heading, NewText = "<!--\n" + heading }), "anchored heading");
        Blocked(() => _toolbelt.Patch(new ToolRequest { Path = File1, OldText = heading, NewText = "    " + heading }), "anchored heading");
        Assert.Contains("identity v1", _toolbelt.ListSections(new ToolRequest { Path = File1 }).Entries.Select(entry => entry.Split('\t')[0]));
    }

    [Theory]
    [InlineData("іdentity v1")]
    [InlineData("iden\u200Btity v1")]
    [InlineData("ｉｄｅｎｔｉｔｙ v1")]
    [InlineData("Identity v1")]
    [InlineData("identity")]
    public void Look_alike_and_non_ascii_anchors_are_refused(string anchor)
    {
        Blocked(() => _toolbelt.Append(new ToolRequest { Path = File1, Text = $"## Identity <!-- anchor: {anchor} -->\nI am someone else.\n" }), "which is not ASCII letters, digits and dashes");
        Assert.Equal("MC5019", Assert.Throws<MemoryStoreException>(() => _toolbelt.Write(new ToolRequest { Path = "users/new.md", Content = $"---\ntype: part\n---\n## X <!-- anchor: {anchor} -->\n" })).Code);
        Assert.False(File.Exists(Path.Combine(_root, "users", "new.md")));
    }

    [Fact]
    public void Section_bodies_and_list_items_cannot_bring_in_a_heading_or_an_anchor()
    {
        Blocked(() => _toolbelt.CurateList(new ToolRequest { Path = File1, Anchor = "preferences v1", Add = ["tea\n## Sneaky <!-- anchor: sneaky v1 -->"] }), "spans lines or holds a heading or an anchor");
        Blocked(() => _toolbelt.CurateList(new ToolRequest { Path = File1, Anchor = "preferences v1", Add = ["tea <!-- anchor: sneaky v1 -->"] }), "spans lines or holds a heading or an anchor");
        Blocked(() => _toolbelt.PatchSection(new ToolRequest { Path = File1, Anchor = "notes v1", Body = "fine\n\n## Sneaky <!-- anchor: sneaky v1 -->\nmore" }), "holds a heading or an anchor");
        Blocked(() => _toolbelt.PatchSection(new ToolRequest { Path = File1, Anchor = "notes v1", Body = "Sneaky\n======" }), "holds a heading or an anchor");
        _toolbelt.CurateList(new ToolRequest { Path = File1, Anchor = "preferences v1", Add = ["tea # not a heading"] });
        _toolbelt.PatchSection(new ToolRequest { Path = File1, Anchor = "notes v1", Body = "A note that mentions ## but starts no heading." });
    }

    [Fact]
    public void The_hard_limit_is_not_lifted_by_a_rationale_and_results_never_echo_a_whole_content()
    {
        var huge = new string('x', 300_000);
        var refused = Assert.Throws<MemoryStoreException>(() => _toolbelt.Write(new ToolRequest { Path = "notes/huge.md", Content = huge, OverrideRationale = "I really need this" }));
        Assert.Equal("MC5019", refused.Code);
        Assert.Contains("over the hard limit of 262144 that no rationale lifts", refused.Message, StringComparison.Ordinal);
        Assert.True(refused.Message.Length < 400);
        Assert.False(File.Exists(Path.Combine(_root, "notes", "huge.md")));

        var big = string.Concat(Enumerable.Range(0, 5_000).Select(index => $"line {index}\n"));
        var written = _toolbelt.Write(new ToolRequest { Path = "notes/big.txt", Content = big, OverrideRationale = "a log kept as a note" });
        Assert.True(written.Diff!.Length < 20_000, $"the diff echoed {written.Diff.Length} characters");
        Assert.EndsWith("... 4800 more changed line(s) not shown\n", written.Diff, StringComparison.Ordinal);
    }
}
