using Keypoints.MLNet.Detection;
using Keypoints.MLNet.Images;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Onnx;
using Keypoints.MLNet.Onnx.Proto;
using Keypoints.MLNet.Scoring;

namespace Keypoints.MLNet.Photos;

/// <summary>
/// One ONNX graph from a photo to every face's keypoints, the last link of <see cref="KeypointPhotoModel"/>'s chain:
/// the work that <see cref="FaceKeypointsPredictor"/> does in C#, written as ONNX nodes so that a saved model scores
/// with ML.NET and ONNX Runtime alone.
/// </summary>
/// <remarks>
/// <para>Inputs: <see cref="FileBytesName"/>, the photo file's bytes (<c>uint8 [1, n]</c>, ML.NET's
/// <c>LoadRawImageBytes</c>), from which <see cref="ImageFileSizeGraph"/> reads the photo's size; and <see
/// cref="PixelsName"/>, the photo shrunk or enlarged into an S x S working frame, centred, its aspect kept, the rest
/// black (ML.NET's <c>ResizeImages</c> with
/// <c>IsoPad</c>, then <c>ExtractPixels</c> as interleaved R, G, B bytes: a quarter of the floats' memory per row). The
/// file's size and IsoPad's rule give where the photo lies in the frame, and so the map back to the photo's
/// pixels.</para>
/// <para>Stages, as in the C# pipeline: the frame letterboxed into BlazeFace's 256 x 256 input by the same tent filter
/// (<see cref="FilterTaps"/>, a constant matrix because the frame's size is); the detector; its anchors decoded into
/// photo pixels;
/// <c>NonMaxSuppression</c> picks the faces and each keeps the score-weighted mean of the candidates it suppressed (the
/// C# detector's weighted suppression); the calibrated eyes place each face's network frame
/// (<see cref="FaceFrame.FromEyes"/>); <c>GridSample</c> cuts the crops out of a pyramid of the working frame (each
/// face from the level where a network pixel spans one to two of its pixels, so that shrinking averages instead of
/// aliasing), with the photo's edge pixels repeated beyond it; the keypoint network; its points mapped back to photo
/// pixels.</para>
/// <para>Outputs, for at most <c>MaxFaces</c> faces, highest score first: <see cref="FaceCountName"/> <c>[1, 1]</c>,
/// <see cref="FaceScoresName"/> <c>[1, MaxFaces]</c> (0 past the count), <see cref="FaceBoxesName"/> <c>[1, 4
/// MaxFaces]</c> (left, top, width, height), <see cref="FaceKeypointsName"/> <c>[1, 2K MaxFaces]</c> (NaN past the
/// count), and
/// <see cref="PhotoSizeName"/> <c>[1, 2]</c>, all in photo pixels with pixel centres at integers.</para>
/// </remarks>
internal sealed class PhotoFacesGraph
{
    /// <summary>Input: the photo file's bytes.</summary>
    public const string FileBytesName = "PhotoFileBytes";

    /// <summary>Input: the working frame's R, G, B bytes.</summary>
    public const string PixelsName = "PhotoPixels";

    /// <summary>Output: the number of faces found.</summary>
    public const string FaceCountName = "FaceCount";

    /// <summary>Output: each face's detector score.</summary>
    public const string FaceScoresName = "FaceScores";

    /// <summary>Output: each face's box.</summary>
    public const string FaceBoxesName = "FaceBoxes";

    /// <summary>Output: each face's keypoints.</summary>
    public const string FaceKeypointsName = "FaceKeypoints";

    /// <summary>Output: the photo's width and height read from its file.</summary>
    public const string PhotoSizeName = "PhotoSize";

    private const int PyramidLevels = 4;
    private const int Geometry = 16;

    private readonly OnnxGraphBuilder graph = new("photo_faces");
    private readonly int side;

    private PhotoFacesGraph(int side) => this.side = side;

    /// <summary>Writes the graph for a keypoint network.</summary>
    /// <param name="network">The keypoint network and its record.</param>
    /// <param name="framing">Where the network's training faces sat in their frames.</param>
    /// <param name="options">Working size, detector thresholds, face count and eye calibration.</param>
    public static byte[] Create(KeypointCnnModel network, FaceFraming framing, KeypointPhotoModelOptions options)
    {
        var builder = new PhotoFacesGraph(options.WorkingSize);
        return builder.Build(network, framing, options);
    }

