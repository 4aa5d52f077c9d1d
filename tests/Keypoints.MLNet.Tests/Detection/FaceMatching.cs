using Keypoints.MLNet.Detection;

namespace Keypoints.MLNet.Tests.Detection;

/// <summary>The rule for "found": a labelled face is found when a detection's eye midpoint lies within half the
/// labelled inter-ocular distance of the labelled midpoint; pairs are taken greedily, nearest first (in units of that
/// distance), one to one. Detections left over are false.</summary>
internal static class FaceMatching
{
    /// <summary>The pairs (label index, detection index) that match.</summary>
    public static List<(int Label, int Detection)> Match(
        IReadOnlyList<LabelledPhotos.Face> labels,
        IReadOnlyList<DetectedFace> detections
    )
    {
        var pairs = new List<(double Distance, int Label, int Detection)>();
        for (int l = 0; l < labels.Count; l++)
        {
            for (int d = 0; d < detections.Count; d++)
            {
                var face = detections[d];
                double midX = (face.RightEye.X + face.LeftEye.X) / 2.0,
                    midY = (face.RightEye.Y + face.LeftEye.Y) / 2.0;
                double distance =
                    Math.Sqrt(Math.Pow(midX - labels[l].MidX, 2) + Math.Pow(midY - labels[l].MidY, 2))
                    / labels[l].InterOcular;
                if (distance <= 0.5)
                    pairs.Add((distance, l, d));
            }
        }
        var usedLabels = new HashSet<int>();
        var usedDetections = new HashSet<int>();
        var matches = new List<(int Label, int Detection)>();
        foreach (var (_, label, detection) in pairs.OrderBy(p => p.Distance))
        {
            if (usedLabels.Contains(label) || usedDetections.Contains(detection))
                continue;
            usedLabels.Add(label);
            usedDetections.Add(detection);
            matches.Add((label, detection));
        }
        return matches;
    }
}
