using System.Collections.Concurrent;
using Keypoints.MLNet.Photos;

namespace Keypoints.MLNet.Tests.Photos;

/// <summary>The loop that shares a list of photos out to threads (<see cref="OrderedPhotoLoop"/>): results in the
/// list's order whatever the threads' timing, and on failure the first failing photo's exception, with no new photo
/// taken up once a failure is seen.</summary>
public sealed class OrderedPhotoLoopTests
{
    private static readonly string[] Photos = [.. Enumerable.Range(0, 40).Select(i => $"photo{i}.jpg")];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void Map_GivesTheResultsInTheListsOrder_WhateverTheThreadsTiming(int threads)
    {
        var used = new ConcurrentDictionary<int, bool>();

        string[] results = OrderedPhotoLoop.Map(Photos, threads, (photo, thread) =>
        {
            used[thread] = true;
            Thread.Sleep(photo.Length % 3);
            return photo.ToUpperInvariant();
        });

        Assert.Equal(Photos.Select(p => p.ToUpperInvariant()), results);
        Assert.All(used.Keys, t => Assert.InRange(t, 0, threads - 1));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Map_RethrowsTheFirstFailingPhotosException_AndStopsStartingPhotosOnceOneFails(int threads)
    {
        var started = new ConcurrentBag<int>();

        var error = Assert.Throws<InvalidDataException>(() => OrderedPhotoLoop.Map(Photos, threads, (photo, _) =>
            {
                int index = Array.IndexOf(Photos, photo);
                started.Add(index);
                // A later photo fails quickly, an earlier one slowly: the earlier one is still the one reported. The
                // photos after the failing ones are slow, so that a thread that took one before the failure was seen
                // cannot start another while the failing thread is descheduled on a loaded machine.
                Thread.Sleep(
                    index == 7 ? 50
                    : index > 9 ? 100
                    : 1
                );
                return index is 7 or 9 ? throw new InvalidDataException(photo) : index;
            }));

        Assert.Equal("photo7.jpg", error.Message);
        // Every photo before the failure ran; after it, at most those the other threads took up while 9 ran.
        Assert.InRange(started.Max(), 7, 9 + threads - 1);
        Assert.Equal(Enumerable.Range(0, started.Max() + 1), started.Order());
    }
}