    private byte[] Build(KeypointCnnModel network, FaceFraming framing, KeypointPhotoModelOptions options)
    {
        var metadata = network.Metadata;
        int width = metadata.Layout.ImageWidth,
            height = metadata.Layout.ImageHeight,
            coordinates = metadata.Layout.CoordinateCount;
        graph.AddInput(FileBytesName, TensorProto.Types.DataType.Uint8, 1, -1);
        graph.AddInput(PixelsName, TensorProto.Types.DataType.Uint8, 1, (long)side * side * 3);
        var (photoWidth, photoHeight) = ImageFileSizeGraph.Add(graph, FileBytesName);
        string rgb = Float(graph.Apply("Reshape", PixelsName, Ints(side, side, 3)));
        var content = FindContent(photoWidth, photoHeight);
        var candidates = DetectCandidates(rgb, content);
        var faces = SuppressAndBlend(candidates, options);
        var frames = FramesOf(faces.Geometry, framing, options.EyeCalibration, width);
        string crops = Crops(rgb, content, frames, width, height, metadata.Channels);
        string predicted = graph.UniqueName("predicted");
        byte[] networkGraph = network.OnnxGraph.ToArray();
        graph.AddModel(
            networkGraph,
            "keypoints",
            new Dictionary<string, string> { [metadata.InputColumnName] = crops },
            OnnxModelReader
                .Parse(networkGraph)
                .Graph.Output.ToDictionary(
                    o => o.Name,
                    o => o.Name == metadata.OutputColumnName ? predicted : graph.UniqueName("unused")
                )
        );
        string keypoints = MapBack(predicted, frames, coordinates);
        WriteOutputs(faces, keypoints, coordinates, options.MaxFaces, photoWidth, photoHeight);
        return graph.ToModelBytes(opsetVersion: 16);
    }

    /// <summary>Where the photo lies in the working frame (offsets and scales, [1] each), and whether its size could be
    /// read: ML.NET's <c>IsoPad</c> scales the photo by S / max(w, h), truncates the scaled size to whole pixels and
    /// centres it, truncating the offset. Why from the file's size rather than the frame's alpha:
    /// docs/decisions.md#isopad-placement.</summary>
    private Content FindContent(string photoWidth, string photoHeight)
    {
        string one = Scalar(1);
        string valid = Mul(
            Float(graph.Apply("Greater", photoWidth, Scalar(0))),
            Float(graph.Apply("Greater", photoHeight, Scalar(0)))
        );
        string scale = Div(Scalar(side), graph.Apply("Max", graph.Apply("Max", photoWidth, photoHeight), one));
        // The small epsilon keeps a side that scales to exactly S from truncating to S - 1 by float rounding.
        string Extent(string length) => graph.Apply("Floor", graph.Apply("Add", Mul(length, scale), Scalar(1e-3f)));
        string Offset(string length) =>
            graph.Apply(
                "Floor",
                graph.Apply(
                    "Add",
                    Mul(graph.Apply("Sub", Scalar(side), Mul(length, scale)), Scalar(0.5f)),
                    Scalar(1e-3f)
                )
            );
        var (contentWidth, contentHeight) = (Extent(photoWidth), Extent(photoHeight));
        var (left, top) = (Offset(photoWidth), Offset(photoHeight));
        return new Content(
            left,
            top,
            Long(left),
            Long(top),
            Div(contentWidth, graph.Apply("Max", photoWidth, one)),
            Div(contentHeight, graph.Apply("Max", photoHeight, one)),
            Long(contentWidth),
            Long(contentHeight),
            photoWidth,
            photoHeight,
            valid
        );
    }

    /// <summary>Every anchor's score and geometry (box centre and size, six points) in photo pixels.</summary>
    private (string Scores, string Geometry) DetectCandidates(string rgb, Content content)
    {
        var (scores, regressors) = RunDetector(Letterbox(rgb));
        int anchors = BlazeFaceAnchors.Count;
        string inputGeometry = graph.Apply("Add", regressors, graph.Constant(AnchorOffsets(), anchors, Geometry));
        return (Mul(scores, content.Valid), ToPhotoPixels(inputGeometry, content));
    }

