using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Oxidize.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Debian's chromium, headless, driven over the DevTools protocol (a WebSocket on 127.0.0.1; ClientWebSocket is in the
/// BCL, so no Playwright): open a local page, evaluate script in it, click at a point with real mouse events and take a
/// screenshot. Every host name resolves to nothing (--host-resolver-rules), so a page that reaches for the network fails.
/// </summary>
public sealed class HeadlessChromium : IDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private readonly BackgroundProcess _browser;
    private readonly ClientWebSocket _socket = new();
    private int _nextId;

    private HeadlessChromium(BackgroundProcess browser) => _browser = browser;

    /// <summary>Starts chromium on <paramref name="url"/> with a fresh profile in <paramref name="scratch"/>.</summary>
    public static HeadlessChromium Open(string url, string scratch, int width = 1280, int height = 1000)
    {
        if (!File.Exists(ExecutablePath))
            Oxidize.Tests.Shared.Prerequisite.Missing($"{ExecutablePath} (Debian's chromium package, installed by ./build.sh)");
        string profile = Path.Combine(scratch, "chromium-profile");
        Directory.CreateDirectory(profile);
        int port = BackgroundProcess.FreeLoopbackPort();
        var browser = BackgroundProcess.Start(ExecutablePath,
            ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions", $"--user-data-dir={profile}",
                $"--remote-debugging-port={port}", "--remote-allow-origins=*", $"--window-size={width},{height}",
                "--host-resolver-rules=MAP * ~NOTFOUND", url],
            scratch, null);
        var chromium = new HeadlessChromium(browser);
        try
        {
            chromium.Connect(port);
            return chromium;
        }
        catch
        {
            chromium.Dispose();
            throw;
        }
    }

    /// <summary>Evaluates <paramref name="expression"/> in the page and returns its value as JSON.</summary>
    public JsonNode? Evaluate(string expression)
    {
        var result = Send("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true });
        if (result["exceptionDetails"] is { } exception)
            throw new AssertFailedException($"Script failed in the page: {exception.ToJsonString()}\n{expression}");
        return result["result"]?["value"];
    }

    /// <summary>Evaluates until the expression is true (the page renders asynchronously after events), or fails.</summary>
    public void WaitUntil(string expression, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (Evaluate(expression)?.GetValue<bool>() == true)
                return;
            Thread.Sleep(100);
        }
        Assert.Fail($"Timed out waiting until {what} ({expression}){_browser}");
    }

    /// <summary>A left click at the centre of the first element matching <paramref name="selector"/>, as mouse events.</summary>
    public void Click(string selector)
    {
        var rect = Evaluate($"(() => {{ const r = document.querySelector({JsonSerializer.Serialize(selector)}).getBoundingClientRect(); return [r.left + r.width / 2, r.top + Math.min(r.height / 2, 10)]; }})()")!.AsArray();
        double x = rect[0]!.GetValue<double>(), y = rect[1]!.GetValue<double>();
        foreach (string type in (string[])["mouseMoved", "mousePressed", "mouseReleased"])
            Send("Input.dispatchMouseEvent", new JsonObject { ["type"] = type, ["x"] = x, ["y"] = y, ["button"] = "left", ["clickCount"] = 1 });
    }

    public void Screenshot(string pngPath)
    {
        var result = Send("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true });
        File.WriteAllBytes(pngPath, Convert.FromBase64String(result["data"]!.GetValue<string>()));
    }

    public void Dispose()
    {
        _socket.Dispose();
        _browser.Dispose();
    }

    private void Connect(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string? pageSocket = null;
        while (pageSocket is null)
        {
            if (_browser.HasExited || DateTime.UtcNow > deadline)
                Assert.Fail($"chromium did not open its DevTools endpoint on port {port}{_browser}");
            try
            {
                var targets = JsonNode.Parse(http.GetStringAsync($"http://127.0.0.1:{port}/json/list").GetAwaiter().GetResult())!.AsArray();
                pageSocket = targets.FirstOrDefault(target => target?["type"]?.GetValue<string>() == "page")?["webSocketDebuggerUrl"]?.GetValue<string>();
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            if (pageSocket is null)
                Thread.Sleep(200);
        }
        _socket.ConnectAsync(new Uri(pageSocket), CancellationToken.None).GetAwaiter().GetResult();
        WaitUntil("document.readyState === 'complete'", "the page loaded");
    }

    private JsonObject Send(string method, JsonObject parameters)
    {
        int id = ++_nextId;
        byte[] message = Encoding.UTF8.GetBytes(new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters }.ToJsonString());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        _socket.SendAsync(message, WebSocketMessageType.Text, true, timeout.Token).GetAwaiter().GetResult();
        var buffer = new byte[1 << 16];
        while (true)
        {
            using var received = new MemoryStream();
            WebSocketReceiveResult part;
            do
            {
                part = _socket.ReceiveAsync(buffer, timeout.Token).GetAwaiter().GetResult();
                received.Write(buffer, 0, part.Count);
            }
            while (!part.EndOfMessage);
            // Events arrive on the same socket; the answer is the message with our id.
            var reply = JsonNode.Parse(received.ToArray())!.AsObject();
            if (reply["id"]?.GetValue<int>() != id)
                continue;
            if (reply["error"] is { } error)
                throw new AssertFailedException($"DevTools {method} failed: {error.ToJsonString()}");
            return reply["result"]!.AsObject();
        }
    }
}
