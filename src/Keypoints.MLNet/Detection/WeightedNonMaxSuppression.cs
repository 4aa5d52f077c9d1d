namespace Keypoints.MLNet.Detection;

/// <summary>MediaPipe's weighted non-maximum suppression (<c>NonMaxSuppressionCalculator</c>, algorithm WEIGHTED, which
/// its face detection graphs use): the best remaining candidate takes every remaining candidate that overlaps it by
/// more than the threshold, and its box and points become their score-weighted mean; its score stays its own
/// (docs/decisions.md#weighted-non-maximum-suppression).</summary>
internal static class WeightedNonMaxSuppression
{
    /// <summary>The merged faces, highest score first, at most <paramref name="maxFaces"/>.</summary>
    public static List<FaceCandidate> Apply(IEnumerable<FaceCandidate> candidates, float iouThreshold, int maxFaces)
    {
        var remaining = candidates.OrderByDescending(c => c.Score).ToList();
        var kept = new List<FaceCandidate>();
        while (remaining.Count > 0 && kept.Count < maxFaces)
        {
            var best = remaining[0];
            double[] blended = new double[FaceCandidate.GeometryLength];
            double totalWeight = 0;
            var rest = new List<FaceCandidate>(remaining.Count);
            foreach (var candidate in remaining)
            {
                if (ReferenceEquals(candidate, best) || best.IntersectionOverUnion(candidate) > iouThreshold)
                {
                    for (int i = 0; i < blended.Length; i++)
                        blended[i] += candidate.Geometry[i] * (double)candidate.Score;
                    totalWeight += candidate.Score;
                }
                else
                {
                    rest.Add(candidate);
                }
            }
            float[] geometry = new float[FaceCandidate.GeometryLength];
            for (int i = 0; i < geometry.Length; i++)
                geometry[i] = totalWeight > 0 ? (float)(blended[i] / totalWeight) : best.Geometry[i];
            kept.Add(new FaceCandidate(best.Score, geometry));
            remaining = rest;
        }
        return kept;
    }
}