    /// <summary>The detector's input: the frame resampled to 256 x 256 by the tent filter, in [-1, 1].</summary>
    private string Letterbox(string rgb)
    {
        int input = BlazeFaceAnchors.InputSize;
        // The tent filter as two dense matrices: ONNX Runtime's matrix product over the frame costs less than gathering
        // each tap (seven per output pixel at S = 640) and summing them.
        string taps = graph.Constant(
            TapMatrix(FilterTaps.Along(input, side, (float)input / side, 0, 0, side), input),
            side,
            input
        );
        string planar = graph.Apply("Transpose", [rgb], OnnxAttribute.Ints("perm", 2, 0, 1));
        string across = graph.Apply("MatMul", planar, taps);
        string down = graph.Apply("MatMul", graph.Apply("Transpose", [taps], OnnxAttribute.Ints("perm", 1, 0)), across);
        string letterboxed = graph.Apply("Transpose", [down], OnnxAttribute.Ints("perm", 1, 2, 0));
        string unit = graph.Apply("Sub", Div(letterboxed, Scalar(127.5f)), Scalar(1));
        return graph.Apply("Reshape", unit, Ints(1, input, input, 3));
    }

    /// <summary>BlazeFace on the letterbox: each anchor's score and its regressors in input pixels.</summary>
    private (string Scores, string Regressors) RunDetector(string tensor)
    {
        string[] outputs =
        [
            graph.UniqueName("scores"),
            graph.UniqueName("scores"),
            graph.UniqueName("regressors"),
            graph.UniqueName("regressors"),
        ];
        graph.AddModel(
            FaceDetector.ReadModel(),
            "detector",
            new Dictionary<string, string> { ["input:0"] = tensor },
            new Dictionary<string, string>
            {
                ["Identity:0"] = outputs[0],
                ["Identity_1:0"] = outputs[1],
                ["Identity_2:0"] = outputs[2],
                ["Identity_3:0"] = outputs[3],
            }
        );
        int anchors = BlazeFaceAnchors.Count;
        string logits = graph.Apply(
            "Reshape",
            graph.Apply("Concat", [outputs[0], outputs[1]], OnnxAttribute.Int("axis", 1)),
            Ints(anchors)
        );
        string scores = graph.Apply("Sigmoid", graph.Apply("Clip", logits, Scalar(-100), Scalar(100)));
        string regressors = graph.Apply(
            "Reshape",
            graph.Apply("Concat", [outputs[2], outputs[3]], OnnxAttribute.Int("axis", 1)),
            Ints(anchors, Geometry)
        );
        return (scores, regressors);
    }

    /// <summary>Input pixels to photo pixels: (x * S / 256 - Left) / ScaleX - 0.5, the letterbox being the whole
    /// frame.</summary>
    private string ToPhotoPixels(string inputGeometry, Content content)
    {
        float factor = (float)side / BlazeFaceAnchors.InputSize;
        string xScale = Div(Scalar(factor), content.ScaleX);
        string yScale = Div(Scalar(factor), content.ScaleY);
        string xShift = graph.Apply("Sub", graph.Apply("Neg", Div(content.Left, content.ScaleX)), Scalar(0.5f));
        string yShift = graph.Apply("Sub", graph.Apply("Neg", Div(content.Top, content.ScaleY)), Scalar(0.5f));
        string scale = graph.Apply("Add", Mul(xScale, Pattern(c => c % 2 == 0)), Mul(yScale, Pattern(c => c % 2 == 1)));
        string shift = graph.Apply(
            "Add",
            Mul(xShift, Pattern(c => c % 2 == 0 && c != 2)),
            Mul(yShift, Pattern(c => c % 2 == 1 && c != 3))
        );
        return graph.Apply("Add", Mul(inputGeometry, scale), shift);
    }

    /// <summary>The [source, output] matrix of filter taps: column j holds output j's weights.</summary>
    private float[] TapMatrix(FilterTaps taps, int outputs)
    {
        float[] matrix = new float[side * outputs];
        for (int j = 0; j < outputs; j++)
        {
            for (int k = 0; k < taps.Width; k++)
                matrix[(taps.Indices[(j * taps.Width) + k] * outputs) + j] += taps.Weights[(j * taps.Width) + k];
        }
        return matrix;
    }

