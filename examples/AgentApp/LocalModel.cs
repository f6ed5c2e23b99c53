using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace AgentApp;

/// <summary>
/// A deterministic stand-in for a model, so the example runs offline: it answers from the memory items in its
/// instructions, citing their ids, and says when it was asked to forget something.
/// </summary>
internal sealed partial class LocalModel : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var question = messages.Last(message => message.Role == ChatRole.User).Text;
        var items = Item().Matches(options?.Instructions ?? string.Empty).Select(match => $"[{match.Groups["id"].Value}] {match.Groups["title"].Value}").ToArray();
        var answer = question.Contains("forget", StringComparison.OrdinalIgnoreCase)
            ? "I cannot forget anything myself: I proposed it, and a reviewer decides."
            : items.Length == 0 ? "My memory has nothing on that." : $"From memory: {string.Join("; ", items.Take(2))}.";
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer)));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var update in (await GetResponseAsync(messages, options, cancellationToken)).ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    [GeneratedRegex(@"^\[(?<id>[^\]\n]+)\] [a-z_]+: (?<title>[^\n]+)$", RegexOptions.Multiline)]
    private static partial Regex Item();
}
