namespace Keypoints.MLNet.Tests;

/// <summary>A fresh folder under the system temp folder, deleted with its files on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    /// <summary>Creates the folder.</summary>
    public TempFolder()
    {
        Folder = Directory.CreateTempSubdirectory("keypoints-tests-").FullName;
    }

    /// <summary>The folder's full path.</summary>
    public string Folder { get; }

    /// <summary>The path of a file in the folder.</summary>
    public string File(string name) => Path.Combine(Folder, name);

    /// <summary>Writes <paramref name="text"/> to a file in the folder, exactly as given, and returns its
    /// path.</summary>
    public string Write(string name, string text)
    {
        string path = File(name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Deletes the folder and everything in it.</summary>
    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
