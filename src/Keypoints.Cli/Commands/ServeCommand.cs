using System.CommandLine;
using System.Net;
using Keypoints.Cli.Serving;
using Keypoints.MLNet;
using Keypoints.MLNet.Images;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.ML;

namespace Keypoints.Cli.Commands;

/// <summary><c>serve</c>: a web server (<see cref="FaceServer"/>) that finds every face's keypoints in posted photos
/// with a saved model, until Ctrl+C.</summary>
internal sealed class ServeCommand : Command
{
    private readonly Option<string> model = ModelArgument.Create(
        "A model saved by train (either kind) or exported",
        defaultName: PretrainedModelsCatalog.Face68Name
    );
    private readonly Option<int> port = new("--port") { Description = "The TCP port", DefaultValueFactory = _ => 5000 };
    private readonly Option<string> host = new("--host")
    {
        Description = "The IP address to listen on; 127.0.0.1 serves this machine only, 0.0.0.0 every network",
        DefaultValueFactory = _ => "127.0.0.1",
    };
    private readonly Option<double> maxBodyMegabytes = new("--max-body-mb")
    {
        Description = "The largest photo upload in MiB",
        DefaultValueFactory = _ => ServeLimits.Default.MaxBodyBytes / (double)(1 << 20),
    };
    private readonly ImageLimitOptions imageLimits = new(ServeLimits.Default.Image, "upload");

    private readonly Option<int> maxConcurrent = new("--max-concurrent")
    {
        Description =
            "How many uploads decode and score at once; the others wait up to 30 s for a turn, then get a 503",
        DefaultValueFactory = _ => ServeLimits.Default.MaxConcurrentScoring,
    };

    public ServeCommand()
        : base(
            "serve",
            CommandHelp.With(
                "Serve a model over HTTP: POST /faces with a JPEG or PNG body answers every face's box and keypoints "
                    + "as JSON; GET / is a page that draws them; GET /health",
                "keypoints serve",
                "keypoints serve --model mine.zip --port 8080"
            )
        )
    {
        Options.Add(model);
        Options.Add(port);
        Options.Add(host);
        Options.Add(maxBodyMegabytes);
        imageLimits.AddTo(this);
        Options.Add(maxConcurrent);
        SetAction(result =>
            Run(result.GetRequiredValue(model), result.GetValue(host)!, result.GetValue(port), Limits(result))
        );
    }

    private ServeLimits Limits(ParseResult result)
    {
        double body = result.GetValue(maxBodyMegabytes);
        int concurrent = result.GetValue(maxConcurrent);
        if (body <= 0 || concurrent < 1)
            throw new UsageException("--max-body-mb and --max-concurrent must be positive.");
        return new ServeLimits((long)(body * (1 << 20)), imageLimits.Read(result))
        {
            MaxConcurrentScoring = concurrent,
        };
    }

    private static int Run(string modelArgument, string host, int port, ServeLimits limits)
    {
        if (!IPAddress.TryParse(host, out var address))
            throw new UsageException($"--host '{host}' is not an IP address (for example 127.0.0.1 or 0.0.0.0).");
        if (port is < 0 or > 65535)
            throw new UsageException($"--port {port} is not a TCP port (0 to 65535).");
        var ml = new MLContext();
        using var keypointModel = ml.Keypoints.LoadModel(ModelArgument.Resolve(modelArgument));
        // Requests run side by side, one core each.
        using var faces = ml.Keypoints.Photos(keypointModel, PhotoThreadsOption.OneCoreEach(ImageDecodeLimits.Default));
        using var app = FaceServer.Create(
            faces,
            new ServedModel(keypointModel.Layout.Name, keypointModel.Metadata.Terms),
            limits,
            address,
            port
        );
        app.Start();
        Console.WriteLine(
            $"serving {modelArgument} ({keypointModel.Layout.Name}, {keypointModel.Layout.KeypointCount} keypoints) at "
                + $"{string.Join(", ", app.Urls)}; Ctrl+C stops"
        );
        ModelTerms.Print(keypointModel.Metadata);
        app.WaitForShutdown();
        return 0;
    }
}
