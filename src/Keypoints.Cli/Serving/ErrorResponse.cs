namespace Keypoints.Cli.Serving;

/// <summary>The JSON body of every 4xx answer of the server.</summary>
/// <param name="Error">One sentence that says what was wrong with the request.</param>
internal sealed record ErrorResponse(string Error);
