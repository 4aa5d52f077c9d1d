using Keypoints.MLNet.Detection;
using Keypoints.MLNet.Images;

namespace Keypoints.MLNet.Tests.Images;

/// <summary>The limits every decoder of a user's image applies: what the defaults hold, where they stop, and the
/// message of a refusal.</summary>
public sealed class ImageDecodeLimitsTests(HostileImageFiles corpus) : IClassFixture<HostileImageFiles>
{
    [Theory]
    [InlineData(8688, 5792, true)] // a 50-megapixel camera photo
    [InlineData(16384, 3906, true)] // a panorama at the side limit, just under 64 megapixels
    [InlineData(16385, 1, false)]
    [InlineData(8001, 8000, false)]
    public void Default_HoldsA50MegapixelPhoto_AndNothingOverItsSideOrPixels(int width, int height, bool admitted)
    {
        Assert.Equal(admitted, ImageDecodeLimits.Default.Admits(width, height));
    }

    [Fact]
    public void Limits_OutOfRange_AreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageDecodeLimits { MaxImageSide = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageDecodeLimits { MaxImagePixels = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new ImageDecodeLimits { MaxImagePixels = ImageDecodeLimits.LargestMaxImagePixels + 1 }
        );
    }

    [Fact]
    public void Load_OfABomb_NamesTheFileItsDeclaredSizeAndTheLimits()
    {
        string bomb = corpus["bomb-20000x20000.png"].Path;

        var error = Assert.Throws<InvalidDataException>(() => RgbImage.Load(bomb));

        Assert.Equal(
            $"Image file '{bomb}' declares 20000 x 20000 pixels (400 megapixels), over the limit of sides up to 16384 "
                + "pixels and at most 64 megapixels (ImageDecodeLimits); it was not decoded.",
            error.Message
        );
    }

    [Fact]
    public void Load_WithOtherLimits_AdmitsUpToThemAndNoFurther()
    {
        string photo = corpus["valid.jpg"].Path;

        var loaded = RgbImage.Load(photo, new ImageDecodeLimits { MaxImageSide = 512, MaxImagePixels = 512 * 512 });
        var error = Assert.Throws<InvalidDataException>(() =>
            RgbImage.Load(photo, new ImageDecodeLimits { MaxImagePixels = (512 * 512) - 1 })
        );

        Assert.Equal((512, 512), (loaded.Width, loaded.Height));
        Assert.Contains("declares 512 x 512 pixels", error.Message, StringComparison.Ordinal);
    }
}
