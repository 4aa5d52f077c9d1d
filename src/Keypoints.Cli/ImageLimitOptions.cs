using System.CommandLine;
using System.Globalization;
using Keypoints.MLNet.Images;

namespace Keypoints.Cli;

/// <summary>The options <c>--max-side</c> and <c>--max-megapixels</c>: the largest image a command decodes, read from
/// each file's header before decoding (<see cref="ImageDecodeLimits"/>).</summary>
internal sealed class ImageLimitOptions
{
    private readonly ImageDecodeLimits defaults;
    private readonly Option<int?> side;
    private readonly Option<double?> megapixels;

    /// <summary>The two options, each defaulting to <paramref name="defaults"/>.</summary>
    /// <param name="defaults">The limits when an option is not given.</param>
    /// <param name="what">What is decoded, for the descriptions: "photo", "upload".</param>
    public ImageLimitOptions(ImageDecodeLimits defaults, string what)
    {
        this.defaults = defaults;
        side = new Option<int?>("--max-side")
        {
            Description = $"The largest {what} width or height in pixels [default: {defaults.MaxImageSide}]",
            HelpName = "PIXELS",
        };
        megapixels = new Option<double?>("--max-megapixels")
        {
            Description = string.Create(
                CultureInfo.InvariantCulture,
                $"The largest {what} in millions of pixels [default: {defaults.MaxImagePixels / 1e6:0.##}]"
            ),
            HelpName = "M",
        };
    }

    /// <summary>Adds both options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(side);
        command.Options.Add(megapixels);
    }

    /// <summary>Whether either option is on the command line.</summary>
    public bool IsGiven(ParseResult result) =>
        result.GetValue(side) is not null || result.GetValue(megapixels) is not null;

    /// <summary>The limits the command line sets.</summary>
    /// <exception cref="UsageException">A value is not positive, or the megapixels exceed what one decoded image may
    /// hold.</exception>
    public ImageDecodeLimits Read(ParseResult result)
    {
        int maxSide = result.GetValue(side) ?? defaults.MaxImageSide;
        double maxMegapixels = result.GetValue(megapixels) ?? defaults.MaxImagePixels / 1e6;
        double largest = ImageDecodeLimits.LargestMaxImagePixels / 1e6;
        if (maxSide < 1 || !(maxMegapixels > 0 && maxMegapixels <= largest))
        {
            throw new UsageException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"--max-side must be positive and --max-megapixels above 0 and at most {largest:0.##}."
                )
            );
        }

        return new ImageDecodeLimits
        {
            MaxImageSide = maxSide,
            MaxImagePixels = Math.Max(1, (long)Math.Round(maxMegapixels * 1e6)),
        };
    }
}
