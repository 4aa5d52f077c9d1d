using System.Buffers.Binary;

namespace Keypoints.MLNet.Tests.Images;

/// <summary>Byte-level edits of JPEG and PNG files for the hostile corpus: another size in the header (with the PNG
/// chunk's CRC fixed, so a decoder trusts it), and where the segments and chunks start.</summary>
internal static class CraftedImages
{
    private static readonly uint[] CrcTable = CreateCrcTable();

    /// <summary>The JPEG with its first start-of-frame segment declaring <paramref name="width"/> x <paramref
    /// name="height"/> pixels (each at most 65535), the rest unchanged.</summary>
    public static byte[] WithJpegSize(byte[] jpeg, int width, int height)
    {
        byte[] copy = (byte[])jpeg.Clone();
        int frame = JpegSegmentStarts(jpeg).First(s => jpeg[s + 1] is 0xC0 or 0xC1 or 0xC2);
        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(frame + 5), checked((ushort)height));
        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(frame + 7), checked((ushort)width));
        return copy;
    }

    /// <summary>The PNG with its IHDR chunk declaring <paramref name="width"/> x <paramref name="height"/> pixels and
    /// a correct CRC, the rest unchanged.</summary>
    public static byte[] WithPngSize(byte[] png, uint width, uint height)
    {
        byte[] copy = (byte[])png.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(16), width);
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(20), height);
        return WithPngCrcs(copy);
    }

    /// <summary>The offsets of the JPEG's markers from the start of image up to and including the start of scan, then
    /// the end-of-image marker.</summary>
    public static IReadOnlyList<int> JpegSegmentStarts(byte[] jpeg)
    {
        var starts = new List<int> { 0 };
        int offset = 2;
        while (offset + 4 <= jpeg.Length && jpeg[offset] == 0xFF)
        {
            starts.Add(offset);
            if (jpeg[offset + 1] == 0xDA)
                break;
            offset += 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(offset + 2));
        }
        starts.Add(jpeg.Length - 2);
        return starts;
    }

    /// <summary>The offset of each PNG chunk (its length field), and the end of the last one.</summary>
    public static IReadOnlyList<int> PngChunkStarts(byte[] png)
    {
        var starts = new List<int>();
        long offset = 8;
        while (offset + 12 <= png.Length)
        {
            starts.Add((int)offset);
            offset += 12L + BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan((int)offset));
        }
        starts.Add((int)Math.Min(offset, png.Length));
        return starts;
    }

    /// <summary>The PNG with the CRC of every whole chunk recomputed, so that a decoder reads what the chunks hold
    /// instead of stopping at a CRC error.</summary>
    public static byte[] WithPngCrcs(byte[] png)
    {
        var starts = PngChunkStarts(png);
        for (int i = 0; i + 1 < starts.Count; i++)
        {
            int start = starts[i],
                end = starts[i + 1];
            if (end > png.Length || end - start < 12)
                break;
            uint crc = Crc32(png.AsSpan(start + 4, end - start - 8));
            BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(end - 4), crc);
        }
        return png;
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }

    private static uint[] CreateCrcTable()
    {
        uint[] table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
