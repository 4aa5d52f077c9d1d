using Keypoints.MLNet.Onnx;
using static TorchSharp.torch;

namespace Keypoints.MLNet.Networks;

/// <summary>
/// The trained networks of one model and which coordinates each predicts: one network for every coordinate,
/// or specialists for keypoint groups with the base network filling in what no specialist covers.
/// Maps normalized images <c>[N, C, H, W]</c> to scaled coordinates <c>[N, 2K]</c> in the layout's order,
/// in TorchSharp and as ONNX nodes.
/// </summary>
internal sealed class KeypointEnsemble : IDisposable
{
    /// <summary>Combines <paramref name="members"/>; every coordinate must come from exactly one member.</summary>
    /// <exception cref="ArgumentException">A coordinate is provided twice or not at all, or a member's columns and
    /// coordinates differ in number.</exception>
    public KeypointEnsemble(IReadOnlyList<EnsembleMember> members, int coordinateCount)
    {
        if (members.Count == 0)
            throw new ArgumentException("An ensemble needs at least one network.", nameof(members));
        int[] provider = new int[coordinateCount];
        Array.Fill(provider, -1);
        for (int m = 0; m < members.Count; m++)
        {
            var member = members[m];
            if (member.OutputColumns.Length != member.Coordinates.Length)
            {
                throw new ArgumentException(
                    $"Member '{member.Name}' uses {member.OutputColumns.Length} outputs for "
                        + $"{member.Coordinates.Length} coordinates.",
                    nameof(members)
                );
            }

            foreach (int c in member.Coordinates)
            {
                if (c < 0 || c >= coordinateCount || provider[c] >= 0)
                {
                    throw new ArgumentException(
                        $"Coordinate {c} is out of range or provided twice (by member '{member.Name}').",
                        nameof(members)
                    );
                }

                provider[c] = m;
            }
        }
        if (Array.IndexOf(provider, -1) is var missing and >= 0)
            throw new ArgumentException($"No member of the ensemble provides coordinate {missing}.", nameof(members));
        Members = members.ToArray();
        CoordinateCount = coordinateCount;
    }

    /// <summary>The networks and what each provides.</summary>
    public IReadOnlyList<EnsembleMember> Members { get; }

    /// <summary>Coordinates predicted, <c>2K</c>.</summary>
    public int CoordinateCount { get; }

    /// <summary>The input geometry of the networks.</summary>
    public NetworkInput Input => Members[0].Network.Input;

    /// <summary>An ensemble of one network that predicts every coordinate in order.</summary>
    public static KeypointEnsemble Single(KeypointNetwork network)
    {
        int[] all = Enumerable.Range(0, network.Outputs).ToArray();
        return new KeypointEnsemble([new EnsembleMember("base", network, all, all)], network.Outputs);
    }

    /// <summary>Puts every network in evaluation mode.</summary>
    public void Eval()
    {
        foreach (var member in Members)
            member.Network.eval();
    }

    /// <summary>Scaled coordinates <c>[N, 2K]</c> for normalized images <paramref name="images"/>, without
    /// gradients.</summary>
    public Tensor Forward(Tensor images)
    {
        using var noGrad = no_grad();
        var result = zeros(new long[] { images.shape[0], CoordinateCount }, device: images.device);
        using var scope = NewDisposeScope();
        foreach (var member in Members)
        {
            var columns = tensor(member.OutputColumns.Select(c => (long)c).ToArray(), device: images.device);
            var coordinates = tensor(member.Coordinates.Select(c => (long)c).ToArray(), device: images.device);
            result.index_copy_(1, coordinates, member.Network.forward(images).index_select(1, columns));
        }
        return result;
    }

    /// <summary>Appends every network to <paramref name="graph"/> (each under its own initializer scope), reading the
    /// NCHW tensor <paramref name="input"/>, and returns the name of the <c>[N, 2K]</c> output in layout
    /// order.</summary>
    public string ExportOnnx(OnnxGraphBuilder graph, string input)
    {
        if (Members.Count == 1 && IsIdentity(Members[0].OutputColumns, Members[0].Network.Outputs))
            return Members[0].Network.ExportOnnx(graph, input);
        var parts = new List<string>();
        var order = new List<int>();
        foreach (var member in Members)
        {
            string output;
            using (graph.BeginInitializerScope(member.Name))
            {
                output = member.Network.ExportOnnx(graph, input);
                if (!IsIdentity(member.OutputColumns, member.Network.Outputs))
                {
                    string columns = graph.AddInitializer(
                        "used_columns",
                        member.OutputColumns.Select(c => (long)c).ToArray(),
                        member.OutputColumns.Length
                    );
                    output = graph.AddNode(
                        "Gather",
                        [output, columns],
                        [graph.UniqueName(member.Name + "_used")],
                        OnnxAttribute.Int("axis", 1)
                    );
                }
            }
            parts.Add(output);
            order.AddRange(member.Coordinates);
        }
        string joined = graph.AddNode(
            "Concat",
            parts.ToArray(),
            [graph.UniqueName("ensemble")],
            OnnxAttribute.Int("axis", 1)
        );
        // joined[:, j] holds coordinate order[j]; the layout wants coordinate c at column c.
        long[] positions = new long[CoordinateCount];
        for (int j = 0; j < order.Count; j++)
            positions[order[j]] = j;
        return graph.AddNode(
            "Gather",
            [joined, graph.AddInitializer("layout_order", positions, positions.Length)],
            [graph.UniqueName("ensemble_ordered")],
            OnnxAttribute.Int("axis", 1)
        );
    }

    private static bool IsIdentity(int[] columns, int outputs)
    {
        if (columns.Length != outputs)
            return false;
        for (int i = 0; i < columns.Length; i++)
        {
            if (columns[i] != i)
                return false;
        }
        return true;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var member in Members)
            member.Network.Dispose();
    }
}
