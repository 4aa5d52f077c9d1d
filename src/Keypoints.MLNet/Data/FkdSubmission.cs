using System.Globalization;
using System.Text;
using Keypoints.MLNet.Layouts;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keypoints.MLNet.Data;

/// <summary>
/// Writes a Kaggle "Facial Keypoints Detection" submission file from predicted keypoints.
/// </summary>
/// <remarks>
/// File format: header <c>RowId,Location</c>, then one row per entry of the <see cref="IdLookupTable"/>, in its
/// order: the <c>RowId</c> and the predicted coordinate in pixels, invariant culture, shortest round-trip
/// form (<c>66.03356</c>), lines ending in <c>\n</c>, UTF-8 without byte order mark.
/// </remarks>
public static class FkdSubmission
{
    /// <summary>
    /// Writes the submission for <paramref name="lookup"/> from a scored test file: the <c>ImageId</c> column and the
    /// predicted coordinates of every row of <paramref name="scored"/> (for example a model's <c>Transform</c> of
    /// <c>LoadFkdTestCsv</c>), as the other overload writes them.
    /// </summary>
    /// <param name="path">The submission file to create or replace.</param>
    /// <param name="lookup">The rows to write and the coordinate each one asks for.</param>
    /// <param name="scored">Rows with an <c>ImageId</c> (<see cref="int"/>) column and a prediction column of
    /// <c>2K</c> pixel coordinates in the order of <paramref name="layout"/>.</param>
    /// <param name="layout">The keypoints of the predictions.</param>
    /// <param name="predictedColumnName">The prediction column.</param>
    /// <exception cref="KeypointDataException">The test file behind <paramref name="scored"/> is malformed: the
    /// loader's own error, with its file, line and column, also when ML.NET wraps it while scoring.</exception>
    /// <returns>The number of images predicted: the distinct <c>ImageId</c>s of <paramref name="scored"/>.</returns>
    /// <exception cref="ArgumentException">A column is missing or of the wrong type, or as for the other
    /// overload.</exception>
    public static int Write(
        string path,
        IdLookupTable lookup,
        IDataView scored,
        KeypointLayout layout,
        string predictedColumnName = "PredictedKeypoints"
    )
    {
        ArgumentNullException.ThrowIfNull(scored);
        ArgumentNullException.ThrowIfNull(layout);
        var predictions = WrappedDataError.Unwrap(() => ReadPredictions(scored, layout, predictedColumnName));
        Write(path, lookup, predictions, layout);
        return predictions.Count;
    }

    /// <summary>
    /// Writes the submission for <paramref name="lookup"/>. The file appears complete or not at all: it is
    /// written to a temporary file beside <paramref name="path"/> and renamed over it at the end.
    /// </summary>
    /// <param name="path">The submission file to create or replace.</param>
    /// <param name="lookup">The rows to write and the coordinate each one asks for.</param>
    /// <param name="predictionsByImageId">Predicted coordinates per test <c>ImageId</c>, interleaved
    /// <c>x0, y0, x1, y1, ...</c> in pixels in the order of <paramref name="layout"/>.</param>
    /// <param name="layout">The keypoints of the predictions; maps a <c>FeatureName</c> such as
    /// <c>left_eye_center_x</c> to its coordinate, and gives the image size.</param>
    /// <remarks>As in the competition's convention, x is clipped to [0, width] and y to [0, height].</remarks>
    /// <exception cref="ArgumentException">An entry asks for an image that has no prediction or a feature that the
    /// layout lacks, a prediction has the wrong number of coordinates, or a predicted coordinate is not finite;
    /// the message names the <c>RowId</c>. The file is then left as it was.</exception>
    public static void Write(
        string path,
        IdLookupTable lookup,
        IReadOnlyDictionary<int, float[]> predictionsByImageId,
        KeypointLayout layout
    )
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(lookup);
        ArgumentNullException.ThrowIfNull(predictionsByImageId);
        ArgumentNullException.ThrowIfNull(layout);

