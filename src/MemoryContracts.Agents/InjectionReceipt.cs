namespace MemoryContracts.Agents;

/// <summary>What entered one agent run: recorded in the workspace before the model sees it.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Agent">The agent (its name, else its id).</param>
/// <param name="EventId">The receipt's event in the receipt graph.</param>
/// <param name="Sources">Where the items came from: each package with the digest it was served at (<c>kind:id/package@sha256:...</c>), and the retrieval with its audit operation (<c>retrieval:graph#op-...</c>).</param>
/// <param name="Items">The ids of the items injected, in order.</param>
/// <param name="Tokens">Their tokens, by <paramref name="TokenCounter"/>.</param>
/// <param name="TokenCounter">What counted them.</param>
/// <param name="Withheld">Items kept out (by a package's policy, its budget, or the run's), with the reason.</param>
public sealed record InjectionReceipt(string RunId, string Agent, string EventId, IReadOnlyList<string> Sources, IReadOnlyList<string> Items, int Tokens, string TokenCounter, IReadOnlyList<(string Id, string Reason)> Withheld);
