using Keypoints.MLNet.Export;

namespace Keypoints.Cli;

/// <summary>The line that tells the user the terms of use a model inherits from its training data (the shipped
/// models are for research use only), printed by the commands that score photos with it.</summary>
internal static class ModelTerms
{
    /// <summary>The line for <paramref name="metadata"/>, or null when the model records no terms.</summary>
    public static string? Line(KeypointModelMetadata metadata) =>
        metadata.Terms is { } terms ? $"model terms: {terms}" : null;

    /// <summary>Prints <see cref="Line"/> to standard output, when there is one.</summary>
    public static void Print(KeypointModelMetadata metadata)
    {
        if (Line(metadata) is { } line)
            Console.WriteLine(line);
    }
}
