using Microsoft.Extensions.AI;

namespace MemoryContracts.Runtime.Tests.Agents;

/// <summary>A chat client that answers every request with a fixed text and keeps what it was sent: the messages and the instructions.</summary>
internal sealed class RecordingChatClient(string answer = "Noted.") : IChatClient
{
    public List<(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)> Requests { get; } = [];

    /// <summary>Everything the model was given in the last request, as one text.</summary>
    public string LastPrompt => string.Join("\n", new[] { Requests[^1].Options?.Instructions }.Concat(Requests[^1].Messages.Select(message => message.Text)).OfType<string>());

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Requests.Add((messages.ToArray(), options));
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer)));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
