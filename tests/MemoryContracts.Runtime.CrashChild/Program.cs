using MemoryContracts.Model;
using MemoryContracts.Runtime;
using MemoryContracts.Runtime.Lifecycle;

// Usage: CrashChild <workspace> <run> [forget]
// Appends from two threads and applies a plan every few appends, printing a line only after each call returned
// (that is, after it was acknowledged as durable): "ack <event-id>" and "applied <plan-id> <node-id>".
// With "forget": records a node holding a secret (its title, text and event summary quote it), then forgets it, over
// and over: "secret <node-id> <secret>" once it is recorded, "forgot <node-id>" once the forget returned.
var folder = args[0];
var run = args[1];
using var workspace = MemoryWorkspace.Open(folder, new WorkspaceOptions { LockTimeout = TimeSpan.FromSeconds(30) });
var output = Console.Out;
var gate = new object();
if (args.Length > 2 && args[2] == "forget")
{
    Say("ready");
    for (var index = 0; ; index++)
    {
        var id = $"{run}-s{index}";
        var secret = $"ZEBRA-{run}-{index}-SECRET";
        workspace.Append("crash", new GraphEvent("ev-" + id, "recorded", "2026-11-21T10:00:00Z") { Nodes = [id], Summary = "noted " + secret }, new GraphChanges { PutNodes = [new GraphNode(id, "observation", secret) { Text = "the secret is " + secret }] });
        Say($"secret {id} {secret}");
        var plan = workspace.Lifecycle.Plan("crash", "crash-profile", new LifecycleRequest { Retention = false, Forget = [id] });
        workspace.Lifecycle.Apply(plan, null, "crash-child");
        Say("forgot " + id);
    }
}

// Writer 1 appends while writer 0 is not between planning and applying, so that plans are not always out of date.
var planning = new object();
void Say(string line)
{
    lock (gate)
    {
        output.WriteLine(line);
        output.Flush();
    }
}

// One append and one apply before "ready", so the kill window is spent writing, not compiling the code paths.
var warm = $"{run}-warm";
workspace.Append("crash", new GraphEvent("ev-" + warm, "recorded", "2026-11-21T10:00:00Z") { Nodes = [warm] }, new GraphChanges { PutNodes = [new GraphNode(warm, "observation", "observed " + warm)] });
Say("ack " + warm);
var warmPlan = workspace.Lifecycle.Plan("crash", "crash-profile", new LifecycleRequest { Retention = false, Refresh = [warm] });
workspace.Lifecycle.Apply(warmPlan, null, "crash-child");
Say($"applied {warmPlan.Id} {warm}");
Say("ready");
var writers = Enumerable.Range(0, 2).Select(writer => new Thread(() =>
{
    for (var index = 0; ; index++)
    {
        var id = $"{run}-w{writer}-{index}";
        var node = new GraphNode(id, "observation", "observed " + id) { Lifecycle = new MemoryLifecycle { State = "active", UpdatedAt = "2026-01-01T00:00:00Z" } };
        if (writer == 1)
        {
            Monitor.Enter(planning);
        }

        try
        {
            workspace.Append("crash", new GraphEvent("ev-" + id, "recorded", "2026-11-21T10:00:00Z") { Nodes = [id] }, new GraphChanges { PutNodes = [node] });
        }
        finally
        {
            if (writer == 1)
            {
                Monitor.Exit(planning);
            }
        }

        Say("ack " + id);
        if (writer == 0 && index % 5 == 4)
        {
            lock (planning)
            {
                var plan = workspace.Lifecycle.Plan("crash", "crash-profile", new LifecycleRequest { Retention = false, Refresh = [id] });
                workspace.Lifecycle.Apply(plan, null, "crash-child");
                Say($"applied {plan.Id} {id}");
            }
        }
    }
})).ToArray();
foreach (var thread in writers)
{
    thread.Start();
}

foreach (var thread in writers)
{
    thread.Join();
}
