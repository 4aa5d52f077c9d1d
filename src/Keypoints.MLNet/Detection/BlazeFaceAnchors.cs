namespace Keypoints.MLNet.Detection;

/// <summary>The anchor centres of the full-range BlazeFace model, generated the way MediaPipe's
/// <c>SsdAnchorsCalculator</c> does for it (<c>face_detection_back_desktop_live.pbtxt</c>: 256 x 256 input, four layers
/// with strides 16, 32, 32, 32, one aspect ratio 1.0 plus an interpolated scale, anchor offset 0.5, fixed anchor size).
/// Consecutive layers with the same stride share one feature map, and each layer gives two anchors per cell, so the
/// 16 x 16 map has 2 anchors per cell (512) and the 8 x 8 map 6 (384): 896 in all, in the order of the model's outputs
/// (row, then column, then anchor). With a fixed anchor size every anchor is 1 x 1 (the whole input), so only the
/// centres matter: the regressors are offsets from them in input pixels.</summary>
internal static class BlazeFaceAnchors
{
    /// <summary>The model's input width and height in pixels.</summary>
    public const int InputSize = 256;

    private static readonly int[] Strides = [16, 32, 32, 32];
    private const float AnchorOffset = 0.5f;

    /// <summary>The 896 anchor centres as (x, y) pairs, normalised to [0, 1] of the input.</summary>
    public static float[] Centres { get; } = Generate();

    /// <summary>Number of anchors.</summary>
    public static int Count => Centres.Length / 2;

    /// <summary>Anchors of each feature map, in output order: (cells per side, anchors per cell).</summary>
    public static IReadOnlyList<(int Cells, int AnchorsPerCell)> FeatureMaps { get; } = Maps();

    private static List<(int Cells, int AnchorsPerCell)> Maps()
    {
        var maps = new List<(int Cells, int AnchorsPerCell)>();
        for (int layer = 0; layer < Strides.Length; )
        {
            int sameStride = layer;
            int anchorsPerCell = 0;
            // Each layer contributes its aspect ratio (1.0) and the interpolated scale between it and the next layer.
            while (sameStride < Strides.Length && Strides[sameStride] == Strides[layer])
            {
                anchorsPerCell += 2;
                sameStride++;
            }
            maps.Add(((InputSize + Strides[layer] - 1) / Strides[layer], anchorsPerCell));
            layer = sameStride;
        }
        return maps;
    }

    private static float[] Generate()
    {
        var centres = new List<float>();
        foreach (var (cells, anchorsPerCell) in Maps())
        {
            for (int row = 0; row < cells; row++)
            {
                for (int column = 0; column < cells; column++)
                {
                    for (int anchor = 0; anchor < anchorsPerCell; anchor++)
                    {
                        centres.Add((column + AnchorOffset) / cells);
                        centres.Add((row + AnchorOffset) / cells);
                    }
                }
            }
        }
        return [.. centres];
    }
}
