using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

// Prints one "label: value" line per check; a check that throws prints "FAILED label: exception" and the exit
// code is the number of failed checks. "--timezone" and "--certificates" add the optional extras, "--child"
// starts this executable again and reports what the child saw; a child run ("child") prints its environment.
if (args.Length > 0 && args[0] == "child")
{
    Console.WriteLine($"LD_PRELOAD={Environment.GetEnvironmentVariable("LD_PRELOAD") ?? "<unset>"} OXIDIZE_USERLAND={Environment.GetEnvironmentVariable("OXIDIZE_USERLAND") ?? "<unset>"}");
    return 0;
}

int failures = 0;
void Check(string label, Func<string> check)
{
    try
    {
        Console.WriteLine($"{label}: {check()}");
    }
    catch (Exception exception)
    {
        failures++;
        Console.WriteLine($"FAILED {label}: {exception.GetType().Name}: {exception.Message}");
    }
}

var german = new CultureInfo("de-DE");
var date = new DateTime(2024, 3, 1, 14, 5, 0, DateTimeKind.Utc);
Check("sha256", () => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("oxidize"))));
Check("date de-DE", () => date.ToString("dddd, d. MMMM yyyy HH:mm", german));
Check("number de-DE", () => 1234567.891.ToString("N2", german));
Check("process", () => Environment.ProcessPath ?? "<null>");
Check("environment", () => $"LD_PRELOAD={Environment.GetEnvironmentVariable("LD_PRELOAD") ?? "<unset>"} OXIDIZE_USERLAND={Environment.GetEnvironmentVariable("OXIDIZE_USERLAND") ?? "<unset>"}");
if (args.Contains("--timezone"))
{
    Check("time zone", () =>
    {
        TimeZoneInfo berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var summer = new DateTime(2024, 7, 1, 12, 0, 0, DateTimeKind.Utc);
        return $"{berlin.Id} {TimeZoneInfo.ConvertTimeFromUtc(date, berlin):HH:mm} {TimeZoneInfo.ConvertTimeFromUtc(summer, berlin):HH:mm}";
    });
}
if (args.Contains("--certificates"))
{
    Check("root certificates", () =>
    {
        using var store = new X509Store(StoreName.Root, StoreLocation.LocalMachine);
        store.Open(OpenFlags.ReadOnly);
        return store.Certificates.Count > 0 ? "present" : "none";
    });
}
if (args.Contains("--child"))
{
    Check("child", () =>
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!, "child") { RedirectStandardOutput = true, UseShellExecute = false };
        using Process child = Process.Start(start)!;
        string output = child.StandardOutput.ReadToEnd().Trim();
        child.WaitForExit();
        return $"{output} exit {child.ExitCode}";
    });
}
Console.WriteLine($"checks failed: {failures}");
return failures;
