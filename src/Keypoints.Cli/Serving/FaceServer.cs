using System.Drawing;
using System.Net;
using Keypoints.MLNet.Detection;
using Keypoints.MLNet.Photos;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Keypoints.Cli.Serving;

/// <summary>The web server of <c>keypoints serve</c> (ASP.NET Core on Kestrel): <c>POST /faces</c> answers every face
/// of the posted photo as JSON (<see cref="FacesResponse"/>), <c>GET /</c> is a page that draws them over the photo,
/// <c>GET /health</c> says the server is up and names the model's layout and terms (<see cref="ServedModel"/>). A
/// request it cannot score gets a 4xx with an <see cref="ErrorResponse"/>, and the server goes on.</summary>
/// <remarks>One <see cref="FaceKeypointsPredictor"/> serves every request: it is safe from several threads at
/// once.</remarks>
internal sealed class FaceServer
{
    private const string PageResource = "Keypoints.Cli.Serving.FacesPage.html";
    private static readonly Lazy<string> Page = new(ReadPage);

    private readonly FaceKeypointsPredictor faces;
    private readonly ServedModel model;
    private readonly ServeLimits limits;

    // Bounds the requests that decode and score at once: the per-request limits bound one request's memory and time,
    // this bounds their sum, so that a burst of big photos cannot exhaust memory or starve /health of threads.
    private readonly SemaphoreSlim scoring;

    private FaceServer(FaceKeypointsPredictor faces, ServedModel model, ServeLimits limits)
    {
        this.faces = faces;
        this.model = model;
        this.limits = limits;
        scoring = new SemaphoreSlim(limits.MaxConcurrentScoring, limits.MaxConcurrentScoring);
    }

    /// <summary>Builds the server, listening on <paramref name="address"/>:<paramref name="port"/> (port 0: a free one,
    /// which <c>app.Urls</c> names once started); the caller starts it and owns <paramref name="faces"/>.</summary>
    /// <param name="faces">The photo predictor every request uses.</param>
    /// <param name="model">What the answers and <c>/health</c> say of the model.</param>
    /// <param name="limits">What <c>POST /faces</c> accepts.</param>
    /// <param name="address">The address to listen on; <see cref="IPAddress.Loopback"/> serves this machine
    /// only.</param>
    /// <param name="port">The TCP port, 0 for any free one.</param>
    public static WebApplication Create(
        FaceKeypointsPredictor faces,
        ServedModel model,
        ServeLimits limits,
        IPAddress address,
        int port
    )
    {
        ArgumentNullException.ThrowIfNull(faces);
        ArgumentNullException.ThrowIfNull(limits);
        var builder = WebApplication.CreateSlimBuilder(
            new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory }
        );
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(address, port);
            kestrel.Limits.MaxRequestBodySize = limits.MaxBodyBytes;
        });
        var app = builder.Build();
        var server = new FaceServer(faces, model, limits);
        app.Lifetime.ApplicationStopped.Register(server.scoring.Dispose);
        app.MapGet("/", () => Results.Content(Page.Value, "text/html; charset=utf-8"));
        app.MapGet("/health", () => Results.Json(
                new
                {
                    status = "ok",
                    layout = model.Layout,
                    terms = model.Terms,
                }
            ));
        app.MapPost("/faces", server.ScoreAsync);
        return app;
    }

    private async Task<IResult> ScoreAsync(HttpRequest request, CancellationToken cancellation)
    {
        var (body, refusal) = await ReadPhotoAsync(request, cancellation);
        if (refusal is not null)
            return refusal;
        if (!await scoring.WaitAsync(ServeLimits.QueueTimeout, cancellation))
        {
            request.HttpContext.Response.Headers.RetryAfter = "1";
            return Error(
                StatusCodes.Status503ServiceUnavailable,
                $"The server is scoring {limits.MaxConcurrentScoring} photos and more wait; try again in a moment."
            );
        }
        try
        {
            RgbImage photo;
            try
            {
                photo = RgbImage.Decode(body, limits.Image);
            }
            catch (InvalidDataException e)
            {
                return Error(StatusCodes.Status400BadRequest, e.Message);
            }
            var found = faces.Predict(photo);
            return Results.Json(
                new FacesResponse(photo.Width, photo.Height, model.Layout, [.. found.Select(Describe)])
            );
        }
        finally
        {
            scoring.Release();
        }
    }

    /// <summary>The body, or the answer that refuses it: too large, empty, not an image, or an image over the limits
    /// (read from its header, before any decoding).</summary>
    private async Task<(byte[] Body, IResult? Refusal)> ReadPhotoAsync(
        HttpRequest request,
        CancellationToken cancellation
    )
    {
        if (request.ContentLength > limits.MaxBodyBytes)
            return ([], BodyTooLarge(request.HttpContext.Response));
        byte[]? body;
        try
        {
            body = await ReadBodyAsync(request.Body, cancellation);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ([], BodyTooLarge(request.HttpContext.Response));
        }
        if (body is null)
            return ([], BodyTooLarge(request.HttpContext.Response));
        if (body.Length == 0)
        {
            return (
                [],
                Error(StatusCodes.Status400BadRequest, "The body is empty; POST the bytes of a JPEG or PNG photo.")
            );
        }

        return (body, CheckImageSize(body));
    }

    private IResult? CheckImageSize(byte[] body)
    {
        Size size;
        try
        {
            size = RgbImage.ReadSize(body);
        }
        catch (InvalidDataException e)
        {
            return Error(
                StatusCodes.Status415UnsupportedMediaType,
                $"{e.Message} POST the bytes of a JPEG or PNG photo."
            );
        }
        return limits.Image.Admits(size.Width, size.Height)
            ? null
            : Error(
                StatusCodes.Status413PayloadTooLarge,
                $"The image is {size.Width} x {size.Height} pixels; the server takes {limits.Image}."
            );
    }

    private static FaceResponse Describe(PhotoFace face)
    {
        var keypoints = new NamedKeypoint[face.KeypointNames.Count];
        for (int k = 0; k < keypoints.Length; k++)
            keypoints[k] = new NamedKeypoint(face.KeypointNames[k], face.Keypoints[2 * k], face.Keypoints[(2 * k) + 1]);
        return new FaceResponse(
            face.Score,
            new FaceBox(face.Box.Left, face.Box.Top, face.Box.Width, face.Box.Height),
            keypoints
        );
    }

    /// <summary>The body, or null once it passes <see cref="ServeLimits.MaxBodyBytes"/> (a body sent without a
    /// length).</summary>
    private async Task<byte[]?> ReadBodyAsync(Stream body, CancellationToken cancellation)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellation)) > 0)
        {
            if (buffer.Length + read > limits.MaxBodyBytes)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>The 413 for a body over the limit. The rest of the body is not read, so the connection closes after the
    /// answer (said in the answer, so that a client does not send its next request on it).</summary>
    private IResult BodyTooLarge(HttpResponse response)
    {
        response.Headers.Connection = "close";
        return Error(
            StatusCodes.Status413PayloadTooLarge,
            $"The body is larger than {limits.MaxBodyBytes} bytes, the most the server takes."
        );
    }

    private static IResult Error(int status, string message) =>
        Results.Json(new ErrorResponse(message), statusCode: status);

    private static string ReadPage()
    {
        using var stream = typeof(FaceServer).Assembly.GetManifestResourceStream(PageResource)
            ?? throw new InvalidOperationException($"The page {PageResource} is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
