using System.Reflection;
using System.Runtime.InteropServices;
using Keypoints.Cli;
using Keypoints.MLNet.Data;
using Microsoft.ML.OnnxRuntime;

namespace Keypoints.MLNet.Tests.Cli;

/// <summary>How the CLI turns an exception into the one line the user reads, and its exit code.</summary>
public sealed class CliErrorTests
{
    private static KeypointDataException DataError() => new("bad.csv", 3, 31, "Image", "'17x' is not a number");

    [Fact]
    public void From_PrintsTheInnermostKeypointDataException_WhenMLNetWrappedItTwice()
    {
        var wrapped = new InvalidOperationException(
            "Splitter/consolidator worker encountered exception while consuming source data",
            new AggregateException(new InvalidOperationException("Cursor failed", DataError()))
        );

        var error = CliError.From(wrapped);

        Assert.NotNull(error);
        Assert.Equal(DataError().Message, error.Message);
        Assert.Equal(1, error.ExitCode);
    }

    [Fact]
    public void From_PrintsTheInnerException_WhenMLNetThrewOnlyToCarryIt()
    {
        var inner = new InvalidDataException("'face.jpg' is not an image.");
        var wrapped = Thrown(
            () => throw new InvalidOperationException("Error during class instantiation", inner),
            source: "Microsoft.ML.Data"
        );

        Assert.Equal("'face.jpg' is not an image.", CliError.From(wrapped)?.Message);
        Assert.Equal("'face.jpg' is not an image.", CliError.From(new TargetInvocationException(inner))?.Message);
    }

    [Fact]
    public void From_KeepsTheOuterMessage_WhenTheLibraryAddedContext()
    {
        var error = CliError.From(
            new InvalidDataException(
                "'model.zip': not a zip",
                new InvalidDataException("End of central directory not found")
            )
        );

        Assert.Equal("'model.zip': not a zip", error?.Message);
    }

    [Theory]
    [InlineData(typeof(FileNotFoundException))]
    [InlineData(typeof(DirectoryNotFoundException))]
    [InlineData(typeof(IOException))]
    [InlineData(typeof(UnauthorizedAccessException))]
    [InlineData(typeof(InvalidDataException))]
    [InlineData(typeof(InvalidOperationException))]
    [InlineData(typeof(ArgumentException))]
    public void From_GivesOneLineAndExitCode1_ForErrorsTheCommandsExpect(Type type)
    {
        var exception = (Exception)Activator.CreateInstance(type, "something failed\non two lines")!;

        var error = CliError.From(exception);

        Assert.Equal(new CliError("something failed on two lines", 1), error);
    }

    [Fact]
    public void From_KeepsTheFirstLineAndWhereItWasRaised_OfALibtorchError()
    {
        var torch = new ExternalException(
            "shape '[2, 3]' is invalid for input of size 5\nException raised from infer_size_impl at "
                + "aten/src/ATen/InferSize.h:48 (most recent call first):\nframe #0: ..."
        );

        Assert.Equal(
            "shape '[2, 3]' is invalid for input of size 5 "
                + "(raised from infer_size_impl at aten/src/ATen/InferSize.h:48)",
            CliError.From(torch)?.Message
        );
    }

    [Fact]
    public void From_KeepsTheFirstLine_OfALibtorchErrorThatDoesNotSayWhere()
    {
        var torch = new ExternalException("Expected false to be true, but got false.\n(no backtrace available)");

        Assert.Equal("Expected false to be true, but got false.", CliError.From(torch)?.Message);
    }

    [Fact]
    public void From_GivesOneLine_ForAnOnnxRuntimeError()
    {
        var onnx = Assert.ThrowsAny<OnnxRuntimeException>(() => new InferenceSession("not an onnx model"u8.ToArray()));

        var error = CliError.From(onnx);

        Assert.NotNull(error);
        Assert.Equal(1, error.ExitCode);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void From_GivesExitCode2_ForAUsageMistake()
    {
        Assert.Equal(2, CliError.From(new UsageException("Options --a and --b exclude each other."))?.ExitCode);
    }

    [Fact]
    public void From_GivesNull_ForABug()
    {
        Assert.Null(CliError.From(new NullReferenceException()));
        Assert.Null(CliError.From(new IndexOutOfRangeException()));
    }

    private static Exception Thrown(Action action, string source)
    {
        var exception = Assert.ThrowsAny<Exception>(action);
        exception.Source = source;
        return exception;
    }
}
