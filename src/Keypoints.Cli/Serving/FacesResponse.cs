namespace Keypoints.Cli.Serving;

/// <summary>The JSON answer of <c>POST /faces</c>: every face of the photo, highest detector score first.</summary>
/// <param name="Width">The photo's width in pixels.</param>
/// <param name="Height">The photo's height in pixels.</param>
/// <param name="Layout">The model's keypoint layout, for example <c>ibug68</c>.</param>
/// <param name="Faces">The faces found.</param>
internal sealed record FacesResponse(int Width, int Height, string Layout, IReadOnlyList<FaceResponse> Faces);
