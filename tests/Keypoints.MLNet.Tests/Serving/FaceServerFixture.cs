using System.Net;
using Keypoints.MLNet.Photos;
using Keypoints.MLNet.Scoring;
using Keypoints.MLNet.Tests.Photos;
using Keypoints.Samples.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.ML;

namespace Keypoints.MLNet.Tests.Serving;

/// <summary>The <c>serve</c> command's server, in process on a free loopback port, with a synthetic 68-point model (every
/// keypoint at one point of the face's frame) and the real face detector, and small limits that the tests can pass.</summary>
public sealed class FaceServerFixture : IAsyncLifetime
{
    /// <summary>1 MiB bodies, sides up to 2000 pixels, 3 megapixels.</summary>
    internal static readonly ServeLimits Limits = new(1L << 20, 2000, 3_000_000);

    private readonly KeypointCnnModel model;
    private WebApplication? app;

    public FaceServerFixture()
    {
        var ml = new MLContext(seed: 1);
        model = FixedPointModels.Create(ml, 24, 20);
        Faces = ml.Keypoints.Photos(model);
    }

    /// <summary>The predictor the server scores with, for comparing its answers with direct calls.</summary>
    internal FaceKeypointsPredictor Faces { get; }

    /// <summary>The server's address, for example <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Address { get; private set; } = new("http://127.0.0.1/");

    /// <summary>A client for <see cref="Address"/>.</summary>
    public HttpClient Client { get; } = new();

    public async Task InitializeAsync()
    {
        app = FaceServer.Create(Faces, model.Layout.Name, Limits, IPAddress.Loopback, 0);
        await app.StartAsync();
        Address = new Uri(app.Urls.Single().TrimEnd('/') + "/");
        Client.BaseAddress = Address;
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        Faces.Dispose();
        model.Dispose();
    }

    /// <summary>The paths of the first <paramref name="count"/> scene photos (640 x 480 JPEGs with 2-4 faces each).</summary>
    internal static string[] Scenes(int count) =>
        [.. Directory.GetFiles(SharedData.Path("photos", "scenes"), "*.jpg").Order(StringComparer.Ordinal).Take(count)];
}
