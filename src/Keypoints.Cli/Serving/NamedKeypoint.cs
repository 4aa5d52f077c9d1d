namespace Keypoints.Cli.Serving;

/// <summary>One predicted keypoint in photo pixels.</summary>
/// <param name="Name">The layout's name for it, for example <c>left_eye_outer</c>.</param>
/// <param name="X">Column, pixel centres at integers.</param>
/// <param name="Y">Row, pixel centres at integers.</param>
internal sealed record NamedKeypoint(string Name, float X, float Y);
