using Keypoints.MLNet.Images;
using Keypoints.MLNet.Onnx;
using Keypoints.MLNet.Onnx.Proto;
using Microsoft.ML.OnnxRuntime;
using SkiaSharp;

namespace Keypoints.MLNet.Tests.Images;

/// <summary>The photo size read from the file's header by ONNX nodes, for every format the photo model
/// accepts.</summary>
public sealed class ImageFileSizeGraphTests
{
    private const int Width = 37,
        Height = 23;

    [Theory]
    [InlineData(SKEncodedImageFormat.Png)]
    [InlineData(SKEncodedImageFormat.Jpeg)]
    [InlineData(SKEncodedImageFormat.Webp)]
    public void Size_OfAFileSkiaSharpEncodes_IsTheImagesSize(SKEncodedImageFormat format)
    {
        Assert.Equal((Width, Height), ReadSize(Encode(format)));
    }

    [Fact]
    public void Size_OfALosslessWebp_IsTheImagesSize()
    {
        using var bitmap = Bitmap();
        using var pixmap = bitmap.PeekPixels();
        using var data = pixmap.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossless, 100))!;
        Assert.Equal((Width, Height), ReadSize(data.ToArray()));
    }

    [Fact]
    public void Size_OfAJpegWithAThumbnailInItsExifSegment_IsTheMainFramesSize()
    {
        byte[] jpeg = Encode(SKEncodedImageFormat.Jpeg);
        // An APP1 segment whose payload holds a thumbnail's start-of-frame marker (8 x 8) before the main frame's.
        byte[] thumbnailFrame = [0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x08, 0x00, 0x08, 0x03];
        byte[] app1 =
        [
            0xFF,
            0xE1,
            0x00,
            (byte)(2 + 6 + thumbnailFrame.Length),
            .. "Exif\0\0"u8.ToArray(),
            .. thumbnailFrame,
        ];
        byte[] withExif = [.. jpeg[..2], .. app1, .. jpeg[2..]];

        Assert.Equal((Width, Height), ReadSize(withExif));
    }

    [Fact]
    public void Size_OfAJpegWithFillBytesBeforeAMarker_IsTheFramesSize()
    {
        byte[] jpeg = Encode(SKEncodedImageFormat.Jpeg);
        // An empty APP0-like comment segment, then three 0xFF fill bytes before the next marker.
        byte[] comment = [0xFF, 0xFE, 0x00, 0x04, (byte)'h', (byte)'i', 0xFF, 0xFF, 0xFF];
        byte[] withFill = [.. jpeg[..2], .. comment, .. jpeg[2..]];

        Assert.Equal((Width, Height), ReadSize(withFill));
    }

    [Fact]
    public void Size_OfABmp_IsReadFromItsHeader_EvenWhenItsRowsRunTopDown()
    {
        byte[] header = new byte[54];
        "BM"u8.CopyTo(header);
        BitConverter.GetBytes(Width).CopyTo(header, 18);
        BitConverter.GetBytes(-Height).CopyTo(header, 22);
        Assert.Equal((Width, Height), ReadSize(header));
    }

    [Fact]
    public void Size_OfAGif_IsReadFromItsScreenDescriptor()
    {
        byte[] header = [.. "GIF89a"u8.ToArray(), Width, 0, Height, 0, 0, 0, 0, 0x3B];
        Assert.Equal((Width, Height), ReadSize(header));
    }

    [Theory]
    [InlineData("not an image at all")]
    [InlineData("")]
    public void Size_OfAnythingElse_IsZero(string text)
    {
        Assert.Equal((0, 0), ReadSize(System.Text.Encoding.ASCII.GetBytes(text)));
    }

    private static SKBitmap Bitmap()
    {
        var bitmap = new SKBitmap(Width, Height);
        bitmap.Erase(new SKColor(90, 140, 200));
        return bitmap;
    }

    private static byte[] Encode(SKEncodedImageFormat format)
    {
        using var bitmap = Bitmap();
        using var data = bitmap.Encode(format, 90);
        return data.ToArray();
    }

    private static (int Width, int Height) ReadSize(byte[] file)
    {
        var graph = new OnnxGraphBuilder("size");
        graph.AddInput("bytes", TensorProto.Types.DataType.Uint8, 1, -1);
        var (width, height) = ImageFileSizeGraph.Add(graph, "bytes");
        graph.AddNode("Identity", [width], ["width"]);
        graph.AddNode("Identity", [height], ["height"]);
        graph.AddOutput("width", 1);
        graph.AddOutput("height", 1);
        using var session = new InferenceSession(graph.ToModelBytes(opsetVersion: 16));
        using var input = OrtValue.CreateTensorValueFromMemory(file, [1, file.Length]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["bytes"], [input], ["width", "height"]);
        return ((int)outputs[0].GetTensorDataAsSpan<float>()[0], (int)outputs[1].GetTensorDataAsSpan<float>()[0]);
    }
}
