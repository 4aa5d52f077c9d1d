using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using SkiaSharp;

namespace Keypoints.Benchmarks;

/// <summary>Load on <c>keypoints serve</c>, loopback only: the CLI's server runs as a child process with model M, and
/// concurrent clients in this process post the scene photos to <c>POST /faces</c> for a bounded time. Two phases: good
/// photos only, until at least <c>minimumSeconds</c> and <c>requestTarget</c> requests (or <c>maximumSeconds</c>); then
/// the same with one bad upload in ten (empty body, not an image, a truncated JPEG, an image too large), for
/// <c>minimumSeconds</c>. Reports requests per second, p50/p99 latency, errors (a good photo not answered 200 with
/// exactly the answer it got alone before the load, or a bad upload not answered 4xx) and the server's resident memory
/// (VmRSS) at the start and after every 1,000 requests.</summary>
internal static class ServeLoad
{
    private const int MemoryStep = 1000;

    /// <summary>Prints the tables; returns the process exit code (1 when any request erred).</summary>
    public static int Run(
        string cliPath,
        string modelPath,
        string scenesFolder,
        int clients,
        int minimumSeconds,
        int maximumSeconds,
        int requestTarget
    )
    {
        byte[][] photos = Directory
            .GetFiles(scenesFolder, "*.jpg")
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllBytes)
            .ToArray();
        int port = FreePort();
        // The server's own output (one line, and any error) goes to this console: an unread pipe could fill and stall
        // it.
        using var server = Process.Start(
            "dotnet",
            ["exec", cliPath, "serve", "--model", modelPath, "--port", port.ToString(CultureInfo.InvariantCulture)]
        );
        try
        {
            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients })
            {
                BaseAddress = new Uri($"http://127.0.0.1:{port}/"),
            };
            WaitForHealth(client, server);
            long startRss = ResidentBytes(server.Id);
            string[] expected = photos.Select(p => Post(client, p).Body).ToArray();
            Console.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"server pid {server.Id} on 127.0.0.1:{port}; {photos.Length} scene photos "
                        + $"({photos.Sum(p => p.Length) / 1e6:F1} MB); {clients} clients; "
                        + $"{Environment.ProcessorCount} cores; load {File.ReadAllText("/proc/loadavg").Trim()}"
                )
            );
            Console.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"server resident memory at the start (after one request per photo): {startRss / 1e6:F1} MB"
                )
            );

            var good = Phase(
                "good photos only",
                client,
                server.Id,
                photos,
                expected,
                [],
                clients,
                minimumSeconds,
                maximumSeconds,
                requestTarget
            );
            byte[][] bad = BadUploads(photos[0]);
            var mixed = Phase(
                "1 in 10 uploads bad",
                client,
                server.Id,
                photos,
                expected,
                bad,
                clients,
                minimumSeconds,
                minimumSeconds,
                0
            );

            Console.WriteLine();
            Console.WriteLine(
                $"{"phase", -22} {"seconds", 8} {"requests", 9} {"req/s", 7} {"p50 ms", 7} {"p99 ms", 7} "
                    + $"{"good ok", 8} {"bad 4xx", 8} {"errors", 7}"
            );
            foreach (var phase in new[] { good, mixed })
            {
                Console.WriteLine(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"{phase.Name, -22} {phase.Seconds, 8:F1} {phase.Requests, 9} "
                            + $"{phase.Requests / phase.Seconds, 7:F1} {phase.P50, 7:F1} {phase.P99, 7:F1} "
                            + $"{phase.GoodOk, 8} {phase.BadRefused, 8} {phase.Errors, 7}"
                    )
                );
            }

            Console.WriteLine();
            Console.WriteLine("server resident memory (VmRSS) by requests served in the phase:");
            foreach (var phase in new[] { good, mixed })
            {
                Console.WriteLine(
                    $"  {phase.Name}: "
                        + string.Join(
                            ", ",
                            phase.Memory.Select(m =>
                                string.Create(CultureInfo.InvariantCulture, $"{m.Requests}: {m.Bytes / 1e6:F1} MB")
                            )
                        )
                );
            }

            return good.Errors + mixed.Errors == 0 ? 0 : 1;
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            server.WaitForExit();
        }
    }

    private static PhaseResult Phase(
        string name,
        HttpClient client,
        int serverPid,
        byte[][] photos,
        string[] expected,
        byte[][] bad,
        int clients,
        int minimumSeconds,
        int maximumSeconds,
        int requestTarget
    )
    {
        var latencies = new ConcurrentBag<double>();
        var memory = new List<(int Requests, long Bytes)> { (0, ResidentBytes(serverPid)) };
        int requests = 0,
            goodOk = 0,
            badRefused = 0,
            errors = 0;
        var clock = Stopwatch.StartNew();
        bool Done() =>
            clock.Elapsed.TotalSeconds >= maximumSeconds
            || (clock.Elapsed.TotalSeconds >= minimumSeconds && Volatile.Read(ref requests) >= requestTarget);
        var workers = Enumerable
            .Range(0, clients)
            .Select(c =>
                Task.Run(() =>
                {
                    var random = new Random(c);
                    while (!Done())
                    {
                        bool sendBad = bad.Length > 0 && random.Next(10) == 0;
                        int index = random.Next(sendBad ? bad.Length : photos.Length);
                        long start = Stopwatch.GetTimestamp();
                        (HttpStatusCode Status, string Body) answer;
                        try
                        {
                            answer = Post(client, sendBad ? bad[index] : photos[index]);
                        }
                        catch (HttpRequestException)
                        {
                            answer = (0, "");
                        }
                        latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                        if (
                            sendBad
                                ? (int)answer.Status is >= 400 and < 500
                                : answer.Status == HttpStatusCode.OK && answer.Body == expected[index]
                        )
                        {
                            Interlocked.Increment(ref sendBad ? ref badRefused : ref goodOk);
                        }
                        else
                        {
                            Interlocked.Increment(ref errors);
                        }

                        int served = Interlocked.Increment(ref requests);
                        if (served % MemoryStep == 0)
                        {
                            lock (memory)
                                memory.Add((served, ResidentBytes(serverPid)));
                        }
                    }
                })
            )
            .ToArray();
        Task.WaitAll(workers);
        double seconds = clock.Elapsed.TotalSeconds;
        double[] sorted = latencies.Order().ToArray();
        memory.Add((requests, ResidentBytes(serverPid)));
        return new PhaseResult(
            name,
            seconds,
            requests,
            Percentile(sorted, 0.5),
            Percentile(sorted, 0.99),
            goodOk,
            badRefused,
            errors,
            [.. memory.OrderBy(m => m.Requests)]
        );
    }

    /// <summary>Uploads the server must refuse with a 4xx: empty, not an image, the first half of a JPEG, and a PNG of
    /// 9000 x 16 pixels (wider than the default 8192-pixel limit, a few kilobytes on the wire).</summary>
    private static byte[][] BadUploads(byte[] photo)
    {
        using var bitmap = new SKBitmap(9000, 16);
        bitmap.Erase(SKColors.Gray);
        using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return
        [
            [],
            "not an image"u8.ToArray(),
            photo[..(photo.Length / 2)],
            png.ToArray(),
        ];
    }

    private static (HttpStatusCode Status, string Body) Post(HttpClient client, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        using var response = client.Send(new HttpRequestMessage(HttpMethod.Post, "faces") { Content = content });
        using var reader = new StreamReader(response.Content.ReadAsStream());
        return (response.StatusCode, reader.ReadToEnd());
    }

    private static void WaitForHealth(HttpClient client, Process server)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (server.HasExited)
                throw new InvalidOperationException($"the server exited with {server.ExitCode}");
            try
            {
                using var response = client.Send(new HttpRequestMessage(HttpMethod.Get, "health"));
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            Thread.Sleep(200);
        }
        throw new TimeoutException("the server did not answer /health within 60 s");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The process's resident set (VmRSS of /proc/PID/status), in bytes.</summary>
    private static long ResidentBytes(int pid)
    {
        string line = File.ReadLines($"/proc/{pid}/status")
            .First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture)
            * 1024;
    }

    private static double Percentile(double[] sorted, double fraction) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(fraction * sorted.Length))];

    private sealed record PhaseResult(
        string Name,
        double Seconds,
        int Requests,
        double P50,
        double P99,
        int GoodOk,
        int BadRefused,
        int Errors,
        IReadOnlyList<(int Requests, long Bytes)> Memory
    );
}
