using System.Text.Json;
using Keypoints.Cli.Serving;
using Keypoints.MLNet.Tests.Cli;
using Keypoints.MLNet.Tests.Tiers;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Keypoints.MLNet.Tests.Serving;

/// <summary>The page of <c>keypoints serve</c> in a real headless browser: Debian's <c>chromium</c> (<c>apt-get install
/// chromium</c>; <c>.ci/run</c> installs it), driven by Playwright, with the small model the CLI tests train. Saves a
/// screenshot to <c>artifacts/test-results/screenshots/faces-page.png</c>.</summary>
[Trait("Category", "Integration")]
public sealed class FacesPageBrowserTests(ImageFileCliFixture cli, ITestOutputHelper output)
    : IClassFixture<ImageFileCliFixture>
{
    /// <summary>Debian's browser; <c>KEYPOINTS_CHROMIUM</c> names another Chromium executable.</summary>
    private static string Chromium => Environment.GetEnvironmentVariable("KEYPOINTS_CHROMIUM") ?? "/usr/bin/chromium";

    [TierFact(Needs.FaceData)]
    public async Task Page_AfterPickingAScene_DrawsAsManyFacesAsTheApiAnswers_WithEveryPointNamedOnHover()
    {
        if (!File.Exists(Chromium))
        {
            throw new FileNotFoundException(
                $"The browser test needs Chromium at {Chromium}: apt-get install -y chromium (Debian), or set "
                    + $"KEYPOINTS_CHROMIUM.",
                Chromium
            );
        }

        var ml = new Microsoft.ML.MLContext(seed: 1);
        using var trained = ml.Keypoints.LoadModel(cli.ModelPath);
        using var model = trained.WithTerms(FaceServerFixture.Terms);
        await using var server = await RunningFaceServer.StartAsync(ml, model, ServeLimits.Default);
        string photo = FaceServerFixture.Scenes(3)[2];
        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(photo));
        using var answer = await server.Client.PostAsync(new Uri("faces", UriKind.Relative), content);
        using var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        int apiFaces = json.RootElement.GetProperty("faces").GetArrayLength();
        Assert.InRange(apiFaces, 2, 4);
        using var profile = new TempFolder();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchPersistentContextAsync(
            profile.Folder,
            new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args =
                [
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                ],
                ViewportSize = new ViewportSize { Width = 900, Height = 800 },
            }
        );
        var page = await browser.NewPageAsync();
        await page.GotoAsync(server.Address.ToString());
        await page.SetInputFilesAsync("#file", photo);
        await page.WaitForSelectorAsync("#status[data-faces]", new PageWaitForSelectorOptions { Timeout = 30_000 });

        Assert.Equal(apiFaces, await page.Locator("#overlay g.face").CountAsync());
        Assert.Equal($"Model terms: {FaceServerFixture.Terms}", await page.TextContentAsync("#terms"));
        Assert.Equal(
            apiFaces * model.Layout.KeypointCount,
            await page.Locator("#overlay circle.keypoint").CountAsync()
        );
        Assert.StartsWith($"{apiFaces} faces", await page.TextContentAsync("#status"), StringComparison.Ordinal);
        await page.Locator("#overlay circle.keypoint[data-name='nose_bridge_30']")
            .First.HoverAsync(new LocatorHoverOptions { Force = true });
        // The pointer lands on the point's centre; a neighbour drawn over it may take the hover, so any point's name
        // will do.
        Assert.Matches(@"^face \d: [a-z_]+_\d+ \(\d+\.\d, \d+\.\d\)$", await page.TextContentAsync("#hover"));
        Assert.StartsWith(
            "face 1: nose_bridge_30 (",
            await page.Locator("#overlay circle.keypoint[data-name='nose_bridge_30'] title").First.TextContentAsync(),
            StringComparison.Ordinal
        );
        string screenshot = Path.Combine(
            SharedData.RepositoryRoot,
            "artifacts",
            "test-results",
            "screenshots",
            "faces-page.png"
        );
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        output.WriteLine($"screenshot: {screenshot}");
    }
}
