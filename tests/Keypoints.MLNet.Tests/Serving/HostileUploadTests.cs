using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Keypoints.MLNet.Tests.Images;

namespace Keypoints.MLNet.Tests.Serving;

/// <summary><c>POST /faces</c> with every file of the hostile corpus (<see cref="HostileImageFiles"/>): each gets
/// faces or a 4xx JSON error (413 for a header over the server's limits, before decoding), and the server still
/// answers a valid photo as before.</summary>
public sealed class HostileUploadTests(FaceServerFixture server, HostileImageFiles corpus)
    : IClassFixture<FaceServerFixture>,
        IClassFixture<HostileImageFiles>
{
    private static readonly HttpStatusCode[] Refusals =
    [
        HttpStatusCode.BadRequest,
        HttpStatusCode.RequestEntityTooLarge,
        HttpStatusCode.UnsupportedMediaType,
    ];

    [Fact]
    public async Task Faces_OfEveryCorpusFile_AnswersFacesOrA4xxJsonError_AndTheServerGoesOn()
    {
        string before = await Post(corpus["valid.jpg"].Bytes, HttpStatusCode.OK);
        var failures = new List<string>();

        foreach (var file in corpus.Files)
        {
            var (status, text) = await PostAsync(file.Bytes);
            using var json = JsonDocument.Parse(text);
            bool expected = file.Expected switch
            {
                HostileImageFiles.Kind.Valid => status == HttpStatusCode.OK,
                HostileImageFiles.Kind.Bomb => status == HttpStatusCode.RequestEntityTooLarge,
                _ => status == HttpStatusCode.OK || Refusals.Contains(status),
            };
            bool answered =
                status == HttpStatusCode.OK
                    ? json.RootElement.TryGetProperty("faces", out _)
                    : json.RootElement.GetProperty("error").GetString()!.Length > 0;
            if (!expected || !answered)
                failures.Add($"{file}: {(int)status} {text}");
        }

        Assert.Empty(failures);
        Assert.Equal(before, await Post(corpus["valid.jpg"].Bytes, HttpStatusCode.OK));
    }

    private async Task<string> Post(byte[] body, HttpStatusCode expected)
    {
        var (status, text) = await PostAsync(body);
        Assert.Equal(expected, status);
        return text;
    }

    private async Task<(HttpStatusCode Status, string Text)> PostAsync(byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await server.Client.PostAsync(new Uri("faces", UriKind.Relative), content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
