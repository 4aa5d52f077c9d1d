namespace Keypoints.MLNet.Training;

/// <summary>The loss a keypoint network trains with, over every labelled coordinate (missing labels are masked out)
/// and averaged over them. The errors it sees are in pixels of the network's input.</summary>
public enum KeypointLoss
{
    /// <summary>The squared error (L2), as Nouri's recipes and most regression papers use: large errors
    /// dominate.</summary>
    MeanSquaredError,

    /// <summary>The absolute error (L1): every pixel of error counts the same, so small errors keep their pull late in
    /// training.</summary>
    MeanAbsoluteError,

    /// <summary>Feng et al.'s Wing loss (CVPR 2018) with width 10 px and curvature 2 px: <c>10 ln(1 + |e| / 2)</c>
    /// below 10 px, <c>|e| - C</c> above (C makes it continuous), which weighs small and medium errors more than L1
    /// does.</summary>
    Wing,
}
