using System.Diagnostics;
using System.Globalization;
using System.Text;
using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// Issue 6: 64 launches of the same executable at once all succeed with the right output. Each instance waits on
/// stdin after printing its arguments, so all 64 are alive together; the test then prints what they use (peak RSS
/// from GNU time, proportional set size, and the machine's available memory before and while they run). Only
/// correctness is asserted: the numbers depend on the machine.
/// </summary>
[TestClass]
public sealed class ManyInstancesTests
{
    private const int Instances = 64;
    private const string GnuTime = "/usr/bin/time";

    [TestMethod]
    public void SixtyFourConcurrentLaunchesAllSucceed()
    {
        string executable = PublishedHello.ExecutablePath;
        bool measurePeak = File.Exists(GnuTime);
        long availableBefore = MemAvailableKilobytes();
        var stopwatch = Stopwatch.StartNew();
        var instances = Enumerable.Range(0, Instances).Select(i => Instance.Start(executable, i, measurePeak)).ToList();
        try
        {
            DateTime deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
            while (!instances.All(instance => instance.WaitingForStdin))
            {
                Instance? ended = instances.FirstOrDefault(instance => instance.Process.HasExited);
                Assert.IsNull(ended, $"instance {ended?.Index} ended before reading stdin:\n{ended?.Output}");
                Assert.IsLessThan(deadline, DateTime.UtcNow, "not all instances started within 3 minutes");
                Thread.Sleep(50);
            }
            TimeSpan allUp = stopwatch.Elapsed;
            long availableWhileRunning = MemAvailableKilobytes();
            (long rss, long pss) = instances.Aggregate((0L, 0L), (sum, instance) =>
            {
                (long r, long p) = instance.CurrentRssAndPss();
                return (sum.Item1 + r, sum.Item2 + p);
            });

            foreach (Instance instance in instances)
            {
                instance.Process.StandardInput.WriteLine($"line {instance.Index}");
                instance.Process.StandardInput.Close();
            }
            foreach (Instance instance in instances)
            {
                Assert.IsTrue(instance.Process.WaitForExit(TimeSpan.FromMinutes(2)), $"instance {instance.Index} did not finish");
                instance.Process.WaitForExit();
            }

            foreach (Instance instance in instances)
            {
                string output = instance.Output;
                Assert.AreEqual(0, instance.Process.ExitCode, $"instance {instance.Index} failed:\n{output}");
                foreach (string expected in new[] { "Hello from an oxidized app!", $"args: [instance|{instance.Index}]", $"stdin: line {instance.Index}", "linux-x64" })
                {
                    Assert.Contains(expected, output, $"instance {instance.Index}: missing '{expected}':\n{output}");
                }
            }

            long[] peaks = instances.Select(instance => instance.PeakRssKilobytes).Where(peak => peak > 0).ToArray();
            string peakSummary = peaks.Length == 0
                ? $"peak RSS not measured ({GnuTime} is missing: Debian package 'time')"
                : $"peak RSS per instance min/avg/max {peaks.Min() / 1024.0:F1}/{peaks.Average() / 1024.0:F1}/{peaks.Max() / 1024.0:F1} MB";
            Console.WriteLine(
                $"{Instances} concurrent instances: all waiting on stdin after {allUp.TotalSeconds:F1} s, all done after {stopwatch.Elapsed.TotalSeconds:F1} s; " +
                $"{peakSummary}; while all ran: sum of RSS {rss / 1024.0:F0} MB, sum of PSS {pss / 1024.0:F0} MB " +
                $"({pss / 1024.0 / Instances:F1} MB each), machine MemAvailable {availableBefore / 1024} MB before, " +
                $"{availableWhileRunning / 1024} MB while running ({(availableBefore - availableWhileRunning) / 1024.0 / Instances:F1} MB each)");
        }
        finally
        {
            foreach (Instance instance in instances)
            {
                instance.Dispose();
            }
        }
    }

    private static long MemAvailableKilobytes() =>
        long.Parse(File.ReadLines("/proc/meminfo").First(line => line.StartsWith("MemAvailable:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    private sealed class Instance : IDisposable
    {
        private readonly StringBuilder output = new();

        private Instance(int index, Process process)
        {
            Index = index;
            Process = process;
        }

        public int Index { get; }

        public Process Process { get; }

        public string Output
        {
            get
            {
                lock (output)
                {
                    return output.ToString();
                }
            }
        }

        /// <summary>Hello printed its arguments, and its next step is reading stdin.</summary>
        public bool WaitingForStdin => Output.Contains("args: [", StringComparison.Ordinal);

        /// <summary>GNU time's maximum resident set size (its "%M", in KB), once the instance has ended; 0 if not measured.</summary>
        public long PeakRssKilobytes
        {
            get
            {
                string? line = Output.Split('\n').FirstOrDefault(l => l.StartsWith("peak-rss-kb: ", StringComparison.Ordinal));
                return line == null ? 0 : long.Parse(line["peak-rss-kb: ".Length..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        public static Instance Start(string executable, int index, bool measurePeak)
        {
            var startInfo = new ProcessStartInfo(measurePeak ? GnuTime : executable)
            {
                WorkingDirectory = "/",
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            if (measurePeak)
            {
                foreach (string argument in new[] { "-f", "peak-rss-kb: %M", executable })
                {
                    startInfo.ArgumentList.Add(argument);
                }
            }
            startInfo.ArgumentList.Add("instance");
            startInfo.ArgumentList.Add(index.ToString(CultureInfo.InvariantCulture));
            startInfo.Environment.Clear();
            startInfo.Environment["PATH"] = ReadOnlyDirectory.MinimalPath;
            var instance = new Instance(index, new Process { StartInfo = startInfo });
            instance.Process.OutputDataReceived += (_, e) => instance.Append(e.Data);
            instance.Process.ErrorDataReceived += (_, e) => instance.Append(e.Data);
            instance.Process.Start();
            instance.Process.BeginOutputReadLine();
            instance.Process.BeginErrorReadLine();
            return instance;
        }

        /// <summary>Resident and proportional set size (KB) of the app now: the process itself, or GNU time's child.</summary>
        public (long Rss, long Pss) CurrentRssAndPss()
        {
            int pid = Process.Id;
            string children = $"/proc/{pid}/task/{pid}/children";
            if (Process.StartInfo.FileName == GnuTime && File.Exists(children))
            {
                string first = File.ReadAllText(children).Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
                pid = int.TryParse(first, CultureInfo.InvariantCulture, out int child) ? child : pid;
            }
            long rss = 0, pss = 0;
            foreach (string line in File.ReadLines($"/proc/{pid}/smaps_rollup"))
            {
                string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields[0] == "Rss:")
                {
                    rss = long.Parse(fields[1], CultureInfo.InvariantCulture);
                }
                else if (fields[0] == "Pss:")
                {
                    pss = long.Parse(fields[1], CultureInfo.InvariantCulture);
                }
            }
            return (rss, pss);
        }

        public void Dispose()
        {
            try
            {
                if (!Process.HasExited)
                {
                    Process.Kill(entireProcessTree: true);
                    Process.WaitForExit();
                }
            }
            catch (InvalidOperationException)
            {
                // Never started.
            }
            Process.Dispose();
        }

        private void Append(string? line)
        {
            if (line != null)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }
            }
        }
    }
}
