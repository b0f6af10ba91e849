using Microsoft.Build.Locator;

namespace Oxidize.Sdk.Tests;

/// <summary>Points the process at the installed .NET SDK's MSBuild before any test touches MSBuild's types.</summary>
[TestClass]
public static class MSBuildSetup
{
    [AssemblyInitialize]
    public static void RegisterSdkMSBuild(TestContext context)
    {
        _ = context;
        if (!MSBuildLocator.IsRegistered)
            MSBuildLocator.RegisterDefaults();
    }
}
