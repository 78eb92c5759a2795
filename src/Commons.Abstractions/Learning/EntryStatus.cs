namespace Commons.Abstractions.Learning;

/// <summary>Where a playbook entry stands.</summary>
public enum EntryStatus
{
    /// <summary>Used to choose what goes into prompts and which action to take.</summary>
    Active = 0,

    /// <summary>Imported and waiting for verification; never shown to the model or used to act.</summary>
    Staged = 1,

    /// <summary>Kept for the record; no longer used.</summary>
    Retired = 2,
}
