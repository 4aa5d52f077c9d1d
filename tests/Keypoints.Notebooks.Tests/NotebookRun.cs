namespace Keypoints.Notebooks.Tests;

/// <summary>A notebook as the kernel left it after a run from top to bottom.</summary>
/// <param name="Executed">The executed copy, with the kernel's outputs.</param>
/// <param name="Elapsed">Wall-clock time of the whole run, the kernel's start and package restore included.</param>
internal sealed record NotebookRun(NotebookFile Executed, TimeSpan Elapsed);
