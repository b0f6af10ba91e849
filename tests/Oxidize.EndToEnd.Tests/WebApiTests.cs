using System.Diagnostics;
using System.Net;
using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// An oxidized ASP.NET Core minimal API (tests/Samples/WebApi, Microsoft.NET.Sdk.Web) started on 127.0.0.1 with an
/// environment of only PATH, answering requests (one reads "Greeting" from appsettings.json through
/// Microsoft.Extensions.Configuration), then stopped with SIGTERM, which must end it with exit code 0.
/// </summary>
[TestClass]
public sealed class WebApiTests
{
    private const string ExpectedGreeting = "Bonjour from appsettings.json";
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(10);

    private static readonly Lazy<(SampleProject Sample, ProcessResult Publish)> Published = new(() =>
    {
        SampleProject sample = SampleProject.Create("WebApi", "PublishedWebApi");
        return (sample, sample.Publish());
    });

    private static readonly Lazy<(SampleProject Sample, ProcessResult Publish)> PublishedWithoutComposite = new(() =>
    {
        SampleProject sample = SampleProject.Create("WebApi", "PublishedWebApiWithoutComposite");
        return (sample, sample.Publish("-p:OxidizeReadyToRunComposite=false"));
    });

    public TestContext TestContext { get; set; } = null!;

    private static SampleProject Sample => Published.Value.Sample;

    private static string ExecutablePath
    {
        get
        {
            ProcessResult publish = Published.Value.Publish;
            Assert.AreEqual(0, publish.ExitCode, $"Publishing the WebApi sample failed:{publish}");
            Assert.IsTrue(File.Exists(Sample.ExecutablePath), $"The publish did not produce {Sample.ExecutablePath}:{publish}");
            return Sample.ExecutablePath;
        }
    }

    [TestMethod]
    public void PublishFolderHoldsOnlyTheExecutable()
    {
        string executable = ExecutablePath;
        string[] entries = [.. Directory.EnumerateFileSystemEntries(Sample.PublishDirectory, "*", SearchOption.AllDirectories)
            .Select(entry => Path.GetRelativePath(Sample.PublishDirectory, entry))];
        CollectionAssert.AreEqual(new[] { Path.GetFileName(executable) }, entries,
            $"The publish folder holds more than the executable: {string.Join(", ", entries)}{Published.Value.Publish}");
    }

    [TestMethod]
    public void ServesHelloAndConfigurationWhenStartedFromThePublishFolder()
    {
        using Server server = Server.Start(ExecutablePath, Sample.PublishDirectory);

        Assert.AreEqual("Hello from an oxidized web app!", server.Get("/hello"), $"GET /hello:{server.Process}");
        Assert.AreEqual(ExpectedGreeting, server.Get("/config"), $"GET /config did not read appsettings.json:{server.Process}");
        Assert.AreEqual(Sample.PublishDirectory.TrimEnd('/'), server.Get("/contentroot").TrimEnd('/'), $"GET /contentroot:{server.Process}");

        server.StopWithSigterm();
    }

    [TestMethod]
    public void ServesWwwrootFileWhenStartedFromThePublishFolder()
    {
        using Server server = Server.Start(ExecutablePath, Sample.PublishDirectory);

        Assert.AreEqual("A static file served from wwwroot.", server.Get("/static.txt").TrimEnd(), $"GET /static.txt:{server.Process}");

        server.StopWithSigterm();
    }

    /// <summary>ASP.NET Core's content root defaults to the working directory, so appsettings.json is looked up
    /// there, in an oxidized app as in a normal publish; the app itself must still serve requests.</summary>
    [TestMethod]
    public void ServesHelloWhenStartedFromAnotherDirectory()
    {
        string executable = ExecutablePath;
        string elsewhere = Path.Combine(RepoPaths.EndToEndFolder, nameof(WebApiTests), "elsewhere");
        if (Directory.Exists(elsewhere))
        {
            Directory.Delete(elsewhere, recursive: true);
        }
        Directory.CreateDirectory(elsewhere);
        using Server server = Server.Start(executable, elsewhere);

        Assert.AreEqual("Hello from an oxidized web app!", server.Get("/hello"), $"GET /hello:{server.Process}");
        string contentRoot = server.Get("/contentroot");
        string greeting = server.Get("/config");
        TestContext.WriteLine($"From another directory: content root {contentRoot}, /config = {greeting}");
        Assert.AreEqual(elsewhere.TrimEnd('/'), contentRoot.TrimEnd('/'), $"GET /contentroot:{server.Process}");
        // Same as a normal (non-oxidized) publish started from another directory: no appsettings.json in the content root.
        Assert.AreEqual("<missing>", greeting, $"GET /config:{server.Process}");

        server.StopWithSigterm();
    }

