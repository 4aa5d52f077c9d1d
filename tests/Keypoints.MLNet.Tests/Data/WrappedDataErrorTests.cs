using System.Reflection;
using System.Runtime.CompilerServices;
using Keypoints.MLNet.Data;
using Keypoints.MLNet.Layouts;
using Microsoft.ML;

namespace Keypoints.MLNet.Tests.Data;

/// <summary>A data file's own error reaches the caller when ML.NET's parallel cursor wraps it.</summary>
public sealed class WrappedDataErrorTests : IDisposable
{
    private const string Header = "left_eye_x,left_eye_y,nose_x,nose_y,Image\n";
    private const string GoodRow = "1,1,1,1,0 10 20 30\n";
    private const string BadRow = "1,abc,1,1,0 10 20 30\n";
    private const string LoaderMessage =
        "bad.csv line 4, column 2 (left_eye_y): 'abc' is not a coordinate: expected a finite decimal number, or an "
        + "empty field for a missing label.";
    private readonly TempFolder temp = new();
    private readonly MLContext ml = new(seed: 1);
    private KeypointLayout layout = KeypointLayout.Kaggle15;

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Find_ReturnsTheInnermostKeypointDataException()
    {
        var innermost = new KeypointDataException("a.csv", 3, 2, "x", "inner.");
        var outer = new KeypointDataException("a.csv", 1, null, null, "outer.", innermost);

        var found = WrappedDataError.Find(
            new InvalidOperationException("wrapped", new TargetInvocationException(outer))
        );

        Assert.Same(innermost, found);
    }

    [Fact]
    public void Find_PrefersAKeypointDataException_ToAnInvalidDataException()
    {
        var image = new InvalidDataException("Image file 'a.jpg' cannot be decoded completely.");
        var data = new KeypointDataException("a.csv", 2, 1, "image", "bad image.", image);

        Assert.Same(data, WrappedDataError.Find(new InvalidOperationException("wrapped", data)));
        Assert.Same(image, WrappedDataError.Find(new InvalidOperationException("wrapped", image)));
    }

    [Fact]
    public void Find_TakesTheOutermostInvalidDataException_WhichNamesTheFile()
    {
        var cause = new InvalidDataException("End of Central Directory record could not be found.");
        var named = new InvalidDataException("Model file 'm.zip' starts like a zip but cannot be read as one.", cause);

        Assert.Same(named, WrappedDataError.Find(new InvalidOperationException("wrapped", named)));
        Assert.Same(named, WrappedDataError.Find(named));
    }

    [Fact]
    public void Find_LooksInsideAggregateExceptions()
    {
        var data = new KeypointDataException("a.csv", 2, null, null, "bad.");

        var found = WrappedDataError.Find(
            new AggregateException(new OperationCanceledException(), new InvalidOperationException("w", data))
        );

        Assert.Same(data, found);
    }

    [Fact]
    public void Find_ReturnsNull_WhenNoDataErrorIsWrapped() =>
        Assert.Null(WrappedDataError.Find(new InvalidOperationException("wrapped", new ArgumentException("x"))));

    [Fact]
    public void Unwrap_RethrowsTheDataError_WithItsOriginalStackTrace()
    {
        var error = Assert.Throws<KeypointDataException>(() =>
            WrappedDataError.Unwrap<int>(() =>
            {
                try
                {
                    ThrowDataError();
                }
                catch (KeypointDataException e)
                {
                    throw new InvalidOperationException(
                        "Splitter/consolidator worker encountered exception while consuming source data",
                        e
                    );
                }
                return 0;
            })
        );

        Assert.Contains(nameof(ThrowDataError), error.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void Unwrap_LeavesOtherExceptionsAsTheyAre()
    {
        var other = new InvalidOperationException("not about data", new ArgumentException("x"));

        var thrown = Assert.Throws<InvalidOperationException>(() => WrappedDataError.Unwrap<int>(() => throw other));

        Assert.Same(other, thrown);
    }

    [Fact]
    public void TransformedView_WrapsTheLoadersError_WhenReadDirectly()
    {
        // The premise of the tests below: reading a transformed view of a bad file through ML.NET hides the loader's
        // message.
        var error = Assert.ThrowsAny<Exception>(() => FkdRows.Vectors(Scored(), "PredictedKeypoints"));

        Assert.IsNotType<KeypointDataException>(error);
        Assert.Equal(LoaderMessage, WrappedDataError.Find(error)?.Message);
    }

    [Fact]
    public void Evaluate_ReportsTheLoadersMessage_WhenMLNetWrapsIt()
    {
        var scored = Scored();

        var error = Assert.Throws<KeypointDataException>(() => ml.Keypoints.Evaluate(scored, layout));

        Assert.Equal(LoaderMessage, error.Message);
    }

    [Fact]
    public void FilterMissing_ReportsTheLoadersMessage_WhenMLNetWrapsIt()
    {
        var filtered = ml.Data.Keypoints.FilterMissing(Scored(), layout);

        var error = Assert.Throws<KeypointDataException>(() => FkdRows.Vectors(filtered, "PredictedKeypoints"));

        Assert.Equal(LoaderMessage, error.Message);
    }

    [Fact]
    public void AppendFlipped_ReportsTheLoadersMessage_WhenMLNetWrapsIt()
    {
        var doubled = ml.Data.Keypoints.AppendFlipped(Scored(), layout);

        var error = Assert.Throws<KeypointDataException>(() => FkdRows.Vectors(doubled, "PredictedKeypoints"));

        Assert.Equal(LoaderMessage, error.Message);
    }

    /// <summary>A bad file behind an ML.NET transform, as a model's Transform output is.</summary>
    private IDataView Scored()
    {
        var data = FkdCsv.LoadTraining(temp.Write("bad.csv", Header + GoodRow + GoodRow + BadRow + GoodRow), 2, 2);
        layout = data.Layout;
        return ml.Transforms.CopyColumns("PredictedKeypoints", FkdCsv.KeypointsColumnName).Fit(data).Transform(data);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowDataError() => throw new KeypointDataException("a.csv", 2, null, null, "bad.");
}
