using System.Net;
using Keypoints.Cli.Serving;
using Keypoints.MLNet.Photos;
using Keypoints.MLNet.Scoring;
using Microsoft.AspNetCore.Builder;
using Microsoft.ML;

namespace Keypoints.MLNet.Tests.Serving;

/// <summary>The <c>serve</c> command's server, started in process on a free loopback port for a model; stopped on
/// dispose.</summary>
internal sealed class RunningFaceServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private RunningFaceServer(WebApplication app, FaceKeypointsPredictor faces)
    {
        this.app = app;
        Faces = faces;
        Address = new Uri(app.Urls.Single().TrimEnd('/') + "/");
        Client = new HttpClient { BaseAddress = Address };
    }

    /// <summary>The predictor the server scores with, for comparing its answers with direct calls.</summary>
    public FaceKeypointsPredictor Faces { get; }

    /// <summary>The server's address, for example <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Address { get; }

    /// <summary>A client for <see cref="Address"/>.</summary>
    public HttpClient Client { get; }

    /// <summary>Starts a server for <paramref name="model"/> (which must outlive it) with <paramref
    /// name="limits"/>.</summary>
    public static async Task<RunningFaceServer> StartAsync(MLContext ml, IKeypointModel model, ServeLimits limits)
    {
        var faces = ml.Keypoints.Photos(model);
        var app = FaceServer.Create(
            faces,
            new ServedModel(model.Layout.Name, model.Metadata.Terms),
            limits,
            IPAddress.Loopback,
            0
        );
        await app.StartAsync();
        return new RunningFaceServer(app, faces);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        Faces.Dispose();
    }
}