        var coordinateIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < layout.CoordinateNames.Count; i++)
            coordinateIndex[layout.CoordinateNames[i]] = i;
        WriteReplacing(path, writer =>
        {
            writer.WriteLine("RowId,Location");
            foreach (var entry in lookup.Entries)
            {
                float location = Location(entry, predictionsByImageId, layout, coordinateIndex);
                writer.Write(entry.RowId.ToString(CultureInfo.InvariantCulture));
                writer.Write(',');
                writer.WriteLine(location.ToString(CultureInfo.InvariantCulture));
            }
        });
    }

    /// <summary>Writes a temporary file beside <paramref name="path"/> and renames it over <paramref name="path"/>;
    /// when <paramref name="write"/> throws, removes the temporary file and leaves <paramref name="path"/> as it
    /// was.</summary>
    private static void WriteReplacing(string path, Action<StreamWriter> write)
    {
        string fullPath = Path.GetFullPath(path);
        string temporaryPath = Path.Combine(
            Path.GetDirectoryName(fullPath)!,
            $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp"
        );
        try
        {
            using (var stream = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            using (
                var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false))
                {
                    NewLine = "\n",
                }
            )
            {
                write(writer);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporaryPath, fullPath, overwrite: true);
        }
        finally
        {
            // Only present when writing failed; after the rename there is nothing left to remove.
            File.Delete(temporaryPath);
        }
    }

    /// <summary>The pixel coordinate <paramref name="entry"/> asks for, clipped to the image.</summary>
    private static float Location(
        IdLookupEntry entry,
        IReadOnlyDictionary<int, float[]> predictionsByImageId,
        KeypointLayout layout,
        Dictionary<string, int> coordinateIndex
    )
    {
        if (!predictionsByImageId.TryGetValue(entry.ImageId, out float[]? prediction))
        {
            throw new ArgumentException(
                $"RowId {entry.RowId} asks for image {entry.ImageId}, which has no prediction.",
                nameof(predictionsByImageId)
            );
        }

        if (prediction.Length != layout.CoordinateCount)
        {
            throw new ArgumentException(
                $"RowId {entry.RowId}: the prediction for image {entry.ImageId} has {prediction.Length} coordinates; "
                    + $"layout '{layout.Name}' has {layout.CoordinateCount}.",
                nameof(predictionsByImageId)
            );
        }

        if (!coordinateIndex.TryGetValue(entry.FeatureName, out int index))
        {
            throw new ArgumentException(
                $"RowId {entry.RowId} asks for '{entry.FeatureName}', which is not a coordinate of layout "
                    + $"'{layout.Name}' ({string.Join(", ", layout.CoordinateNames)}).",
                "lookup"
            );
        }

        float value = prediction[index];
        if (!float.IsFinite(value))
        {
            throw new ArgumentException(
                $"RowId {entry.RowId}: the prediction of '{entry.FeatureName}' for image {entry.ImageId} is {value}, "
                    + $"not a finite number.",
                nameof(predictionsByImageId)
            );
        }
        // Coordinates are interleaved x, y: even indices are x.
        return Math.Clamp(value, 0f, index % 2 == 0 ? layout.ImageWidth : layout.ImageHeight);
    }

    private static Dictionary<int, float[]> ReadPredictions(
        IDataView scored,
        KeypointLayout layout,
        string predictedColumnName
    )
    {
        var imageId = scored.Schema.GetColumnOrNull(FkdCsv.ImageIdColumnName);
        if (imageId is not { Type: var type } || type != NumberDataViewType.Int32)
        {
            throw new ArgumentException(
                $"The scored rows need an {FkdCsv.ImageIdColumnName} column of Int32, as LoadFkdTestCsv gives; found "
                    + (imageId is null ? "none." : $"{imageId.Value.Type}."),
                nameof(scored)
            );
        }

        var predicted = SchemaChecks.RequireSingleVector(
            scored.Schema,
            predictedColumnName,
            "prediction",
            layout.CoordinateCount,
            $"coordinates of layout '{layout.Name}'"
        );
        var predictions = new Dictionary<int, float[]>();
        using var cursor = scored.GetRowCursor([imageId.Value, predicted]);
        var getId = cursor.GetGetter<int>(imageId.Value);
        var getPrediction = cursor.GetGetter<VBuffer<float>>(predicted);
        int id = 0;
        VBuffer<float> prediction = default;
        while (cursor.MoveNext())
        {
            getId(ref id);
            getPrediction(ref prediction);
            predictions[id] = prediction.DenseValues().ToArray();
        }
        return predictions;
    }
}
