namespace Commons.Personal.Agents;

/// <summary>How the personal agent presents itself; bound from the <c>Agent</c> configuration section.</summary>
public sealed class AgentOptions
{
    public const string SectionName = "Agent";

    /// <summary>The system prompt that opens every conversation.</summary>
    public string Persona { get; set; } =
        "You are Commons, a personal assistant that runs entirely on its owner's own computer. " +
        "Be helpful, honest and brief.";

    /// <summary>
    /// Longest time generated text waits in the agent before it is streamed to the caller (the first
    /// piece goes at once). 0 passes on every update the model client makes (it coalesces tokens itself,
    /// at most 10 ms apart). Each chunk wakes two threads (the grain's and the caller's) that take a
    /// core from the model's threads for a moment; at 25 ms a tiny model on 2 cores lost about 5% of
    /// its speed to that, at 100 ms (ten updates a second, still smooth to read) none measurable
    /// (<c>commons bench generation</c>). A model slower than ten tokens a second streams every token.
    /// </summary>
    public int StreamChunkMilliseconds { get; set; } = 100;

    /// <summary>
    /// Whether each turn consults the playbook (embedding the message, putting what was learned into
    /// the prompt) and is logged as an episode that feedback can credit. Off, the agent is a plain
    /// local chat: nothing is learned and /good, /bad and /fix have nothing to act on.
    /// </summary>
    public bool Learning { get; set; } = true;

    /// <summary>
    /// The actions the playbook chooses among for each turn. Empty (the default): the agent's tools
    /// (<c>plugin_function</c>) and <c>reply</c> (answer directly). A deployment that routes requests
    /// to services of its own (the benchmark: the data set's labels) lists them here.
    /// </summary>
    public IList<string> Actions { get; } = [];

    /// <summary>
    /// Whether a turn runs the model. Off, a turn is the playbook's decision alone (routing, logging and
    /// learning unchanged) and the reply is the chosen action's name: the benchmark's fast path.
    /// </summary>
    public bool Generate { get; set; } = true;

    /// <summary>The owner's id: the key of their grains. Defaults to the operating-system user.</summary>
    public string UserId { get; set; } = Environment.UserName;
}
