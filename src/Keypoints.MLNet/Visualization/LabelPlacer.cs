using SkiaSharp;

namespace Keypoints.MLNet.Visualization;

/// <summary>
/// Finds a place for each text label near its point where it overlaps no label placed before it and no point, so
/// that the names of dense layouts (68 iBUG points) stay readable. Candidates are tried on rings of growing distance
/// around the point, eight directions per ring; a label that has to move off the first ring gets a leader line.
/// </summary>
internal sealed class LabelPlacer
{
    private const int Rings = 24;

    private static readonly (float X, float Y)[] Directions =
    [
        (1, 0),
        (-1, 0),
        (1, -1),
        (1, 1),
        (-1, -1),
        (-1, 1),
        (0, -1),
        (0, 1),
    ];

    private readonly List<SKRect> occupied = [];
    private readonly SKRect bounds;

    /// <summary>A placer for labels inside <paramref name="bounds"/> that keeps clear of dots of
    /// <paramref name="pointRadius"/> at <paramref name="points"/>.</summary>
    public LabelPlacer(SKRect bounds, IEnumerable<SKPoint> points, float pointRadius)
    {
        this.bounds = bounds;
        foreach (var p in points)
            occupied.Add(new SKRect(p.X - pointRadius, p.Y - pointRadius, p.X + pointRadius, p.Y + pointRadius));
    }

    /// <summary>The rectangle for a label of <paramref name="size"/> beside <paramref name="anchor"/>, at least
    /// <paramref name="gap"/> pixels away, and whether it is off the first ring (then draw a leader line).
    /// When every candidate collides, the label goes to the right of the point on the first ring.</summary>
    public (SKRect Box, bool Moved) Place(SKPoint anchor, SKSize size, float gap)
    {
        for (int ring = 1; ring <= Rings; ring++)
        {
            foreach (var (dx, dy) in Directions)
            {
                var box = Candidate(anchor, size, gap * ring, dx, dy);
                if (this.bounds.Contains(box) && !occupied.Exists(box.IntersectsWith))
                {
                    occupied.Add(box);
                    return (box, ring > 1);
                }
            }
        }
        var fallback = Candidate(anchor, size, gap, 1, 0);
        occupied.Add(fallback);
        return (fallback, false);
    }

    /// <summary>A box <paramref name="distance"/> pixels from the anchor in direction (dx, dy): to the right its left
    /// edge, to the left its right edge, above its bottom edge, below its top edge; centred on the other
    /// axis.</summary>
    private static SKRect Candidate(SKPoint anchor, SKSize size, float distance, float dx, float dy)
    {
        float left = dx switch
        {
            > 0 => anchor.X + (dx * distance),
            < 0 => anchor.X + (dx * distance) - size.Width,
            _ => anchor.X - (size.Width / 2),
        };
        float top = dy switch
        {
            > 0 => anchor.Y + (dy * distance),
            < 0 => anchor.Y + (dy * distance) - size.Height,
            _ => anchor.Y - (size.Height / 2),
        };
        return SKRect.Create(left, top, size.Width, size.Height);
    }
}
