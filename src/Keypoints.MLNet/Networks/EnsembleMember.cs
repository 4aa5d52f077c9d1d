namespace Keypoints.MLNet.Networks;

/// <summary>One network of a <see cref="KeypointEnsemble"/> and the layout coordinates it provides.</summary>
/// <param name="Name">A short name, used to keep its ONNX initializers apart (for example <c>base</c> or
/// <c>specialist_eyes</c>).</param>
/// <param name="Network">The trained network.</param>
/// <param name="OutputColumns">Which of the network's outputs are used, in order.</param>
/// <param name="Coordinates">The layout coordinate (index into <c>x0, y0, x1, ...</c>) each used output
/// provides.</param>
internal sealed record EnsembleMember(string Name, KeypointNetwork Network, int[] OutputColumns, int[] Coordinates);
