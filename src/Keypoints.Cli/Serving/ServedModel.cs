namespace Keypoints.Cli.Serving;

/// <summary>What <c>keypoints serve</c> tells its clients about the model it serves.</summary>
/// <param name="Layout">The model's layout name (for example <c>Ibug68</c>), in every answer.</param>
/// <param name="Terms">The terms of use the model inherits from its training data, or null; <c>GET /health</c> gives
/// them and the page shows them.</param>
internal sealed record ServedModel(string Layout, string? Terms);
