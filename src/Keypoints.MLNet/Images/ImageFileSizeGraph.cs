using Keypoints.MLNet.Onnx;
using Keypoints.MLNet.Onnx.Proto;

namespace Keypoints.MLNet.Images;

/// <summary>
/// ONNX nodes that read an image's width and height from the header of its file: the bytes of ML.NET's
/// <c>LoadRawImageBytes</c>, as a <c>uint8 [1, n]</c> tensor. ML.NET's image pipeline forgets the size of a photo (its
/// <c>ExtractPixels</c> needs a fixed size, so a photo must first be resized), and ONNX Runtime implements no image
/// decoder, so a saved model that must answer in the photo's own pixels reads the size where the file format stores it.
/// </summary>
/// <remarks>
/// <para>Formats and where their size lies (all offsets in bytes from the file's start):</para>
/// <list type="bullet">
/// <item>PNG: the IHDR chunk, big-endian 32-bit width at 16 and height at 20.</item>
/// <item>JPEG: the first start-of-frame segment (markers C0-CF except C4, C8, CC), found by walking the segments from
/// the start-of-image marker over their lengths (and over 0xFF fill bytes before a marker), up to <see
/// cref="JpegSegments"/> steps (a camera's EXIF, ICC and XMP segments are a handful); big-endian 16-bit height at 5 and
/// width at 7 from the marker. The EXIF thumbnail's own frame lies inside a segment, so the walk never reads it.</item>
/// <item>GIF: little-endian 16-bit width at 6 and height at 8.</item>
/// <item>BMP: little-endian 32-bit width at 18 and height at 22 (negative for top-down rows).</item>
/// <item>WebP: the first chunk, VP8 (14-bit sizes at 26 and 28), VP8L (14-bit sizes minus one, bit-packed from 21) or
/// VP8X (24-bit sizes minus one at 24 and 27).</item>
/// </list>
/// <para>Any other file gives 0 x 0.</para>
/// </remarks>
internal static class ImageFileSizeGraph
{
    /// <summary>How many JPEG segments the walk follows before giving up.</summary>
    public const int JpegSegments = 32;

    private const int HeaderLength = 32;

