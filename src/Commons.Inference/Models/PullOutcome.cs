namespace Commons.Inference.Models;

/// <summary>How a pull ended when it succeeded.</summary>
public enum PullOutcome
{
    /// <summary>The whole file was downloaded, verified and installed.</summary>
    Downloaded,

    /// <summary>A partial download was resumed, verified and installed.</summary>
    Resumed,

    /// <summary>The file was already installed and verified; nothing was downloaded.</summary>
    AlreadyInstalled,
}
