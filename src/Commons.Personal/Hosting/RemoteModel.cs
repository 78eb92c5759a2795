using System.ClientModel;
using Commons.Abstractions.Hosting;
using Commons.Inference.Llama;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Commons.Personal.Hosting;

/// <summary>
/// A model on an OpenAI-compatible server, used instead of the local one by explicit choice
/// (<c>Model:Endpoint</c>): the same <see cref="IChatClient"/> path, so playbook, tools, streaming and learning are unchanged.
/// </summary>
public sealed class RemoteModel
{
    private RemoteModel(Uri endpoint, string name, IChatClient client)
    {
        Endpoint = endpoint;
        Name = name;
        Client = client;
    }

    /// <summary>Where the model runs.</summary>
    public Uri Endpoint { get; }

    /// <summary>The model's name on that server.</summary>
    public string Name { get; }

    /// <summary>The chat client for it (Microsoft.Extensions.AI.OpenAI).</summary>
    public IChatClient Client { get; }

    /// <summary>Connects to <see cref="ModelOptions.Endpoint"/>; with no model named, takes the first the server lists.</summary>
    public static RemoteModel Connect(ModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            throw new CommonsException($"Model:Endpoint is \"{options.Endpoint}\", but it must be the address of an OpenAI-compatible server, such as http://127.0.0.1:11434/v1.");
        }

        var client = new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(options.ApiKey) ? "none" : options.ApiKey), new OpenAIClientOptions { Endpoint = endpoint });
        var name = options.Path;
        if (string.IsNullOrWhiteSpace(name))
        {
            try
            {
                name = client.GetOpenAIModelClient().GetModels().Value.FirstOrDefault()?.Id
                    ?? throw new CommonsException($"The model server at {endpoint} lists no models; name one with --model.");
            }
            catch (Exception ex) when (ex is ClientResultException or HttpRequestException or IOException)
            {
                throw new CommonsException($"The model server at {endpoint} does not answer ({ex.Message.ReplaceLineEndings(" ")}); check Model:Endpoint.", ex);
            }
        }

        // The person's sampling settings go with every request, as they would to the local model.
        var chat = client.GetChatClient(name).AsIChatClient().AsBuilder().ConfigureOptions(o =>
        {
            o.MaxOutputTokens ??= options.MaxTokens;
            o.Temperature ??= options.Temperature;
            o.Seed ??= options.Seed;
        }).Build();
        return new RemoteModel(endpoint, name, chat);
    }
}
