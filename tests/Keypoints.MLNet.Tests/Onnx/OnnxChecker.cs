namespace Keypoints.MLNet.Tests.Onnx;

/// <summary>Validates ONNX files with the official checker of Debian's python3-onnx.</summary>
internal static class OnnxChecker
{
    private const string PythonPath = "/usr/bin/python3";

    public static void Check(byte[] model)
    {
        string path = Path.Combine(Path.GetTempPath(), $"keypoints-onnx-test-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, model);
        try
        {
            Check(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static void Check(string path)
    {
        Assert.True(
            File.Exists(PythonPath),
            $"{PythonPath} is missing; the ONNX checker tests need it with python3-onnx: apt-get install python3-onnx."
        );
        var result = ProcessRunner.Run(
            PythonPath,
            ["-c", "import onnx,sys; m=onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True)", path],
            TimeSpan.FromMinutes(2)
        );
        Assert.True(
            result.ExitCode == 0,
            result.StandardError.Contains("No module named 'onnx'", StringComparison.Ordinal)
                ? $"python3-onnx is not installed for {PythonPath}; apt-get install "
                    + $"python3-onnx.\n{result.StandardError}"
                : $"The ONNX checker rejected {path} (exit code "
                    + $"{result.ExitCode}):\n{result.StandardOutput}{result.StandardError}"
        );
    }
}