    private static float[] AnchorOffsets()
    {
        float[] centres = BlazeFaceAnchors.Centres;
        int anchors = BlazeFaceAnchors.Count,
            input = BlazeFaceAnchors.InputSize;
        float[] offsets = new float[anchors * Geometry];
        for (int a = 0; a < anchors; a++)
        {
            for (int c = 0; c < Geometry; c++)
            {
                if (c is not 2 and not 3)
                    offsets[(a * Geometry) + c] = centres[(2 * a) + (c % 2)] * input;
            }
        }
        return offsets;
    }

    /// <summary>Non-maximum suppression; each kept face's geometry is the score-weighted mean of the candidates it was
    /// the first kept face to overlap, as <see cref="WeightedNonMaxSuppression"/> does.</summary>
    private Faces SuppressAndBlend((string Scores, string Geometry) candidates, KeypointPhotoModelOptions options)
    {
        int anchors = BlazeFaceAnchors.Count;
        string boxes = graph.Apply("Slice", candidates.Geometry, Ints(0), Ints(4), Ints(1));
        string selected = graph.Apply(
            "NonMaxSuppression",
            [
                graph.Apply("Reshape", boxes, Ints(1, anchors, 4)),
                graph.Apply("Reshape", candidates.Scores, Ints(1, 1, anchors)),
                Ints(options.MaxFaces),
                graph.Constant([options.IouThreshold], 1),
                graph.Constant([options.MinScore], 1),
            ],
            OnnxAttribute.Int("center_point_box", 1)
        );
        string kept = graph.Apply("Gather", [selected, graph.Constant([2L])], OnnxAttribute.Int("axis", 1));
        string count = graph.Apply("Shape", kept);
        // At least one row goes on through the crops and the network, so that no operator sees an empty tensor; the
        // count drops it at the end.
        string rows = graph.Apply(
            "Slice",
            graph.Apply("Concat", [kept, Ints(0)], OnnxAttribute.Int("axis", 0)),
            Ints(0),
            graph.Apply("Max", count, Ints(1))
        );
        string keptBoxes = graph.Apply("Gather", [boxes, rows], OnnxAttribute.Int("axis", 0));
        string overlap = IntersectionOverUnion(
            keptBoxes,
            graph.Apply("Transpose", [boxes], OnnxAttribute.Ints("perm", 1, 0))
        );
        string eligible = Float(graph.Apply("GreaterOrEqual", candidates.Scores, Scalar(options.MinScore)));
        string member = Mul(Float(graph.Apply("Greater", overlap, Scalar(options.IouThreshold))), eligible);
        string firstOwner = Mul(
            member,
            Float(graph.Apply("Equal", graph.Apply("CumSum", member, graph.Constant([0L])), Scalar(1)))
        );
        string weights = Mul(firstOwner, candidates.Scores);
        string total = graph.Apply(
            "Max",
            graph.Apply("ReduceSum", [weights, Ints(1)], OnnxAttribute.Int("keepdims", 1)),
            Scalar(1e-12f)
        );
        string geometry = Div(graph.Apply("MatMul", weights, candidates.Geometry), total);
        return new Faces(
            count,
            graph.Apply("Gather", [candidates.Scores, rows], OnnxAttribute.Int("axis", 0)),
            geometry
        );
    }

    /// <summary>[F, A] intersection over union of boxes [F, 4] and [4, A], each (centre x, centre y, width,
    /// height).</summary>
    private string IntersectionOverUnion(string kept, string all)
    {
        string Row(string boxes, int i) => graph.Apply("Slice", boxes, Ints(i), Ints(i + 1), Ints(1));
        string Column(string boxes, int i) => graph.Apply("Slice", boxes, Ints(i), Ints(i + 1), Ints(0));
        var (kx, ky, kw, kh) = (Row(kept, 0), Row(kept, 1), Row(kept, 2), Row(kept, 3));
        var (ax, ay, aw, ah) = (Column(all, 0), Column(all, 1), Column(all, 2), Column(all, 3));
        string Overlap(string c1, string s1, string c2, string s2)
        {
            string half1 = Mul(s1, Scalar(0.5f));
            string half2 = Mul(s2, Scalar(0.5f));
            string low = graph.Apply("Max", graph.Apply("Sub", c1, half1), graph.Apply("Sub", c2, half2));
            string high = graph.Apply("Min", graph.Apply("Add", c1, half1), graph.Apply("Add", c2, half2));
            return graph.Apply("Relu", graph.Apply("Sub", high, low));
        }
        string intersection = Mul(Overlap(kx, kw, ax, aw), Overlap(ky, kh, ay, ah));
        string union = graph.Apply("Sub", graph.Apply("Add", Mul(kw, kh), Mul(aw, ah)), intersection);
        return Div(intersection, graph.Apply("Max", union, Scalar(1e-12f)));
    }

