namespace Keypoints.MLNet.Layouts;

/// <summary>
/// Builds the 68-point iBUG layout (300-W convention, 0-based): 0-16 jaw, 17-21 the subject's right eyebrow,
/// 22-26 the left eyebrow, 27-30 nose bridge, 31-35 nostrils, 36-41 right eye, 42-47 left eye, 48-59 outer lip,
/// 60-67 inner lip. Names carry the part and the iBUG index (<c>right_eye_36</c>), so the eye centers can be
/// found by name; flip pairs follow the mirrored contour order, not the names.
/// </summary>
internal static class Ibug68Layout
{
    public static KeypointLayout Create()
    {
        string[] names = new string[68];
        void Name(string part, int first, int last)
        {
            for (int i = first; i <= last; i++)
                names[i] = $"{part}_{i}";
        }
        Name("jaw", 0, 16);
        Name("right_eyebrow", 17, 21);
        Name("left_eyebrow", 22, 26);
        Name("nose_bridge", 27, 30);
        Name("nostrils", 31, 35);
        Name("right_eye", 36, 41);
        Name("left_eye", 42, 47);
        Name("outer_lip", 48, 59);
        Name("inner_lip", 60, 67);

        var pairs = new List<(int, int)>();
        for (int i = 0; i < 8; i++)
            pairs.Add((16 - i, i)); // jaw: the subject's left side (image right) is 9-16
        for (int i = 0; i < 5; i++)
            pairs.Add((26 - i, 17 + i)); // eyebrows: 17 ↔ 26 ... 21 ↔ 22
        pairs.Add((35, 31));
        pairs.Add((34, 32));
        // Eyes run clockwise in the image: the outer corner 36 mirrors to the left eye's outer corner 45.
        pairs.AddRange([(45, 36), (44, 37), (43, 38), (42, 39), (47, 40), (46, 41)]);
        pairs.AddRange([(54, 48), (53, 49), (52, 50), (59, 55), (58, 56), (64, 60), (63, 61), (67, 65)]);

        KeypointGroup Range(string group, params (int First, int Last)[] ranges) =>
            new(group, ranges.SelectMany(r => Enumerable.Range(r.First, r.Last - r.First + 1)).ToArray());
        var groups = new[]
        {
            Range("jaw", (0, 16)),
            Range("eyebrows", (17, 26)),
            Range("nose", (27, 35)),
            Range("eyes", (36, 47)),
            Range("mouth", (48, 67)),
        };
        return new KeypointLayout("Ibug68", names, 160, 160, pairs, groups);
    }
}
