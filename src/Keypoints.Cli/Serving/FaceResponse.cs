namespace Keypoints.Cli.Serving;

/// <summary>One face of a <see cref="FacesResponse"/>, in the photo's pixels (pixel centres at integers).</summary>
/// <param name="Score">The face detector's confidence, 0 to 1.</param>
/// <param name="Box">The detector's face box; it may reach past the photo's edges.</param>
/// <param name="Keypoints">The predicted keypoints in the model's order, each with its name.</param>
internal sealed record FaceResponse(float Score, FaceBox Box, IReadOnlyList<NamedKeypoint> Keypoints);
