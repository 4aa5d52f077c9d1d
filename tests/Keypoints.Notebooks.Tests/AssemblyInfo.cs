// Notebook runs share one local feed and the NuGet cache's copy of the package, and each keeps the CPU busy, so no two
// tests may run at once.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
