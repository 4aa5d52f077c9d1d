using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Tests.Tiers;
using SkiaSharp;

namespace Keypoints.MLNet.Tests.Serving;

/// <summary>The HTTP API of <c>keypoints serve</c> on a real Kestrel server: <c>POST /faces</c> for good and bad
/// uploads,
/// <c>GET /health</c> and <c>GET /</c>.</summary>
public sealed class FaceServerTests(FaceServerFixture server) : IClassFixture<FaceServerFixture>
{
    [Fact]
    public async Task Health_AnswersOk_WithTheModelsTerms()
    {
        using var response = await server.Client.GetAsync(new Uri("health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ok", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(FaceServerFixture.Terms, json.RootElement.GetProperty("terms").GetString());
    }

    [Fact]
    public async Task Root_IsThePageWithAPhotoPicker()
    {
        using var response = await server.Client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        string page = await response.Content.ReadAsStringAsync();
        Assert.Contains("<input id=\"file\" type=\"file\"", page, StringComparison.Ordinal);
        Assert.Contains("<p id=\"terms\">", page, StringComparison.Ordinal);
    }

    [TierFact(Needs.FaceData)]
    public async Task Faces_OfAJpegScene_AnswersEveryFaceAsThePredictorFindsIt_WithNamedKeypointsInPhotoPixels()
    {
        string photo = FaceServerFixture.Scenes(1)[0];
        var expected = server.Faces.Predict(photo);

        using var json = await PostOk(await File.ReadAllBytesAsync(photo), "image/jpeg");

        var root = json.RootElement;
        Assert.Equal((640, 480), (root.GetProperty("width").GetInt32(), root.GetProperty("height").GetInt32()));
        Assert.Equal("Ibug68", root.GetProperty("layout").GetString());
        var faces = root.GetProperty("faces").EnumerateArray().ToArray();
        Assert.InRange(faces.Length, 2, 4);
        Assert.Equal(expected.Count, faces.Length);
        for (int f = 0; f < faces.Length; f++)
        {
            Assert.Equal(expected[f].Score, faces[f].GetProperty("score").GetSingle(), 4);
            Assert.Equal(expected[f].Box.Left, faces[f].GetProperty("box").GetProperty("left").GetSingle(), 2);
            Assert.Equal(expected[f].Box.Height, faces[f].GetProperty("box").GetProperty("height").GetSingle(), 2);
            var points = faces[f].GetProperty("keypoints").EnumerateArray().ToArray();
            Assert.Equal(KeypointLayout.Ibug68.KeypointNames, points.Select(p => p.GetProperty("name").GetString()));
            Assert.Equal(expected[f]["nose_bridge_27"].X, points[27].GetProperty("x").GetSingle(), 2);
            Assert.Equal(expected[f]["nose_bridge_27"].Y, points[27].GetProperty("y").GetSingle(), 2);
        }
    }

    [TierFact(Needs.FaceData)]
    public async Task Faces_PostedByMoreClientsThanTheServerScoresAtOnce_AllGetTheSameAnswer()
    {
        byte[] body = await File.ReadAllBytesAsync(FaceServerFixture.Scenes(1)[0]);
        int clients = (2 * FaceServerFixture.Limits.MaxConcurrentScoring) + 2;

        string[] answers = await Task.WhenAll(
            Enumerable
                .Range(0, clients)
                .Select(async _ =>
                {
                    using var json = await PostOk(body, "image/jpeg");
                    return json.RootElement.GetRawText();
                })
        );

        Assert.All(answers, a => Assert.Equal(answers[0], a));
    }

    [TierFact(Needs.FaceData)]
    public async Task Faces_OfAPng_AnswersTheSameFacesAsTheJpeg()
    {
        string photo = FaceServerFixture.Scenes(2)[1];
        using var bitmap = SKBitmap.Decode(photo);
        using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);

        using var fromJpeg = await PostOk(await File.ReadAllBytesAsync(photo), "image/jpeg");
        using var fromPng = await PostOk(png.ToArray(), "image/png");

        Assert.Equal(
            fromJpeg.RootElement.GetProperty("faces").GetArrayLength(),
            fromPng.RootElement.GetProperty("faces").GetArrayLength()
        );
    }

    [TierFact(Needs.FaceData)]
    public async Task Faces_RefusesBadUploadsWithA4xxJsonError_AndAGoodUploadAfterThemStillScores()
    {
        byte[] photo = await File.ReadAllBytesAsync(FaceServerFixture.Scenes(1)[0]);
        using var before = await PostOk(photo, "image/jpeg");

        await AssertRefused([], HttpStatusCode.BadRequest, "empty");
        await AssertRefused("this is not an image"u8.ToArray(), HttpStatusCode.UnsupportedMediaType, "not an image");
        await AssertRefused(photo[..(photo.Length / 2)], HttpStatusCode.BadRequest, "truncated");
        await AssertRefused(
            WidePng(FaceServerFixture.Limits.Image.MaxImageSide + 1, 8),
            HttpStatusCode.RequestEntityTooLarge,
            "2001 x 8"
        );
        await AssertRefused(WidePng(1800, 1800), HttpStatusCode.RequestEntityTooLarge, "1800 x 1800");
        await AssertRefused(
            new byte[FaceServerFixture.Limits.MaxBodyBytes + 1],
            HttpStatusCode.RequestEntityTooLarge,
            "larger than"
        );

        using var after = await PostOk(photo, "image/jpeg");
        Assert.Equal(before.RootElement.GetRawText(), after.RootElement.GetRawText());
    }

    private async Task<JsonDocument> PostOk(byte[] body, string mediaType)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var response = await server.Client.PostAsync(new Uri("faces", UriKind.Relative), content);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text);
    }

    private async Task AssertRefused(byte[] body, HttpStatusCode status, string messagePart)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        using var response = await server.Client.PostAsync(new Uri("faces", UriKind.Relative), content);
        string text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(text);
        Assert.Contains(messagePart, json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    /// <summary>A plain grey PNG: a few kilobytes on the wire, however many pixels.</summary>
    private static byte[] WidePng(int width, int height)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(SKColors.Gray);
        using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }
}
