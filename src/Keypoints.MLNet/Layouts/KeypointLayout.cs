namespace Keypoints.MLNet.Layouts;

/// <summary>
/// Describes a keypoint set: the ordered keypoint names, the size of the image the coordinates
/// refer to, which keypoints swap places when the face is mirrored, and named groups.
/// Every other type of the library takes a layout instead of assuming the Kaggle 15 points.
/// </summary>
/// <remarks>
/// Coordinates are stored interleaved, <c>x0, y0, x1, y1, ...</c>, in pixels of an image of
/// <see cref="ImageWidth"/> by <see cref="ImageHeight"/>, with pixel centers at integer positions
/// (the left column's center is x = 0). "Left" and "right" are the subject's own sides.
/// </remarks>
public sealed class KeypointLayout
{
    private readonly int[] flipPermutation;

    /// <summary>Creates a layout and checks that names are unique and pairs and groups are in range.</summary>
    /// <param name="name">A name for the layout, used in messages and model metadata.</param>
    /// <param name="keypointNames">Keypoint names in coordinate order.</param>
    /// <param name="imageWidth">Width in pixels of the image the coordinates refer to.</param>
    /// <param name="imageHeight">Height in pixels of the image the coordinates refer to.</param>
    /// <param name="flipPairs">Pairs of keypoint indices that swap when the image is mirrored left to right.</param>
    /// <param name="groups">Named keypoint groups, for example the specialists' groups; may be empty.</param>
    public KeypointLayout(
        string name,
        IReadOnlyList<string> keypointNames,
        int imageWidth,
        int imageHeight,
        IReadOnlyList<(int Left, int Right)> flipPairs,
        IReadOnlyList<KeypointGroup> groups
    )
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(keypointNames);
        ArgumentNullException.ThrowIfNull(flipPairs);
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(imageWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(imageHeight);
        if (keypointNames.Count == 0)
            throw new ArgumentException("A keypoint layout needs at least one keypoint.", nameof(keypointNames));
        var duplicate = keypointNames.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException(
                $"Keypoint name '{duplicate.Key}' appears more than once.",
                nameof(keypointNames)
            );
        }

