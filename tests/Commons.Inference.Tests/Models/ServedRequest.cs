namespace Commons.Inference.Tests.Models;

/// <summary>What <see cref="LocalHttpServer"/> answered to one request.</summary>
/// <param name="Path">The request path.</param>
/// <param name="Range">The Range header the client sent, if any.</param>
/// <param name="Status">The status code answered.</param>
/// <param name="BodyBytesSent">How many bytes of the file went out.</param>
internal sealed record ServedRequest(string Path, string? Range, int Status, long BodyBytesSent);