    /// <summary>Each face's network frame ([F, 1] left, top and photo pixels per network pixel), from its calibrated
    /// eyes (<see cref="DetectorEyeCalibration.EyeMidpoint"/>, <see cref="FaceFrame.FromEyes"/>).</summary>
    private Frames FramesOf(string geometry, FaceFraming framing, DetectorEyeCalibration calibration, int width)
    {
        string Column(int i) => graph.Apply("Slice", geometry, Ints(i), Ints(i + 1), Ints(1));
        var (rightX, rightY, leftX, leftY) = (Column(4), Column(5), Column(6), Column(7));
        string dx = graph.Apply("Sub", leftX, rightX);
        string dy = graph.Apply("Sub", leftY, rightY);
        string distance = graph.Apply(
            "Max",
            graph.Apply("Sqrt", graph.Apply("Add", Mul(dx, dx), Mul(dy, dy))),
            Scalar(1e-3f)
        );
        string alongX = Div(dx, distance);
        string alongY = Div(dy, distance);
        string midX = Mul(graph.Apply("Add", leftX, rightX), Scalar(0.5f));
        string midY = Mul(graph.Apply("Add", leftY, rightY), Scalar(0.5f));
        float along = (float)calibration.AlongOffset,
            across = (float)calibration.AcrossOffset;
        // Across the eye axis is the axis turned a quarter clockwise on screen: (-alongY, alongX).
        string labelX = graph.Apply(
            "Add",
            midX,
            Mul(distance, graph.Apply("Sub", Mul(alongX, Scalar(along)), Mul(alongY, Scalar(across))))
        );
        string labelY = graph.Apply(
            "Add",
            midY,
            Mul(distance, graph.Apply("Add", Mul(alongY, Scalar(along)), Mul(alongX, Scalar(across))))
        );
        string scale = Mul(
            distance,
            Scalar((float)(calibration.InterOcularScale / (framing.InterOcularDistance * width)))
        );
        string left = graph.Apply(
            "Sub",
            graph.Apply("Add", labelX, Scalar(0.5f)),
            Mul(scale, Scalar((float)((framing.EyeMidpointX * width) + 0.5)))
        );
        string top = graph.Apply(
            "Sub",
            graph.Apply("Add", labelY, Scalar(0.5f)),
            Mul(scale, Scalar((float)((framing.EyeMidpointY * width) + 0.5)))
        );
        return new Frames(left, top, scale);
    }

    /// <summary>The network's input for every face: [F, C H W] planar values 0-255.</summary>
    private string Crops(string rgb, Content content, Frames frames, int width, int height, int channels)
    {
        // Beyond the photo, the working frame repeats the photo's edge pixels, so that neither bilinear taps nor the
        // pyramid's averages ever read the black border.
        string replicated = Replicate(
            Replicate(rgb, content.LeftIndex, content.ContentWidth, axis: 1),
            content.TopIndex,
            content.ContentHeight,
            axis: 0
        );
        string level0 = graph.Apply(
            "Unsqueeze",
            graph.Apply("Transpose", [replicated], OnnxAttribute.Ints("perm", 2, 0, 1)),
            Ints(0)
        );
        string grid = SamplingGrid(content, frames, width, height);
        string ratio = Mul(frames.Scale, content.ScaleX);
        string level = graph.Apply(
            "Clip",
            graph.Apply("Floor", Div(graph.Apply("Log", ratio), Scalar(MathF.Log(2)))),
            Scalar(0),
            Scalar(PyramidLevels - 1)
        );
        string crop = SamplePyramid(level0, grid, level, width, height);
        if (channels == 1)
        {
            // ML.NET's ConvertToGrayscale weights, as in FaceCropSampler.
            crop = graph.Apply(
                "ReduceSum",
                [Mul(crop, graph.Constant([0.3f, 0.59f, 0.11f], 1, 3, 1, 1)), Ints(1)],
                OnnxAttribute.Int("keepdims", 1)
            );
        }
        return graph.Apply("Reshape", crop, Ints(-1, (long)channels * height * width));
    }

