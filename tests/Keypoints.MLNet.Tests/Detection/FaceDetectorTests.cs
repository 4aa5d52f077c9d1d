using Keypoints.MLNet.Detection;
using Keypoints.MLNet.Tests.Photos;
using Keypoints.MLNet.Tests.Tiers;
using Microsoft.ML.Data;

namespace Keypoints.MLNet.Tests.Detection;

public sealed class FaceDetectorTests
{
    [TierFact(Needs.FaceData)]
    public void Detect_FrameWithOneFace_FindsItWithEyesOnTheSubjectsSides()
    {
        var (image, faces) = LabelledPhotos.Read("frames.csv")[0];
        var label = Assert.Single(faces);
        using var detector = new FaceDetector();

        var detections = detector.Detect(image);

        var face = Assert.Single(detections);
        Assert.InRange(face.Score, 0.5f, 1f);
        // The model's first point is the subject's right eye (iBUG 36-41), which a camera sees on the image's left.
        float rightError =
            Distance(face.RightEye.X, face.RightEye.Y, label.RightEyeX, label.RightEyeY) / label.InterOcular;
        float leftError = Distance(face.LeftEye.X, face.LeftEye.Y, label.LeftEyeX, label.LeftEyeY) / label.InterOcular;
        Assert.True(
            rightError < 0.5f,
            $"right eye {face.RightEye} is {rightError:F2} IOD from the label ({label.RightEyeX:F1}, "
                + $"{label.RightEyeY:F1})."
        );
        Assert.True(
            leftError < 0.5f,
            $"left eye {face.LeftEye} is {leftError:F2} IOD from the label ({label.LeftEyeX:F1}, {label.LeftEyeY:F1})."
        );
        Assert.True(face.Box.Contains(label.MidX, label.MidY));
    }

    [Fact]
    public void Detect_MLImage_GivesTheSameFacesAsTheFile()
    {
        string image = SamplePhotos.Scenes[0];
        using var detector = new FaceDetector();
        using var mlImage = MLImage.CreateFromFile(image);

        var fromFile = detector.Detect(image);
        var fromMLImage = detector.Detect(mlImage);

        Assert.Equal(fromFile.Count, fromMLImage.Count);
        for (int i = 0; i < fromFile.Count; i++)
        {
            Assert.Equal(fromFile[i].RightEye.X, fromMLImage[i].RightEye.X, 2);
            Assert.Equal(fromFile[i].LeftEye.Y, fromMLImage[i].LeftEye.Y, 2);
        }
    }

    [Fact]
    public void Detect_FromSeveralThreads_GivesWhatOneThreadGives()
    {
        var images = SamplePhotos.Scenes.Concat(SamplePhotos.Frames).Select(RgbImage.Load).ToList();
        using var detector = new FaceDetector();
        var sequential = images.Select(detector.Detect).ToList();

        var parallel = new IReadOnlyList<DetectedFace>[images.Count];
        Parallel.For(0, images.Count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
            parallel[i] = detector.Detect(images[i])
        );

        for (int i = 0; i < images.Count; i++)
            Assert.Equal(sequential[i], parallel[i]);
    }

    [Theory]
    [InlineData(640, 480, 90)]
    [InlineData(200, 300, 200)]
    public void Detect_UniformImage_FindsNoFace(int width, int height, byte grey)
    {
        byte[] pixels = Enumerable.Repeat(grey, width * height * 3).ToArray();
        using var detector = new FaceDetector();

        Assert.Empty(detector.Detect(new RgbImage(width, height, pixels)));
    }

    [Fact]
    public void Frames_SmallImage_IsOnlyLookedAtWhole_BigImage_AlsoInOverlappingTiles()
    {
        using var detector = new FaceDetector(new FaceDetectorOptions { TileSize = 256, TilingFactor = 1.5f });

        Assert.Single(detector.Frames(300, 380));
        var frames = detector.Frames(640, 480).ToList();
        // Whole image, then 3 tiles across (starts 0, 192, 384) by 3 down (0, 112, 224): two tiles down would overlap
        // by 32 pixels only, less than a quarter tile.
        Assert.Equal(10, frames.Count);
        Assert.Equal([0, 192, 384], FaceDetector.TileStarts(640, 256));
        Assert.Equal([0, 112, 224], FaceDetector.TileStarts(480, 256));
        using var untiled = new FaceDetector(new FaceDetectorOptions { TileSize = 0 });
        Assert.Single(untiled.Frames(4000, 3000));
    }

    [Fact]
    public void Frames_ByDefault_TileOnlyPhotosLongerThan1024Pixels_In512PixelTiles()
    {
        using var detector = new FaceDetector();

        Assert.Single(detector.Frames(1024, 768));
        var frames = detector.Frames(1600, 1000).ToList();
        Assert.Equal(1 + (4 * 3), frames.Count);
        Assert.All(frames.Skip(1), f => Assert.Equal((512f, 512f), (f.RegionWidth, f.RegionHeight)));
    }

    [Fact]
    public void Constructor_MinScoreAboveOne_IsRefused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new FaceDetector(new FaceDetectorOptions { MinScore = 1.5f })
        );
        Assert.Contains("MinScore", error.Message, StringComparison.Ordinal);
    }

    private static float Distance(float x0, float y0, float x1, float y1) =>
        MathF.Sqrt(((x0 - x1) * (x0 - x1)) + ((y0 - y1) * (y0 - y1)));
}
