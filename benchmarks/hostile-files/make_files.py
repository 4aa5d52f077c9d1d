"""Writes the hostile image files that run.sh measures into the folder given as the only argument.

valid.jpg                 samples/astronaut-640x480.jpg, the control
large-8000x6000.png       a valid 48-megapixel RGB PNG of diagonal stripes: the cost of a photo within the default limits
bomb-20000x20000.png      a valid 8-bit RGB PNG of 20000 x 20000 black pixels: 1.1 MB on disk, 1.6 GB decoded as RGBA
lying-65000x65000.jpg     samples/astronaut.jpg's headers declaring 65000 x 65000 pixels, then 600 bytes of its scan
lying-65000x65000.png     a PNG header declaring 65000 x 65000 RGB pixels, then one 600-byte IDAT chunk
truncated.jpg             the first half of samples/astronaut.jpg
empty.jpg                 0 bytes
text.jpg                  a line of text
"""

import os
import struct
import sys
import zlib

REPOSITORY = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_header(width, height):
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))


def png(width, height, row, level):
    """A PNG whose row y (filter byte 0, then R, G, B per pixel) is row(y)."""
    compressor = zlib.compressobj(level)
    data = b"".join(compressor.compress(b"\0" + row(y)) for y in range(height)) + compressor.flush()
    return png_header(width, height) + png_chunk(b"IDAT", data) + png_chunk(b"IEND", b"")


def stripes(width):
    pattern = bytes(range(256)) * (3 * width // 256 + 2)
    return lambda y: pattern[y % 256 : y % 256 + 3 * width]


def stored_deflate(length):
    """The first bytes of a zlib stream of uncompressed (stored) grey levels: data a decoder reads, then runs out of."""
    return zlib.compress(bytes(i * 7 % 251 for i in range(4 * length)), 0)[:length]


def jpeg_declaring(jpeg, width, height, scan_bytes):
    data = bytearray(jpeg)
    offset = 2
    while data[offset + 1] != 0xDA:
        if data[offset + 1] in (0xC0, 0xC1, 0xC2):
            data[offset + 5 : offset + 9] = struct.pack(">HH", height, width)
        offset += 2 + struct.unpack(">H", data[offset + 2 : offset + 4])[0]
    scan = offset + 2 + struct.unpack(">H", data[offset + 2 : offset + 4])[0]
    return bytes(data[: scan + scan_bytes]) + b"\xff\xd9"


def main(folder):
    os.makedirs(folder, exist_ok=True)
    samples = os.path.join(REPOSITORY, "samples")
    with open(os.path.join(samples, "astronaut.jpg"), "rb") as f:
        jpeg = f.read()
    with open(os.path.join(samples, "astronaut-640x480.jpg"), "rb") as f:
        valid = f.read()
    files = {
        "valid.jpg": valid,
        "large-8000x6000.png": png(8000, 6000, stripes(8000), 1),
        "bomb-20000x20000.png": png(20000, 20000, lambda y: bytes(3 * 20000), 9),
        "lying-65000x65000.jpg": jpeg_declaring(jpeg, 65000, 65000, 600),
        "lying-65000x65000.png": png_header(65000, 65000) + png_chunk(b"IDAT", stored_deflate(600)),
        "truncated.jpg": jpeg[: len(jpeg) // 2],
        "empty.jpg": b"",
        "text.jpg": b"this is not an image\n",
    }
    for name, data in files.items():
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main(sys.argv[1])