    /// <summary>Each face's crop [F, 3, H, W], sampled from the pyramid level that <paramref name="level"/> picks for
    /// it (halving per level, so that a reduction averages).</summary>
    private string SamplePyramid(string level0, string grid, string level, int width, int height)
    {
        string image = level0,
            crop = "";
        for (int l = 0; l < PyramidLevels; l++)
        {
            if (l > 0)
            {
                image = graph.Apply(
                    "AveragePool",
                    [image],
                    OnnxAttribute.Ints("kernel_shape", 2, 2),
                    OnnxAttribute.Ints("strides", 2, 2)
                );
            }
            string sampled = graph.Apply(
                "GridSample",
                [image, grid],
                OnnxAttribute.String("mode", "bilinear"),
                OnnxAttribute.String("padding_mode", "border"),
                OnnxAttribute.Int("align_corners", 0)
            );
            string perFace = graph.Apply(
                "Transpose",
                [graph.Apply("Reshape", sampled, Ints(3, -1, height, width))],
                OnnxAttribute.Ints("perm", 1, 0, 2, 3)
            );
            string chosen = Mul(
                perFace,
                graph.Apply("Reshape", Float(graph.Apply("Equal", level, Scalar(l))), Ints(-1, 1, 1, 1))
            );
            crop = l == 0 ? chosen : graph.Apply("Add", crop, chosen);
        }
        return crop;
    }

    /// <summary>Gathers along <paramref name="axis"/> with indices clamped to the photo's extent in the
    /// frame.</summary>
    private string Replicate(string image, string first, string length, long axis)
    {
        string indices = graph.Constant([.. Enumerable.Range(0, side).Select(i => (long)i)], side);
        string last = graph.Apply("Sub", graph.Apply("Add", first, graph.Apply("Max", length, Ints(1))), Ints(1));
        string clamped = graph.Apply("Max", graph.Apply("Min", indices, last), first);
        return graph.Apply("Gather", [image, clamped], OnnxAttribute.Int("axis", axis));
    }

    /// <summary>GridSample's grid [1, F H, W, 2]: each network pixel's centre in the photo, clamped to the photo, in
    /// the working frame's normalised coordinates (the same at every pyramid level, since each halves both).</summary>
    private string SamplingGrid(Content content, Frames frames, int width, int height)
    {
        string Normalised(string start, int count, string photoLength, string scale, string offset)
        {
            string centres = graph.Constant([.. Enumerable.Range(0, count).Select(i => i + 0.5f)], 1, count);
            string photo = graph.Apply("Sub", graph.Apply("Add", start, Mul(centres, frames.Scale)), Scalar(0.5f));
            string clamped = graph.Apply(
                "Max",
                graph.Apply("Min", photo, graph.Apply("Sub", photoLength, Scalar(1))),
                Scalar(0)
            );
            string working = graph.Apply("Add", Mul(graph.Apply("Add", clamped, Scalar(0.5f)), scale), offset);
            return graph.Apply("Sub", Mul(working, Scalar(2f / side)), Scalar(1));
        }
        string zeros = graph.Constant(new float[height * width], 1, height, width);
        string x = graph.Apply(
            "Add",
            graph.Apply(
                "Reshape",
                Normalised(frames.Left, width, content.PhotoWidth, content.ScaleX, content.Left),
                Ints(-1, 1, width)
            ),
            zeros
        );
        string y = graph.Apply(
            "Add",
            graph.Apply(
                "Reshape",
                Normalised(frames.Top, height, content.PhotoHeight, content.ScaleY, content.Top),
                Ints(-1, height, 1)
            ),
            zeros
        );
        string pairs = graph.Apply(
            "Concat",
            [graph.Apply("Unsqueeze", x, Ints(3)), graph.Apply("Unsqueeze", y, Ints(3))],
            OnnxAttribute.Int("axis", 3)
        );
        return graph.Apply("Reshape", pairs, Ints(1, -1, width, 2));
    }

