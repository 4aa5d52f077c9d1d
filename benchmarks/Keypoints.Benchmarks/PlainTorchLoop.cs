using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Networks;
using static TorchSharp.torch;

namespace Keypoints.Benchmarks;

/// <summary>
/// The baseline: the training loop one would write by hand in TorchSharp over the same network,
/// batch size and tensors as the library (Adam, masked MSE, half of each batch flipped), with no
/// ML.NET, no schedules, no validation and no reporting.
/// </summary>
/// <remarks>
/// The network comes from the library's own factory (the library lets this assembly see its internals), so both
/// loops run the same modules and kernels: Conv6's channels-last convolutions included.
/// </remarks>
internal static class PlainTorchLoop
{
    /// <summary>Trains a fresh <paramref name="architecture"/> for <paramref name="epochs"/> epochs over
    /// <c>[N, C, H, W]</c> images and <c>[N, 30]</c> Kaggle targets and mask, and returns each epoch's images per
    /// second.</summary>
    public static double[] ImagesPerSecond(
        KeypointArchitecture architecture,
        Tensor images,
        Tensor targets,
        Tensor mask,
        int batchSize,
        int epochs,
        int seed
    )
    {
        manual_seed(seed);
        var input = new NetworkInput((int)images.shape[1], (int)images.shape[2], (int)images.shape[3]);
        using var network = NetworkFactory.Create(architecture, input, (int)targets.shape[1]);
        using var optimizer = optim.Adam(network.parameters(), 1e-3);
        var layout = KeypointLayout.Kaggle15;
        using var permutation = tensor(
            Enumerable.Range(0, 30).Select(i => (long)(2 * layout.FlipPermutation[i / 2] + i % 2)).ToArray()
        );
        using var sign = tensor(Enumerable.Range(0, 30).Select(i => i % 2 == 0 ? -1f : 1f).ToArray());
        using var shift = tensor(Enumerable.Range(0, 30).Select(i => i % 2 == 0 ? -1f / 48 : 0f).ToArray());
        var random = new Random(seed);
        int rows = (int)images.shape[0];
        network.train();
        double[] rates = new double[epochs];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            long[] order = Enumerable.Range(0, rows).Select(i => (long)i).ToArray();
            random.Shuffle(order);
            for (int start = 0; start < rows; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var index = tensor(order[start..Math.Min(rows, start + batchSize)]);
                var x = images.index_select(0, index);
                var y = targets.index_select(0, index);
                var m = mask.index_select(0, index);
                var flip = tensor(Enumerable.Range(0, (int)index.shape[0] / 2).Select(i => (long)i).ToArray());
                x.index_copy_(0, flip, x.index_select(0, flip).flip(3));
                y.index_copy_(0, flip, y.index_select(0, flip).index_select(1, permutation) * sign + shift);
                m.index_copy_(0, flip, m.index_select(0, flip).index_select(1, permutation));
                var loss = ((network.forward(x) - y) * m).square().sum() / m.sum().clamp_min(1);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                loss.item<float>();
            }
            rates[epoch] = rows / clock.Elapsed.TotalSeconds;
        }
        return rates;
    }
}
