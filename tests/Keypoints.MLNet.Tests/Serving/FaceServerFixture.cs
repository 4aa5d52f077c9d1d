using Keypoints.Cli.Serving;
using Keypoints.MLNet.Images;
using Keypoints.MLNet.Photos;
using Keypoints.MLNet.Scoring;
using Keypoints.MLNet.Tests.Photos;
using Microsoft.ML;

namespace Keypoints.MLNet.Tests.Serving;

/// <summary>The <c>serve</c> command's server with a synthetic 68-point model (every keypoint at one point of the
/// face's frame) and the real face detector, and small limits that the tests can pass.</summary>
public sealed class FaceServerFixture : IAsyncLifetime
{
    /// <summary>1 MiB bodies, sides up to 2000 pixels, 3 megapixels.</summary>
    internal static readonly ServeLimits Limits = new(
        1L << 20,
        new ImageDecodeLimits { MaxImageSide = 2000, MaxImagePixels = 3_000_000 }
    );

    private readonly MLContext ml = new(seed: 1);
    private readonly KeypointCnnModel model;
    private RunningFaceServer? server;

    /// <summary>The terms the served model records.</summary>
    internal const string Terms = "Research use only: the test's terms.";

    public FaceServerFixture()
    {
        using var plain = FixedPointModels.Create(ml, 24, 20);
        model = plain.WithTerms(Terms);
    }

    /// <summary>The predictor the server scores with.</summary>
    internal FaceKeypointsPredictor Faces => Server.Faces;

    /// <summary>A client for the server's address.</summary>
    public HttpClient Client => Server.Client;

    private RunningFaceServer Server => server ?? throw new InvalidOperationException("The server has not started.");

    public async Task InitializeAsync() => server = await RunningFaceServer.StartAsync(ml, model, Limits);

    public async Task DisposeAsync()
    {
        if (server is not null)
            await server.DisposeAsync();
        model.Dispose();
    }

    /// <summary>The paths of the first <paramref name="count"/> scene photos (640 x 480 JPEGs with 2-4 faces
    /// each).</summary>
    internal static string[] Scenes(int count) =>
        [.. Directory.GetFiles(SharedData.Path("photos", "scenes"), "*.jpg").Order(StringComparer.Ordinal).Take(count)];
}
