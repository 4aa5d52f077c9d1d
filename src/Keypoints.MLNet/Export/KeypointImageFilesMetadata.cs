namespace Keypoints.MLNet.Export;

/// <summary>The part of <see cref="KeypointModelMetadata"/> that only a model trained on image files has: the columns
/// of the whole chain (image path in, coordinates in the original image out) and the size of the training data's first
/// image.</summary>
/// <param name="ImagePathColumn">The input column of image file paths.</param>
/// <param name="PredictedColumn">The output column of <c>2K</c> pixel coordinates in each original image.</param>
/// <param name="ImageWidth">Width in pixels of the training data's first image (the layout's image size of the
/// image-file model).</param>
/// <param name="ImageHeight">Height in pixels of the training data's first image.</param>
public sealed record KeypointImageFilesMetadata(
    string ImagePathColumn,
    string PredictedColumn,
    int ImageWidth,
    int ImageHeight
);
