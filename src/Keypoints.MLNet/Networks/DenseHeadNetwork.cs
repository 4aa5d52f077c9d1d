using Keypoints.MLNet.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Keypoints.MLNet.Networks;

/// <summary>A convolutional trunk (<see cref="KeypointNetwork.Features"/>) followed by the dense head: flatten,
/// <c>dense1</c> and <c>dense2</c> with rectification, then the linear <c>output</c>.</summary>
/// <remarks>The head's fields keep their names (<c>dense1.weight</c>, ...: the state_dict keys of saved networks), and
/// TorchSharp registers a base class's fields after the derived class's, so parameters stay in trunk-then-head order.
/// The derived constructor creates its trunk first, then calls <see cref="CreateDenseHead"/> (the random initialisation
/// follows creation order), then <c>RegisterComponents</c>.</remarks>
internal abstract class DenseHeadNetwork : KeypointNetwork
{
    protected Linear dense1 = null!;
    protected Linear dense2 = null!;
    protected Linear output = null!;

    protected DenseHeadNetwork(string name, NetworkInput input, int outputs)
        : base(name, input, outputs) { }

    /// <summary>Creates <c>dense1</c> (<paramref name="features"/> inputs), <c>dense2</c> (both of <paramref
    /// name="hidden"/> units) and <c>output</c>.</summary>
    protected void CreateDenseHead(long features, int hidden)
    {
        dense1 = Linear(features, hidden);
        dense2 = Linear(hidden, hidden);
        output = Linear(hidden, Outputs);
    }

    /// <inheritdoc/>
    /// <remarks>Rectification is in place: a dense layer's backward pass needs its input, not its output.</remarks>
    public sealed override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = AfterFirstDense(dense1.forward(Features(input).flatten(1)).relu_());
        x = dense2.forward(x).relu_();
        return output.forward(x).MoveToOuterDisposeScope();
    }

    /// <summary>What runs between <c>dense1</c> and <c>dense2</c> (dropout while training); the identity by
    /// default.</summary>
    protected virtual Tensor AfterFirstDense(Tensor x) => x;

    /// <inheritdoc/>
    /// <remarks>Dropout, the identity when scoring, writes no node.</remarks>
    public sealed override string ExportOnnx(OnnxGraphBuilder graph, string input)
    {
        string x = OnnxLayerWriter.Flatten(graph, ExportFeatures(graph, input));
        x = OnnxLayerWriter.Relu(graph, OnnxLayerWriter.Linear(graph, "dense1", dense1, x));
        x = OnnxLayerWriter.Relu(graph, OnnxLayerWriter.Linear(graph, "dense2", dense2, x));
        return OnnxLayerWriter.Linear(graph, "output", output, x);
    }

    /// <summary>Writes <see cref="KeypointNetwork.Features"/> as ONNX nodes and returns the feature maps'
    /// name.</summary>
    protected abstract string ExportFeatures(OnnxGraphBuilder graph, string input);
}
