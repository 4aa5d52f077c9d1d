using Keypoints.MLNet.Layouts;

namespace Keypoints.MLNet.Training;

/// <summary>A keypoint group that gets a specialist, with the rows where the whole group is present.</summary>
/// <param name="Group">The layout's group.</param>
/// <param name="Index">The group's position in the layout, which picks its specialist's seed.</param>
/// <param name="Coordinates">The group's coordinates (x and y of each keypoint) in the layout's order.</param>
/// <param name="Train">The training rows with every one of <paramref name="Coordinates"/>, those coordinates as
/// targets.</param>
/// <param name="Validation">The validation rows, those coordinates as targets; null without validation.</param>
internal sealed record SpecialistGroup(
    KeypointGroup Group,
    int Index,
    int[] Coordinates,
    TrainingData Train,
    TrainingData? Validation
)
{
    /// <summary>The groups of <paramref name="layout"/> that have training rows, in the layout's order.</summary>
    public static SpecialistGroup[] Of(KeypointLayout layout, TrainingData train, TrainingData? validation) =>
        layout
            .Groups.Select(
                (group, g) =>
                    (
                        Group: group,
                        Index: g,
                        Coordinates: group.KeypointIndices.SelectMany(k => new[] { 2 * k, 2 * k + 1 }).ToArray()
                    )
            )
            .Select(x => new SpecialistGroup(
                x.Group,
                x.Index,
                x.Coordinates,
                train.SelectCoordinates(x.Coordinates),
                validation?.SelectCoordinates(x.Coordinates)
            ))
            .Where(x => x.Train.Rows > 0)
            .ToArray();
}
