using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Oxidize.Tests.Shared;

/// <summary>
/// A prerequisite a test cannot run without. A missing one is a failure, never a skip, so a missing install step
/// cannot pass unnoticed: always for what ./build.sh installs or builds (eng/prerequisites.sh), and under CI
/// (CI=true) for properties of the machine itself (a Debian 12 system), which only a developer's own machine may lack.
/// </summary>
public static class Prerequisite
{
    /// <summary>Something ./build.sh installs or builds is missing.</summary>
    public static void Missing(string what) =>
        Assert.Fail($"Missing prerequisite: {what}. ./build.sh installs and builds everything the tests need; run it first.");

    /// <summary>The machine is not of the kind the test describes: a failure under CI, inconclusive elsewhere.</summary>
    public static void MachineLacks(string what)
    {
        if (Environment.GetEnvironmentVariable("CI") == "true")
            Assert.Fail($"This machine lacks a prerequisite CI must have: {what}.");
        Assert.Inconclusive($"This machine lacks {what}; CI (CI=true) fails here instead.");
    }
}
