using Keypoints.MLNet.Export;
using Keypoints.MLNet.Layouts;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keypoints.MLNet.Tests.Images;

public sealed class ImageFrameGraphTests
{
    private static readonly KeypointLayout Frame = KeypointLayout.FromCoordinateColumns(
        "two",
        ["a_x", "a_y", "b_x", "b_y"],
        96,
        48
    );

    private sealed class Row
    {
        [VectorType(4)]
        public float[] Points { get; set; } = [];

        [VectorType(2)]
        public float[] ImageSize { get; set; } = [];
    }

    private static float[] Map(float[] points, float width, float height, bool toFrame)
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable([new Row { Points = points, ImageSize = [width, height] }]);
        using var graph = new MemoryStream(ImageFrameGraph.Create("Points", "ImageSize", "Mapped", Frame, toFrame));
        var mapped = ml.Transforms.ApplyOnnxModel(["Mapped"], ["Points", "ImageSize"], graph).Fit(data).Transform(data);
        return mapped.GetColumn<float[]>("Mapped").Single();
    }

    [Fact]
    public void ToFrame_MapsPixelCentersWithTheResizeOfThePixels()
    {
        // x' = (x + 0.5) * 96 / 192 - 0.5, y' = (y + 0.5) * 48 / 100 - 0.5
        float[] mapped = Map([-0.5f, 99.5f, 191.5f, 49.5f], 192, 100, toFrame: true);
        Assert.Equal([-0.5f, 47.5f, 95.5f, 23.5f], mapped, (a, b) => Math.Abs(a - b) < 1e-4f);
    }

    [Fact]
    public void FromFrame_UndoesToFrame_AndKeepsMissingLabelsMissing()
    {
        float[] points = [12.25f, float.NaN, 150f, 77.5f];
        float[] frame = Map(points, 160, 130, toFrame: true);
        float[] back = Map(frame, 160, 130, toFrame: false);
        Assert.True(float.IsNaN(back[1]));
        Assert.Equal(points.Where(p => !float.IsNaN(p)), back.Where(p => !float.IsNaN(p)), (a, b) =>
            Math.Abs(a - b) < 1e-3f
        );
    }
}