    /// <summary>
    /// By default an ASP.NET Core app's ReadyToRun code is one composite image (WebApi.r2r.dll) of the app, the ASP.NET Core
    /// assemblies it references and the core generic ones, so the framework generics that ASP.NET Core instantiates over its
    /// own types at startup are precompiled: the server JIT-compiles far fewer methods until it answers than the same app
    /// published with OxidizeReadyToRunComposite=false (about 150 against 870 on .NET 10.0.12; docs/performance.md).
    /// </summary>
    [TestMethod]
    public void DefaultPublishPacksACompositeOfTheStartupAssembliesThatTheServerRuns()
    {
        string executable = ExecutablePath;
        (SampleProject without, ProcessResult withoutPublish) = PublishedWithoutComposite.Value;
        Assert.AreEqual(0, withoutPublish.ExitCode, $"The OxidizeReadyToRunComposite=false publish failed:{withoutPublish}");

        IReadOnlyDictionary<string, PackedEntry> entries = PackedExecutable.Entries(executable);
        Assert.IsTrue(entries.ContainsKey("WebApi.r2r.dll"), $"No composite image packed: {string.Join(", ", entries.Keys.Order())}");
        Assert.IsFalse(PackedExecutable.Entries(without.ExecutablePath).ContainsKey("WebApi.r2r.dll"),
            "OxidizeReadyToRunComposite=false packed a composite image.");

        int withComposite = JitCountAfterFirstResponse(executable, Sample.PublishDirectory);
        int withoutComposite = JitCountAfterFirstResponse(without.ExecutablePath, without.PublishDirectory);
        TestContext.WriteLine($"Methods JIT-compiled until GET /jit-count answered: {withComposite} with the composite, {withoutComposite} without");
        Assert.IsLessThan(withoutComposite * 6 / 10, withComposite,
            $"The composite publish JIT-compiled {withComposite} methods, the per-assembly one {withoutComposite}.");
    }

    private static int JitCountAfterFirstResponse(string executable, string workingDirectory)
    {
        using Server server = Server.Start(executable, workingDirectory);
        Assert.AreEqual("Hello from an oxidized web app!", server.Get("/hello"), $"GET /hello:{server.Process}");
        int count = int.Parse(server.Get("/jit-count"), System.Globalization.CultureInfo.InvariantCulture);
        server.StopWithSigterm();
        return count;
    }

    /// <summary>The oxidized server on a free loopback port, polled until it answers.</summary>
    internal sealed class Server : IDisposable
    {
        private readonly HttpClient client;

        private Server(BackgroundProcess process, Uri baseAddress)
        {
            Process = process;
            client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
        }

        public BackgroundProcess Process { get; }

        public static Server Start(string executable, string workingDirectory)
        {
            int port = BackgroundProcess.FreeLoopbackPort();
            string url = $"http://127.0.0.1:{port}";
            var baseAddress = new Uri(url);
            BackgroundProcess process = BackgroundProcess.Start(
                executable, ["--urls", url], workingDirectory,
                new Dictionary<string, string> { ["PATH"] = ReadOnlyDirectory.MinimalPath });
            var server = new Server(process, baseAddress);
            try
            {
                server.WaitUntilAnswering();
            }
            catch
            {
                server.Dispose();
                throw;
            }
            return server;
        }

        public string Get(string path)
        {
            using HttpResponseMessage response = client.GetAsync(path).GetAwaiter().GetResult();
            string body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, $"GET {path} answered {(int)response.StatusCode}: {body}{Process}");
            return body;
        }

        public void StopWithSigterm()
        {
            Process.Signal("TERM");
            Assert.IsTrue(Process.WaitForExit(ShutdownTimeout), $"The server did not stop within {ShutdownTimeout} of SIGTERM:{Process}");
            Assert.AreEqual(0, Process.ExitCode, $"The server did not stop cleanly on SIGTERM:{Process}");
        }

        public void Dispose()
        {
            client.Dispose();
            Process.Dispose();
        }

        private void WaitUntilAnswering()
        {
            var clock = Stopwatch.StartNew();
            using var probe = new HttpClient { BaseAddress = client.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
            while (true)
            {
                Assert.IsFalse(Process.HasExited, $"The server exited before answering:{Process}");
                try
                {
                    using HttpResponseMessage response = probe.GetAsync("/hello").GetAwaiter().GetResult();
                    return;
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    if (clock.Elapsed > StartupTimeout)
                    {
                        Assert.Fail($"The server did not answer within {StartupTimeout}: {exception.Message}{Process}");
                    }
                    Thread.Sleep(250);
                }
            }
        }
    }
}
