using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Training;

namespace Keypoints.MLNet.Export;

/// <summary>
/// Everything a keypoint model says about itself, stored in its ONNX graph as one metadata property
/// (<see cref="Key"/>) whose value is a JSON object with a <c>formatVersion</c>, so a model loaded from a zip or a bare
/// <c>.onnx</c> loses nothing the library can read back.
/// </summary>
/// <remarks>
/// Format 1 (camelCase JSON, invariant numbers, NaN written as the string <c>"NaN"</c>):
/// <c>formatVersion</c>; <c>libraryVersion</c>; <c>layout</c> {<c>name</c>, <c>keypoints</c> (names in output order),
/// <c>flipPairs</c> ([left, right] index pairs), <c>groups</c> ([{<c>name</c>, <c>keypoints</c>}])};
/// <c>input</c> {<c>column</c>, <c>width</c>, <c>height</c>, <c>channels</c>, <c>pixelOffset</c>, <c>pixelScale</c>}:
/// the graph computes <c>(pixel - pixelOffset) * pixelScale</c> on <c>channels x height x width</c> values (CHW);
/// <c>output</c> {<c>column</c>}: <c>2K</c> pixel coordinates <c>x0, y0, ...</c> in the input frame;
/// <c>framing</c> (<see cref="FaceFraming"/>, or null); <c>testTimeFlip</c>; <c>flipAxisOffset</c> (pixels right of the
/// center line); <c>networks</c> (member names); <c>history</c> and <c>specialistHistories</c> (per-epoch
/// {<c>epoch</c>, <c>trainLoss</c>, <c>validationRmse</c>, <c>learningRate</c>, <c>imagesPerSecond</c>,
/// <c>elapsedSeconds</c>,
/// <c>isBest</c>}); <c>imageFiles</c> (only for a model trained on image files: {<c>imagePathColumn</c>,
/// <c>predictedColumn</c>, <c>imageWidth</c>, <c>imageHeight</c>}, the columns of the whole chain and the size of the
/// training data's first image); <c>terms</c> (<see cref="Terms"/>, or null; added in 0.2.0, so older readers ignore
/// it). Readers refuse a higher <c>formatVersion</c>; 0.1.0 models (metadata
/// <c>keypoints.layout</c> without <see cref="Key"/>) are refused with a message that names that version.
/// </remarks>
public sealed record KeypointModelMetadata
{
    /// <summary>The ONNX metadata key of the record.</summary>
    public const string Key = "keypoints.model";