        Name = name;
        KeypointNames = keypointNames.ToArray();
        ImageWidth = imageWidth;
        ImageHeight = imageHeight;
        flipPermutation = Enumerable.Range(0, keypointNames.Count).ToArray();
        foreach (var (left, right) in flipPairs)
        {
            CheckIndex(left, nameof(flipPairs));
            CheckIndex(right, nameof(flipPairs));
            if (flipPermutation[left] != left || flipPermutation[right] != right || left == right)
            {
                throw new ArgumentException(
                    $"Flip pair ({left}, {right}) overlaps another pair or pairs a keypoint with itself.",
                    nameof(flipPairs)
                );
            }

            flipPermutation[left] = right;
            flipPermutation[right] = left;
        }
        FlipPairs = flipPairs.ToArray();
        foreach (var group in groups)
        {
            if (group.KeypointIndices.Count == 0)
                throw new ArgumentException($"Group '{group.Name}' has no keypoints.", nameof(groups));
            foreach (int index in group.KeypointIndices)
                CheckIndex(index, nameof(groups));
        }
        Groups = groups.ToArray();
        EyeCenterKeypoints = FindEyeCenterKeypoints(KeypointNames);
        OuterEyeCornerKeypoints = FindOuterEyeCornerKeypoints(KeypointNames);
    }

    private static readonly (string Left, string Right)[] OuterEyeCornerNames =
    [
        ("left_eye_outer_corner", "right_eye_outer_corner"),
        ("left_eye_45", "right_eye_36"),
    ];

    /// <summary>The Kaggle "Facial Keypoints Detection" layout: 15 keypoints in a 96 x 96 grey image,
    /// in the competition's column order, with Nouri's six specialist groups.</summary>
    public static KeypointLayout Kaggle15 { get; } = CreateKaggle15();

    /// <summary>The 68-point iBUG layout (0-based, 300-W convention) in a 160 x 160 image, with its mirror permutation
    /// (jaw, eyebrows, nostrils, eyes and mouth swapped across the mid-line; nose bridge and mid-line lip points fixed)
    /// and the groups <c>jaw</c>, <c>eyebrows</c>, <c>nose</c>, <c>eyes</c>, <c>mouth</c>.</summary>
    public static KeypointLayout Ibug68 { get; } = Ibug68Layout.Create();

    /// <summary>The layout's name.</summary>
    public string Name { get; }

    /// <summary>Keypoint names in coordinate order.</summary>
    public IReadOnlyList<string> KeypointNames { get; }

    /// <summary>Number of keypoints (half the number of coordinates).</summary>
    public int KeypointCount => KeypointNames.Count;

    /// <summary>Number of coordinates, <c>2 * KeypointCount</c>.</summary>
    public int CoordinateCount => 2 * KeypointNames.Count;

    /// <summary>Width in pixels of the image the coordinates refer to.</summary>
    public int ImageWidth { get; }

    /// <summary>Height in pixels of the image the coordinates refer to.</summary>
    public int ImageHeight { get; }

    /// <summary>Keypoint index pairs that swap places when the image is mirrored left to right.</summary>
    public IReadOnlyList<(int Left, int Right)> FlipPairs { get; }

    /// <summary>Named keypoint groups (for the Kaggle layout: Nouri's six specialist groups).</summary>
    public IReadOnlyList<KeypointGroup> Groups { get; }

    /// <summary>The keypoints whose mean is the center of each eye (the subject's left and right), found by name:
    /// <c>left_eye_center</c> and <c>right_eye_center</c> when the layout has them (Kaggle15), else every
    /// <c>left_eye_N</c> and
    /// <c>right_eye_N</c> (Ibug68: 42-47 and 36-41). <see langword="null"/> when the layout names no eyes.</summary>
    public (IReadOnlyList<int> Left, IReadOnlyList<int> Right)? EyeCenterKeypoints { get; }

    /// <summary>The keypoints of the outer eye corners (the subject's left and right), whose distance 300-W papers
    /// normalize by, found by name: <c>left_eye_outer_corner</c> and <c>right_eye_outer_corner</c> (Kaggle15), or
    /// <c>left_eye_45</c> and <c>right_eye_36</c> (Ibug68's numbering). <see langword="null"/> when the layout names
    /// neither pair.</summary>
    public (int Left, int Right)? OuterEyeCornerKeypoints { get; }

    /// <summary>The centers of both eyes in pixels, from one row of <c>2K</c> interleaved coordinates, each the mean of
    /// <see cref="EyeCenterKeypoints"/>; <see langword="false"/> when the layout names no eyes or a coordinate is
    /// missing (NaN).</summary>
    /// <param name="coordinates">One face's coordinates, <c>x0, y0, x1, y1, ...</c>.</param>
    /// <param name="left">The subject's left eye center.</param>
    /// <param name="right">The subject's right eye center.</param>
    public bool TryGetEyeCenters(
        ReadOnlySpan<float> coordinates,
        out (double X, double Y) left,
        out (double X, double Y) right
    )
    {
        left = right = (double.NaN, double.NaN);
        if (EyeCenterKeypoints is not { } eyes || coordinates.Length != CoordinateCount)
            return false;
        left = Mean(coordinates, eyes.Left);
        right = Mean(coordinates, eyes.Right);
        return double.IsFinite(left.X)
            && double.IsFinite(left.Y)
            && double.IsFinite(right.X)
            && double.IsFinite(right.Y);
    }

    private static (double X, double Y) Mean(ReadOnlySpan<float> coordinates, IReadOnlyList<int> keypoints)
    {
        double x = 0,
            y = 0;
        foreach (int k in keypoints)
        {
            x += coordinates[2 * k];
            y += coordinates[2 * k + 1];
        }
        return (x / keypoints.Count, y / keypoints.Count);
    }

    private static (IReadOnlyList<int> Left, IReadOnlyList<int> Right)? FindEyeCenterKeypoints(
        IReadOnlyList<string> names
    )
    {
        int leftCenter = IndexOfName(names, "left_eye_center"),
            rightCenter = IndexOfName(names, "right_eye_center");
        if (leftCenter >= 0 && rightCenter >= 0)
            return ([leftCenter], [rightCenter]);
        int[] Numbered(string prefix) =>
            Enumerable
                .Range(0, names.Count)
                .Where(i =>
                    names[i].StartsWith(prefix, StringComparison.Ordinal)
                    && names[i].Length > prefix.Length
                    && names[i].AsSpan(prefix.Length).IndexOfAnyExceptInRange('0', '9') < 0
                )
                .ToArray();
        int[] left = Numbered("left_eye_");
        int[] right = Numbered("right_eye_");
        return left.Length > 0 && right.Length > 0 ? (left, right) : null;
    }

    private static (int Left, int Right)? FindOuterEyeCornerKeypoints(IReadOnlyList<string> names)
    {
        foreach (var (left, right) in OuterEyeCornerNames)
        {
            int l = IndexOfName(names, left),
                r = IndexOfName(names, right);
            if (l >= 0 && r >= 0)
                return (l, r);
        }

        return null;
    }

    private static int IndexOfName(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
                return i;
        }
        return -1;
    }

    /// <summary>Column names of the coordinates in Kaggle style: <c>name_x</c>, <c>name_y</c> per keypoint.</summary>
    public IReadOnlyList<string> CoordinateNames =>
        KeypointNames.SelectMany(n => new[] { n + "_x", n + "_y" }).ToArray();

    /// <summary>For each keypoint index, the index of the keypoint it becomes in a mirrored image
    /// (itself for keypoints on the vertical mid-line).</summary>
    public IReadOnlyList<int> FlipPermutation => flipPermutation;

    /// <summary>The same keypoints, flip pairs and groups with coordinates that refer to an image of another size
    /// (for example the network's input after a resize).</summary>
    /// <param name="imageWidth">Width in pixels of the image.</param>
    /// <param name="imageHeight">Height in pixels of the image.</param>
    public KeypointLayout WithImageSize(int imageWidth, int imageHeight) =>
        imageWidth == ImageWidth && imageHeight == ImageHeight
            ? this
            : new KeypointLayout(Name, KeypointNames, imageWidth, imageHeight, FlipPairs, Groups);

    /// <summary>Returns the index of a keypoint by name.</summary>
    /// <exception cref="ArgumentException">No keypoint has that name.</exception>
    public int IndexOf(string keypointName)
    {
        for (int i = 0; i < KeypointNames.Count; i++)
        {
            if (string.Equals(KeypointNames[i], keypointName, StringComparison.Ordinal))
                return i;
        }
        throw new ArgumentException(
            $"Layout '{Name}' has no keypoint named '{keypointName}'. Known keypoints: "
                + $"{string.Join(", ", KeypointNames)}.",
            nameof(keypointName)
        );
    }

    /// <summary>The layout of one group's keypoints alone (in the group's order, same image size), as a specialist
    /// predicts them. Flip pairs are kept when both keypoints are in the group; <see cref="IsMirrorClosed"/> says
    /// whether that covers every one.</summary>
    /// <param name="group">The group, one of <see cref="Groups"/> or any set of this layout's keypoint indices.</param>
    public KeypointLayout Subset(KeypointGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var indices = group.KeypointIndices;
        foreach (int index in indices)
            CheckIndex(index, nameof(group));
        var position = indices.Select((keypoint, i) => (keypoint, i)).ToDictionary(p => p.keypoint, p => p.i);
        var pairs = FlipPairs
            .Where(p => position.ContainsKey(p.Left) && position.ContainsKey(p.Right))
            .Select(p => (position[p.Left], position[p.Right]))
            .ToArray();
        return new KeypointLayout(
            $"{Name}.{group.Name}",
            indices.Select(i => KeypointNames[i]).ToArray(),
            ImageWidth,
            ImageHeight,
            pairs,
            Array.Empty<KeypointGroup>()
        );
    }

    /// <summary>Whether mirroring maps <paramref name="group"/> onto itself (each keypoint's mirror partner is in the
    /// group), so a specialist for it can be trained with flip augmentation.</summary>
    public bool IsMirrorClosed(KeypointGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        return group.KeypointIndices.All(k => group.KeypointIndices.Contains(flipPermutation[k]));
    }

    /// <summary>Builds a layout from coordinate column names: <c>&lt;name&gt;_x,&lt;name&gt;_y</c> pairs (flip pairs
    /// found from names that differ only in <c>left</c> and <c>right</c>), or numbered <c>x0,y0,x1,y1,...</c> pairs.
    /// The Kaggle 30 columns give <see cref="Kaggle15"/> and 68 numbered pairs give <see cref="Ibug68"/> (with their
    /// flip pairs and groups), at the given image size.
    /// Numbered pairs of another count have keypoint names <c>0</c>, <c>1</c>, ... and no flip pairs.</summary>
    /// <param name="name">A name for the layout.</param>
    /// <param name="coordinateColumns">Column names, x before y for each keypoint.</param>
    /// <param name="imageWidth">Width in pixels of the image.</param>
    /// <param name="imageHeight">Height in pixels of the image.</param>
    /// <exception cref="FormatException">The columns are not <c>_x</c>/<c>_y</c> pairs of one name, nor <c>xN,yN</c>
    /// pairs numbered from 0.</exception>
    public static KeypointLayout FromCoordinateColumns(
        string name,
        IReadOnlyList<string> coordinateColumns,
        int imageWidth,
        int imageHeight
    )
    {
        ArgumentNullException.ThrowIfNull(coordinateColumns);
        if (coordinateColumns.Count == 0 || coordinateColumns.Count % 2 != 0)
        {
            throw new FormatException(
                $"Expected pairs of '<name>_x,<name>_y' or 'x0,y0' columns, found {coordinateColumns.Count} columns."
            );
        }

        if (IsNumbered(coordinateColumns))
            return FromNumberedColumns(name, coordinateColumns.Count / 2, imageWidth, imageHeight);
        var names = PairNames(coordinateColumns);
        // The competition's columns mean its keypoints, flip pairs and specialist groups at any image size (a 128 x 128
        // crop too).
        if (names.SequenceEqual(Kaggle15.KeypointNames))
            return Kaggle15.WithImageSize(imageWidth, imageHeight);
        return new KeypointLayout(name, names, imageWidth, imageHeight, FindFlipPairs(names), []);
    }

    /// <summary>68 numbered pairs are the iBUG layout; another count is keypoints named 0, 1, ... without flip
    /// pairs.</summary>
    private static KeypointLayout FromNumberedColumns(string name, int count, int imageWidth, int imageHeight) =>
        count == Ibug68.KeypointCount
            ? Ibug68.WithImageSize(imageWidth, imageHeight)
            : new KeypointLayout(
                name,
                Enumerable
                    .Range(0, count)
                    .Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))
                    .ToArray(),
                imageWidth,
                imageHeight,
                [],
                []
            );

    /// <summary>The keypoint names of <c>&lt;name&gt;_x,&lt;name&gt;_y</c> column pairs.</summary>
    /// <exception cref="FormatException">Two columns are not such a pair.</exception>
    private static List<string> PairNames(IReadOnlyList<string> coordinateColumns)
    {
        var names = new List<string>();
        for (int i = 0; i < coordinateColumns.Count; i += 2)
        {
            string x = coordinateColumns[i],
                y = coordinateColumns[i + 1];
            if (
                !x.EndsWith("_x", StringComparison.Ordinal)
                || !y.EndsWith("_y", StringComparison.Ordinal)
                || !string.Equals(x[..^2], y[..^2], StringComparison.Ordinal)
            )
            {
                throw new FormatException(
                    $"Columns {i + 1} and {i + 2} ('{x}', '{y}') are not a '<name>_x,<name>_y' pair (nor "
                        + $"'x{i / 2},y{i / 2}')."
                );
            }
            names.Add(x[..^2]);
        }
        return names;
    }

    /// <summary>Whether the columns are exactly <c>x0,y0,x1,y1,...</c>.</summary>
    private static bool IsNumbered(IReadOnlyList<string> columns)
    {
        for (int i = 0; i < columns.Count; i += 2)
        {
            string k = (i / 2).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (
                !string.Equals(columns[i], "x" + k, StringComparison.Ordinal)
                || !string.Equals(columns[i + 1], "y" + k, StringComparison.Ordinal)
            )
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Pairs names that differ only by <c>left</c> ↔ <c>right</c> (any case, as whole tokens).</summary>
    internal static IReadOnlyList<(int Left, int Right)> FindFlipPairs(IReadOnlyList<string> names)
    {
        var pairs = new List<(int, int)>();
        for (int i = 0; i < names.Count; i++)
        {
            string? mirrored = MirrorName(names[i]);
            if (mirrored is null || !names[i].Contains("left", StringComparison.OrdinalIgnoreCase))
                continue;
            for (int j = 0; j < names.Count; j++)
            {
                if (j != i && string.Equals(names[j], mirrored, StringComparison.OrdinalIgnoreCase))
                {
                    pairs.Add((i, j));
                    break;
                }
            }
        }
        return pairs;
    }

    private static string? MirrorName(string name)
    {
        if (name.Contains("left", StringComparison.OrdinalIgnoreCase))
            return name.Replace("left", "right", StringComparison.OrdinalIgnoreCase);
        if (name.Contains("right", StringComparison.OrdinalIgnoreCase))
            return name.Replace("right", "left", StringComparison.OrdinalIgnoreCase);
        return null;
    }

    private void CheckIndex(int index, string parameter)
    {
        if (index < 0 || index >= KeypointNames.Count)
        {
            throw new ArgumentOutOfRangeException(
                parameter,
                index,
                $"Keypoint index must be in [0, {KeypointNames.Count})."
            );
        }
    }

    private static KeypointLayout CreateKaggle15()
    {
        string[] names =
        [
            "left_eye_center",
            "right_eye_center",
            "left_eye_inner_corner",
            "left_eye_outer_corner",
            "right_eye_inner_corner",
            "right_eye_outer_corner",
            "left_eyebrow_inner_end",
            "left_eyebrow_outer_end",
            "right_eyebrow_inner_end",
            "right_eyebrow_outer_end",
            "nose_tip",
            "mouth_left_corner",
            "mouth_right_corner",
            "mouth_center_top_lip",
            "mouth_center_bottom_lip",
        ];
        int I(string n) => Array.IndexOf(names, n);
        KeypointGroup G(string group, params string[] members) => new(group, members.Select(I).ToArray());
        var groups = new[]
        {
            G("eye_centers", "left_eye_center", "right_eye_center"),
            G("nose_tip", "nose_tip"),
            G("mouth_corners_top_lip", "mouth_left_corner", "mouth_right_corner", "mouth_center_top_lip"),
            G("bottom_lip", "mouth_center_bottom_lip"),
            G(
                "eye_corners",
                "left_eye_inner_corner",
                "right_eye_inner_corner",
                "left_eye_outer_corner",
                "right_eye_outer_corner"
            ),
            G(
                "eyebrows",
                "left_eyebrow_inner_end",
                "right_eyebrow_inner_end",
                "left_eyebrow_outer_end",
                "right_eyebrow_outer_end"
            ),
        };
        return new KeypointLayout("Kaggle15", names, 96, 96, FindFlipPairs(names), groups);
    }
}
