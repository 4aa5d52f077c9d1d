namespace Keypoints.MLNet.Data;

/// <summary>One row of a Kaggle <c>IdLookupTable.csv</c>: one coordinate that the submission must give.</summary>
/// <param name="RowId">The submission row number, written back in the <c>RowId</c> column.</param>
/// <param name="ImageId">The test image, as numbered by the <c>ImageId</c> column of <c>test.csv</c>.</param>
/// <param name="FeatureName">The coordinate asked for, a keypoint name with <c>_x</c> or <c>_y</c>, for example
/// <c>left_eye_center_x</c>.</param>
public sealed record IdLookupEntry(int RowId, int ImageId, string FeatureName);