    /// <summary>The format this version of the library writes and the highest it reads.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>The metadata key every 0.1.0 keypoint graph has; with it but without <see cref="Key"/>, a model is from
    /// 0.1.0.</summary>
    internal const string LegacyLayoutKey = "keypoints.layout";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        WriteIndented = false,
    };

    /// <summary>The record's format version (<see cref="CurrentFormatVersion"/> when written by this
    /// library).</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>The version of Keypoints.MLNet that wrote the model.</summary>
    public string LibraryVersion { get; init; } = CurrentLibraryVersion;

    /// <summary>The keypoint set, with the network's input size as its image size.</summary>
    public required KeypointLayout Layout { get; init; }

    /// <summary>The graph input (ML.NET column) of <c>Channels * Height * Width</c> pixel values.</summary>
    public required string InputColumnName { get; init; }

    /// <summary>The graph output (ML.NET column) of <c>2K</c> pixel coordinates.</summary>
    public required string OutputColumnName { get; init; }

    /// <summary>Image channels the network reads: 1 (grey) or 3 (RGB).</summary>
    public required int Channels { get; init; }

    /// <summary>Subtracted from every pixel value inside the graph.</summary>
    public required float PixelOffset { get; init; }

    /// <summary>Multiplies every pixel value after the offset, inside the graph.</summary>
    public required float PixelScale { get; init; }

    /// <summary>How the training faces were framed; null when the layout names no eyes.</summary>
    public FaceFraming? Framing { get; init; }

    /// <summary>Whether the graph averages each prediction with the un-mirrored prediction of the mirrored
    /// face.</summary>
    public bool TestTimeFlip { get; init; }

    /// <summary>Where training found the labels' mirror axis, in pixels right of the image's center line.</summary>
    public double FlipAxisOffset { get; init; }

    /// <summary>The names of the networks in the graph (<c>base</c>, or one <c>specialist_group</c> per
    /// group).</summary>
    public IReadOnlyList<string> Networks { get; init; } = [];

    /// <summary>The (base) network's per-epoch history.</summary>
    public IReadOnlyList<EpochReport> History { get; init; } = [];

    /// <summary>Each specialist's per-epoch history by group name; empty without specialists.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<EpochReport>> SpecialistHistories { get; init; } =
        new Dictionary<string, IReadOnlyList<EpochReport>>();

    /// <summary>For a model trained on image files: its columns and the training data's first image size; else
    /// null.</summary>
    public KeypointImageFilesMetadata? ImageFiles { get; init; }

    /// <summary>The terms of use that the model inherits from its training data, as one sentence (for example that it
    /// is for research use only); null when whoever trained it recorded none. Fine-tuning keeps the starting model's
    /// terms unless the options give others.</summary>
    public string? Terms { get; init; }

    /// <summary>This assembly's version, as <see cref="LibraryVersion"/> records it.</summary>
    public static string CurrentLibraryVersion { get; } =
        typeof(KeypointModelMetadata)
            .Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()
            ?.InformationalVersion.Split('+')[0]
        ?? typeof(KeypointModelMetadata).Assembly.GetName().Version?.ToString(3)
        ?? "unknown";

    /// <summary>The record as one line of JSON, the value stored under <see cref="Key"/>.</summary>
    public string ToJson() => JsonSerializer.Serialize(ToDocument(), JsonOptions);

    /// <summary>Reads a record written by <see cref="ToJson"/>.</summary>
    /// <exception cref="InvalidDataException">The text is not such a record, or its format version is newer than this
    /// library reads.</exception>
    public static KeypointModelMetadata FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        Document document;
        try
        {
            document = JsonSerializer.Deserialize<Document>(json, JsonOptions)
                ?? throw new InvalidDataException($"Metadata '{Key}' is null.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Metadata '{Key}' is not a keypoint model record: {e.Message}", e);
        }
        if (document.FormatVersion is < 1 or > CurrentFormatVersion)
        {
            throw new InvalidDataException(
                $"Metadata '{Key}' has formatVersion {document.FormatVersion} (written by Keypoints.MLNet "
                    + $"{document.LibraryVersion ?? "unknown"}); this library ({CurrentLibraryVersion}) reads formats "
                    + $"1 to {CurrentFormatVersion}."
            );
        }

        try
        {
            return FromDocument(document);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new InvalidDataException($"Metadata '{Key}' is incomplete or inconsistent: {e.Message}", e);
        }
    }

    /// <summary>Reads the record from an ONNX graph's metadata properties.</summary>
    /// <param name="metadata">The graph's metadata_props.</param>
    /// <param name="source">The file or description named in messages.</param>
    /// <exception cref="InvalidDataException">No record (the message says when the graph is a 0.1.0 keypoint model), or
    /// a bad one.</exception>
    internal static KeypointModelMetadata FromGraphMetadata(IReadOnlyDictionary<string, string> metadata, string source)
    {
        if (metadata.TryGetValue(Key, out string? json))
        {
            try
            {
                return FromJson(json);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"'{source}': {e.Message}", e);
            }
        }
        if (metadata.ContainsKey(LegacyLayoutKey))
        {
            throw new InvalidDataException(
                $"'{source}' is a keypoint model written by Keypoints.MLNet 0.1.0 (metadata "
                    + $"'{LegacyLayoutKey}' without '{Key}'), which recorded too little to load it typed (no pixel "
                    + $"scaling, flip pairs or "
                    + $"groups); train it again with Keypoints.MLNet {CurrentLibraryVersion}, or load it with "
                    + $"mlContext.Model.Load."
            );
        }

        throw new InvalidDataException(
            $"'{source}' is an ONNX graph without '{Key}' metadata, so it is not a keypoint model."
        );
    }

    private Document ToDocument() =>
        new()
        {
            FormatVersion = FormatVersion,
            LibraryVersion = LibraryVersion,
            Layout = new LayoutDocument
            {
                Name = Layout.Name,
                Keypoints = Layout.KeypointNames.ToArray(),
                FlipPairs = Layout.FlipPairs.Select(p => new[] { p.Left, p.Right }).ToArray(),
                Groups = Layout
                    .Groups.Select(g => new GroupDocument { Name = g.Name, Keypoints = g.KeypointIndices.ToArray() })
                    .ToArray(),
            },
            Input = new InputDocument
            {
                Column = InputColumnName,
                Width = Layout.ImageWidth,
                Height = Layout.ImageHeight,
                Channels = Channels,
                PixelOffset = PixelOffset,
                PixelScale = PixelScale,
            },
            Output = new OutputDocument { Column = OutputColumnName },
            Framing = Framing,
            TestTimeFlip = TestTimeFlip,
            FlipAxisOffset = FlipAxisOffset,
            Networks = Networks.ToArray(),
            History = History.Select(EpochDocument.From).ToArray(),
            SpecialistHistories = SpecialistHistories.ToDictionary(
                p => p.Key,
                p => p.Value.Select(EpochDocument.From).ToArray(),
                StringComparer.Ordinal
            ),
            ImageFiles = ImageFiles,
            Terms = Terms,
        };

    private static KeypointModelMetadata FromDocument(Document d)
    {
        var layout = d.Layout ?? throw new InvalidOperationException("no layout");
        var input = d.Input ?? throw new InvalidOperationException("no input");
        var output = d.Output ?? throw new InvalidOperationException("no output");
        var pairs = (layout.FlipPairs ?? [])
            .Select(p =>
                p.Length == 2 ? (p[0], p[1]) : throw new InvalidOperationException("a flip pair is not two indices")
            )
            .ToArray();
        var groups = (layout.Groups ?? [])
            .Select(g => new KeypointGroup(
                g.Name ?? throw new InvalidOperationException("a group has no name"),
                g.Keypoints ?? []
            ))
            .ToArray();
        return new KeypointModelMetadata
        {
            FormatVersion = d.FormatVersion,
            LibraryVersion = d.LibraryVersion ?? "unknown",
            Layout = new KeypointLayout(
                layout.Name ?? throw new InvalidOperationException("the layout has no name"),
                layout.Keypoints ?? throw new InvalidOperationException("the layout has no keypoints"),
                input.Width,
                input.Height,
                pairs,
                groups
            ),
            InputColumnName = input.Column ?? throw new InvalidOperationException("the input has no column"),
            OutputColumnName = output.Column ?? throw new InvalidOperationException("the output has no column"),
            Channels = input.Channels,
            PixelOffset = input.PixelOffset,
            PixelScale = input.PixelScale,
            Framing = d.Framing,
            TestTimeFlip = d.TestTimeFlip,
            FlipAxisOffset = d.FlipAxisOffset,
            Networks = d.Networks ?? [],
            History = (d.History ?? []).Select(e => e.ToReport(null)).ToArray(),
            SpecialistHistories = (d.SpecialistHistories ?? []).ToDictionary(
                p => p.Key,
                p => (IReadOnlyList<EpochReport>)p.Value.Select(e => e.ToReport(p.Key)).ToArray(),
                StringComparer.Ordinal
            ),
            ImageFiles = d.ImageFiles,
            Terms = d.Terms,
        };
    }

    // The JSON shape: plain settable classes, so System.Text.Json reads and writes them without custom converters.
    private sealed class Document
    {
        public int FormatVersion { get; set; }

        public string? LibraryVersion { get; set; }

        public LayoutDocument? Layout { get; set; }

        public InputDocument? Input { get; set; }

        public OutputDocument? Output { get; set; }

        public FaceFraming? Framing { get; set; }

        public bool TestTimeFlip { get; set; }

        public double FlipAxisOffset { get; set; }

        public string[]? Networks { get; set; }

        public EpochDocument[]? History { get; set; }

        public Dictionary<string, EpochDocument[]>? SpecialistHistories { get; set; }

        public KeypointImageFilesMetadata? ImageFiles { get; set; }

        public string? Terms { get; set; }
    }

    private sealed class LayoutDocument
    {
        public string? Name { get; set; }

        public string[]? Keypoints { get; set; }

        public int[][]? FlipPairs { get; set; }

        public GroupDocument[]? Groups { get; set; }
    }

    private sealed class GroupDocument
    {
        public string? Name { get; set; }

        public int[]? Keypoints { get; set; }
    }

    private sealed class InputDocument
    {
        public string? Column { get; set; }

        public int Width { get; set; }

        public int Height { get; set; }

        public int Channels { get; set; }

        public float PixelOffset { get; set; }

        public float PixelScale { get; set; }
    }

    private sealed class OutputDocument
    {
        public string? Column { get; set; }
    }

    private sealed class EpochDocument
    {
        public int Epoch { get; set; }

        public double TrainLoss { get; set; }

        public double ValidationRmse { get; set; }

        public double LearningRate { get; set; }

        public double ImagesPerSecond { get; set; }

        public long ElapsedTicks { get; set; }

        public bool IsBest { get; set; }

        public static EpochDocument From(EpochReport e) =>
            new()
            {
                Epoch = e.Epoch,
                TrainLoss = e.TrainLoss,
                ValidationRmse = e.ValidationRmse,
                LearningRate = e.LearningRate,
                ImagesPerSecond = e.ImagesPerSecond,
                ElapsedTicks = e.Elapsed.Ticks,
                IsBest = e.IsBest,
            };

        public EpochReport ToReport(string? specialist) =>
            new(
                Epoch,
                TrainLoss,
                ValidationRmse,
                LearningRate,
                ImagesPerSecond,
                TimeSpan.FromTicks(ElapsedTicks),
                IsBest
            )
            {
                Specialist = specialist,
            };
    }

    /// <summary>For messages: the version of the library that wrote the record, as text.</summary>
    public override string ToString() =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{Layout.Name} model ({Layout.KeypointCount} keypoints, "
                + $"{Layout.ImageWidth}x{Layout.ImageHeight}x{Channels}), format {FormatVersion}, Keypoints.MLNet "
                + $"{LibraryVersion}"
        );
}