    /// <summary>Network pixels to photo pixels: <c>x_photo = Left + (x + 0.5) Scale - 0.5</c>.</summary>
    private string MapBack(string predicted, Frames frames, int coordinates)
    {
        string even = graph.Constant(
            [.. Enumerable.Range(0, coordinates).Select(c => c % 2 == 0 ? 1f : 0f)],
            1,
            coordinates
        );
        string odd = graph.Constant(
            [.. Enumerable.Range(0, coordinates).Select(c => c % 2 == 1 ? 1f : 0f)],
            1,
            coordinates
        );
        string origin = graph.Apply("Add", Mul(frames.Left, even), Mul(frames.Top, odd));
        string shifted = Mul(graph.Apply("Add", predicted, Scalar(0.5f)), frames.Scale);
        return graph.Apply("Sub", graph.Apply("Add", origin, shifted), Scalar(0.5f));
    }

    private void WriteOutputs(
        Faces faces,
        string keypoints,
        int coordinates,
        int maxFaces,
        string photoWidth,
        string photoHeight
    )
    {
        string Padded(string rows, int columns, float fill, string name)
        {
            string real = graph.Apply("Slice", rows, Ints(0), faces.Count);
            string padding = graph.Constant(Enumerable.Repeat(fill, maxFaces * columns).ToArray(), maxFaces, columns);
            string all = graph.Apply(
                "Concat",
                [graph.Apply("Reshape", real, Ints(-1, columns)), padding],
                OnnxAttribute.Int("axis", 0)
            );
            string first = graph.Apply("Slice", all, Ints(0), Ints(maxFaces));
            graph.AddNode("Reshape", [first, Ints(1, (long)maxFaces * columns)], [name]);
            graph.AddOutput(name, 1, (long)maxFaces * columns);
            return name;
        }
        string Column(int i) => graph.Apply("Slice", faces.Geometry, Ints(i), Ints(i + 1), Ints(1));
        var (centreX, centreY, boxWidth, boxHeight) = (Column(0), Column(1), Column(2), Column(3));
        string boxes = graph.Apply(
            "Concat",
            [
                graph.Apply("Sub", centreX, Mul(boxWidth, Scalar(0.5f))),
                graph.Apply("Sub", centreY, Mul(boxHeight, Scalar(0.5f))),
                boxWidth,
                boxHeight,
            ],
            OnnxAttribute.Int("axis", 1)
        );
        Padded(faces.Scores, 1, 0f, FaceScoresName);
        Padded(boxes, 4, float.NaN, FaceBoxesName);
        Padded(keypoints, coordinates, float.NaN, FaceKeypointsName);
        graph.AddNode("Reshape", [Float(faces.Count), Ints(1, 1)], [FaceCountName]);
        graph.AddOutput(FaceCountName, 1, 1);
        graph.AddNode(
            "Reshape",
            [graph.Apply("Concat", [photoWidth, photoHeight], OnnxAttribute.Int("axis", 0)), Ints(1, 2)],
            [PhotoSizeName]
        );
        graph.AddOutput(PhotoSizeName, 1, 2);
    }

    private string Pattern(Func<int, bool> where) =>
        graph.Constant([.. Enumerable.Range(0, Geometry).Select(c => where(c) ? 1f : 0f)], Geometry);

    private string Scalar(float value) => graph.Constant([value]);

    private string Ints(params long[] values) => graph.Constant(values, values.Length);

    private string Mul(string a, string b) => graph.Apply("Mul", a, b);

    private string Div(string a, string b) => graph.Apply("Div", a, b);

    private string Float(string value) =>
        graph.Apply("Cast", [value], OnnxAttribute.Int("to", (long)TensorProto.Types.DataType.Float));

    private string Long(string value) =>
        graph.Apply("Cast", [value], OnnxAttribute.Int("to", (long)TensorProto.Types.DataType.Int64));

    /// <summary>Where the photo lies in the working frame: its first column and row (float and int64), frame pixels per
    /// photo pixel, its extent in frame pixels (int64), its size in photo pixels, and 1 when its file's size could be
    /// read.</summary>
    private sealed record Content(
        string Left,
        string Top,
        string LeftIndex,
        string TopIndex,
        string ScaleX,
        string ScaleY,
        string ContentWidth,
        string ContentHeight,
        string PhotoWidth,
        string PhotoHeight,
        string Valid
    );

    /// <summary>The kept faces: their count ([1] int64), scores ([F]) and blended geometry ([F, 16]), F at least
    /// 1.</summary>
    private sealed record Faces(string Count, string Scores, string Geometry);

    /// <summary>Each face's network frame, [F, 1] each.</summary>
    private sealed record Frames(string Left, string Top, string Scale);
}
