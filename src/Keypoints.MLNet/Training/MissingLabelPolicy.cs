namespace Keypoints.MLNet.Training;

/// <summary>What the trainer does with keypoint coordinates that are missing (NaN) in the label column.</summary>
public enum MissingLabelPolicy
{
    /// <summary>Train on every row; missing coordinates contribute nothing to the loss (masked mean squared
    /// error).</summary>
    Mask,

    /// <summary>Train only on rows where every coordinate is present, as in Nouri's first nets.</summary>
    DropRows,
}
