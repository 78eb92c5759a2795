namespace Commons.Inference.Models;

/// <summary>What a pull is doing when it reports progress.</summary>
public enum DownloadStage
{
    /// <summary>Hashing bytes already on disk (a partial download being resumed, or an installed file).</summary>
    Checking,

    /// <summary>Receiving bytes from the server.</summary>
    Downloading,
}
