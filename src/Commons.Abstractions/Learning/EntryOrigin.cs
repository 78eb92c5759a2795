namespace Commons.Abstractions.Learning;

/// <summary>How a playbook entry came to be.</summary>
public enum EntryOrigin
{
    /// <summary>From the agent's own interactions and their rewards.</summary>
    Learned = 0,

    /// <summary>From the owner's correction (<c>/fix</c>).</summary>
    Correction = 1,

    /// <summary>Proposed by the model during reflection.</summary>
    Reflection = 2,

    /// <summary>Written or edited by the owner.</summary>
    Owner = 3,

    /// <summary>Imported from a pool artifact.</summary>
    Imported = 4,
}
