namespace Commons.Abstractions.Sharing;

/// <summary>Where one pool's copy of an artifact is.</summary>
public enum ShareCopyState
{
    /// <summary>Not yet acknowledged by the pool (never sent, or the pool was unreachable).</summary>
    Waiting = 0,

    /// <summary>The pool returned its receipt: it holds the artifact durably.</summary>
    Delivered = 1,

    /// <summary>The pool refused it for good (the reason says why); it is not sent again.</summary>
    Refused = 2,
}
