// Notebook runs change the process's current directory, console and environment, so no two tests may run at once.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