    /// <summary>Adds the nodes; returns the width and height as float32 tensors of shape [1], 0 for an unknown
    /// format.</summary>
    /// <param name="graph">The graph to add to.</param>
    /// <param name="fileBytes">A <c>uint8 [1, n]</c> tensor of the file's bytes.</param>
    public static (string Width, string Height) Add(OnnxGraphBuilder graph, string fileBytes)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var reader = new HeaderReader(graph, fileBytes);
        var (pngWidth, pngHeight) = (reader.BigEndian(16, 4), reader.BigEndian(20, 4));
        var (gifWidth, gifHeight) = (reader.LittleEndian(6, 2), reader.LittleEndian(8, 2));
        var (bmpWidth, bmpHeight) = (reader.LittleEndian(18, 4), reader.AbsoluteInt32(reader.LittleEndian(22, 4)));
        string webp = graph.Apply("Mul", reader.Is(0, "RIFF"u8), reader.Is(8, "WEBP"u8));
        string vp8 = graph.Apply("Mul", webp, reader.Is(12, "VP8 "u8));
        string vp8Lossless = graph.Apply("Mul", webp, reader.Is(12, "VP8L"u8));
        string vp8Extended = graph.Apply("Mul", webp, reader.Is(12, "VP8X"u8));
        var (jpegWidth, jpegHeight) = reader.JpegFrameSize();
        string isJpeg = reader.Is(0, [0xFF, 0xD8]);
        string isPng = reader.Is(0, [0x89, (byte)'P', (byte)'N', (byte)'G']);
        string isGif = reader.Is(0, "GIF"u8);
        string isBmp = reader.Is(0, "BM"u8);
        string width = reader.Sum(
            (isPng, pngWidth),
            (isGif, gifWidth),
            (isBmp, bmpWidth),
            (isJpeg, jpegWidth),
            (vp8, reader.Modulo(reader.LittleEndian(26, 2), 1 << 14)),
            (
                vp8Lossless,
                reader.Plus(
                    1,
                    reader.Sum(
                        (reader.One, reader.Byte(21)),
                        (reader.Constant(256), reader.Modulo(reader.Byte(22), 64))
                    )
                )
            ),
            (vp8Extended, reader.Plus(1, reader.LittleEndian(24, 3)))
        );
        string height = reader.Sum(
            (isPng, pngHeight),
            (isGif, gifHeight),
            (isBmp, bmpHeight),
            (isJpeg, jpegHeight),
            (vp8, reader.Modulo(reader.LittleEndian(28, 2), 1 << 14)),
            (
                vp8Lossless,
                reader.Plus(
                    1,
                    reader.Sum(
                        (reader.One, graph.Apply("Div", reader.Byte(22), reader.Constant(64))),
                        (reader.Constant(4), reader.Byte(23)),
                        (reader.Constant(1024), reader.Modulo(reader.Byte(24), 16))
                    )
                )
            ),
            (vp8Extended, reader.Plus(1, reader.LittleEndian(27, 3)))
        );
        var toFloat = OnnxAttribute.Int("to", (long)TensorProto.Types.DataType.Float);
        return (graph.Apply("Cast", [width], toFloat), graph.Apply("Cast", [height], toFloat));
    }

    /// <summary>Int64 arithmetic over the file's first bytes; every value is a tensor of shape [1].</summary>
    private sealed class HeaderReader
    {
        private readonly OnnxGraphBuilder graph;
        private readonly string padded;
        private readonly string header;
        private readonly Dictionary<int, string> bytes = [];
        private readonly Dictionary<long, string> constants = [];

        public HeaderReader(OnnxGraphBuilder graph, string fileBytes)
        {
            this.graph = graph;
            // The file stays bytes: only the few values read are widened to int64 (a camera JPEG is megabytes). Zeros
            // after it keep every read of a short or broken file inside the tensor.
            string flat = graph.Apply("Reshape", fileBytes, graph.Constant([-1L], 1));
            string zeros = graph.Apply(
                "Cast",
                [graph.Constant(new long[HeaderLength + 16], HeaderLength + 16)],
                OnnxAttribute.Int("to", (long)TensorProto.Types.DataType.Uint8)
            );
            padded = graph.Apply("Concat", [flat, zeros], OnnxAttribute.Int("axis", 0));
            header = Widen(
                graph.Apply("Slice", padded, graph.Constant([0L], 1), graph.Constant([(long)HeaderLength], 1))
            );
            One = Constant(1);
        }

        public string One { get; }

        public string Constant(long value)
        {
            if (!constants.TryGetValue(value, out string? name))
                constants[value] = name = graph.Constant([value], 1);
            return name;
        }

        public string Byte(int offset)
        {
            if (!bytes.TryGetValue(offset, out string? name))
                bytes[offset] = name = graph.Apply("Gather", header, Constant(offset));
            return name;
        }

        /// <summary>1 where the bytes at <paramref name="offset"/> are <paramref name="expected"/>, else 0.</summary>
        public string Is(int offset, ReadOnlySpan<byte> expected)
        {
            string result = One;
            for (int i = 0; i < expected.Length; i++)
                result = graph.Apply("Mul", result, Equal(Byte(offset + i), Constant(expected[i])));
            return result;
        }

        public string BigEndian(int offset, int length)
        {
            string value = Byte(offset);
            for (int i = 1; i < length; i++)
                value = graph.Apply("Add", graph.Apply("Mul", value, Constant(256)), Byte(offset + i));
            return value;
        }

        public string LittleEndian(int offset, int length)
        {
            string value = Byte(offset + length - 1);
            for (int i = length - 2; i >= 0; i--)
                value = graph.Apply("Add", graph.Apply("Mul", value, Constant(256)), Byte(offset + i));
            return value;
        }

        /// <summary>|v| of an unsigned 32-bit value read as a signed one.</summary>
        public string AbsoluteInt32(string unsigned)
        {
            string negative = graph.Apply(
                "Cast",
                [graph.Apply("Greater", unsigned, Constant(int.MaxValue))],
                OnnxAttribute.Int("to", (long)TensorProto.Types.DataType.Int64)
            );
            string signed = graph.Apply("Sub", unsigned, graph.Apply("Mul", negative, Constant(1L << 32)));
            return graph.Apply("Abs", signed);
        }

        public string Modulo(string value, long divisor) => graph.Apply("Mod", value, Constant(divisor));

        public string Plus(long addend, string value) => graph.Apply("Add", value, Constant(addend));

        /// <summary>The sum of products <c>flag * value</c>.</summary>
        public string Sum(params (string Flag, string Value)[] terms)
        {
            string total = graph.Apply("Mul", terms[0].Flag, terms[0].Value);
            foreach (var (flag, value) in terms.Skip(1))
                total = graph.Apply("Add", total, graph.Apply("Mul", flag, value));
            return total;
        }

        /// <summary>The width and height of the first start-of-frame segment, 0 when none is found.</summary>
        public (string Width, string Height) JpegFrameSize()
        {
            long[] startOfFrame = new long[256];
            for (int marker = 0xC0; marker <= 0xCF; marker++)
                startOfFrame[marker] = marker is 0xC4 or 0xC8 or 0xCC ? 0 : 1;
            string isFrameMarker = graph.Constant(startOfFrame, 256);
            string offsets = graph.Constant([0L, 1, 2, 3, 4, 5, 6, 7, 8], 9);
            string last = graph.Apply("Sub", graph.Apply("Shape", padded), One);
            string position = Constant(2),
                found = Constant(0),
                width = found,
                height = found;
            for (int segment = 0; segment < JpegSegments; segment++)
            {
                string indices = graph.Apply("Min", graph.Apply("Add", position, offsets), last);
                string segmentStart = Widen(graph.Apply("Gather", padded, indices));
                string At(int i) => graph.Apply("Gather", segmentStart, Constant(i));
                string marker = At(1);
                string isFrame = graph.Apply(
                    "Mul",
                    graph.Apply("Mul", graph.Apply("Gather", isFrameMarker, marker), Equal(At(0), Constant(0xFF))),
                    graph.Apply("Sub", One, found)
                );
                height = Select(isFrame, Word(At(5), At(6)), height);
                width = Select(isFrame, Word(At(7), At(8)), width);
                found = graph.Apply("Add", found, isFrame);
                // A marker may be preceded by any number of 0xFF fill bytes: at FF FF the walk steps one byte, else
                // over the segment (its length counts itself but not the marker).
                string isFill = Equal(marker, Constant(0xFF));
                string step = Select(isFill, One, graph.Apply("Add", Word(At(2), At(3)), Constant(2)));
                position = graph.Apply("Add", position, graph.Apply("Mul", step, graph.Apply("Sub", One, found)));
            }
            return (width, height);
        }

        private string Widen(string bytes) =>
            graph.Apply("Cast", [bytes], OnnxAttribute.Int("to", (long)TensorProto.Types.DataType.Int64));

        private string Word(string high, string low) =>
            graph.Apply("Add", graph.Apply("Mul", high, Constant(256)), low);

        /// <summary><paramref name="value"/> where <paramref name="flag"/> is 1, else <paramref
        /// name="otherwise"/>.</summary>
        private string Select(string flag, string value, string otherwise) =>
            graph.Apply("Add", otherwise, graph.Apply("Mul", flag, graph.Apply("Sub", value, otherwise)));

        private string Equal(string a, string b) =>
            graph.Apply(
                "Cast",
                [graph.Apply("Equal", a, b)],
                OnnxAttribute.Int("to", (long)TensorProto.Types.DataType.Int64)
            );
    }
}
