namespace Keypoints.MLNet.Onnx;

/// <summary>How an exported ONNX graph stores its large weight tensors (convolution kernels, fully connected matrices).
/// Biases, batch-norm parameters and small constants stay float32 in every format, and every format computes in
/// float32: the graph widens each stored weight back to float32 under its original name, so the rest of the graph is
/// unchanged.</summary>
public enum OnnxWeightFormat
{
    /// <summary>Float32 weights, as trained (4 bytes a weight).</summary>
    Float32,

    /// <summary>Float16 weights (2 bytes a weight; about 3 significant decimal digits), each widened by a <c>Cast</c>
    /// node that ONNX Runtime folds into a float32 constant when it opens the session, so scoring runs as fast as with
    /// float32.</summary>
    Float16,

    /// <summary>Int8 weights with one float32 scale per output channel, symmetric (1 byte a weight, rounding error at
    /// most half a scale step, 1/254 of the channel's largest magnitude), each widened by a <c>Cast</c> and a
    /// <c>Mul</c> by its scales, which ONNX Runtime folds into a float32 constant when it opens the session, so scoring
    /// runs as fast as with float32.</summary>
    Int8,
}
