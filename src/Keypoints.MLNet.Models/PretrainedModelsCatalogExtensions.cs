namespace Keypoints.MLNet;

/// <summary>
/// The entry point of the <c>Keypoints.MLNet.Models</c> package, as a property on the library's catalog:
/// <c>mlContext.Keypoints.Pretrained.Face68()</c>, <c>Kaggle15()</c>, <c>Load("face68")</c>.
/// </summary>
public static class PretrainedModelsCatalogExtensions
{
    extension(KeypointsCatalog keypoints)
    {
        /// <summary>The trained keypoint models that ship in this package (the model card is the package's
        /// README).</summary>
        public PretrainedModelsCatalog Pretrained => new(keypoints);
    }
}
