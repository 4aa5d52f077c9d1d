namespace Keypoints.Cli.Serving;

/// <summary>A face box in photo pixels.</summary>
/// <param name="Left">Left edge.</param>
/// <param name="Top">Top edge.</param>
/// <param name="Width">Width.</param>
/// <param name="Height">Height.</param>
internal sealed record FaceBox(float Left, float Top, float Width, float Height);
