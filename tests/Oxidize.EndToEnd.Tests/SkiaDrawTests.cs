using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// SkiaSharp, the most used .NET graphics library (tests/Samples/SkiaDraw): libSkiaSharp.so needs libfontconfig.so.1,
/// which most installations have but minimal images lack. A default publish warns (OXSDK3005, naming the package to
/// install) and succeeds, a declared error severity refuses it, and the oxidized app draws the same PNG bytes as the
/// normal build.
/// </summary>
[TestClass]
public sealed class SkiaDrawTests
{
    [TestMethod]
    public void ADefaultPublishWarnsNamingFontconfigAndDrawsTheSamePngAsTheNormalBuild()
    {
        SampleProject sample = SampleProject.Create("SkiaDraw", nameof(ADefaultPublishWarnsNamingFontconfigAndDrawsTheSamePngAsTheNormalBuild));

        ProcessResult publish = sample.Publish();

        Assert.AreEqual(0, publish.ExitCode, $"The default publish failed:{publish}");
        AuditOutput.Single(publish, "warning", "OXSDK3005", "'libSkiaSharp.so'", "'libfontconfig.so.1'", "libfontconfig1 (Debian, Ubuntu)", "fontconfig (RHEL");
        Assert.IsEmpty(AuditOutput.Lines(publish, "error", "OXSDK3003"), publish.ToString());

        string oxidizedPng = Path.Combine(sample.ScratchDirectory, "oxidized.png");
        ProcessResult oxidized = ProcessRunner.Run(sample.ExecutablePath, [oxidizedPng], workingDirectory: "/", timeout: TimeSpan.FromMinutes(1));
        Assert.AreEqual(0, oxidized.ExitCode, oxidized.ToString());

        ProcessResult build = sample.Build();
        Assert.AreEqual(0, build.ExitCode, $"dotnet build of SkiaDraw failed:{build}");
        string normalPng = Path.Combine(sample.ScratchDirectory, "normal.png");
        ProcessResult normal = ProcessRunner.Run("dotnet", [Path.Combine(sample.ProjectDirectory, "bin", "Debug", "net10.0", "SkiaDraw.dll"), normalPng],
            workingDirectory: "/", timeout: TimeSpan.FromMinutes(1));
        Assert.AreEqual(0, normal.ExitCode, normal.ToString());

        Assert.AreEqual(new AppReport(normal.StandardOutput)["png sha256"], new AppReport(oxidized.StandardOutput)["png sha256"],
            $"the oxidized app drew other bytes:{oxidized}{normal}");
        CollectionAssert.AreEqual(File.ReadAllBytes(normalPng), File.ReadAllBytes(oxidizedPng));
    }

    [TestMethod]
    public void WithErrorSeverityDeclaredTheCommonLibraryFailsThePublish()
    {
        SampleProject sample = SampleProject.Create("SkiaDraw", nameof(WithErrorSeverityDeclaredTheCommonLibraryFailsThePublish));

        ProcessResult publish = sample.Publish("-p:OxidizeNativeAuditSeverity=error");

        Assert.AreNotEqual(0, publish.ExitCode, $"The publish succeeded:{publish}");
        AuditOutput.Single(publish, "error", "OXSDK3005", "'libfontconfig.so.1'");
    }
}
