namespace Commons.Abstractions.Sharing;

/// <summary>Where an artifact stands on its way out.</summary>
public enum ShareItemState
{
    /// <summary>Redacted, leak-checked and noised; waits for the person's approval.</summary>
    AwaitingApproval = 0,

    /// <summary>Approved (by the person or the policy) and signed; waits for delivery to the pools.</summary>
    ReadyToDeliver = 1,

    /// <summary>Delivered to a pool.</summary>
    Delivered = 2,
}
