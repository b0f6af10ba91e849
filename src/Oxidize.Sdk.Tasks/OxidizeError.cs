using Microsoft.Build.Framework;

namespace Oxidize.Sdk.Tasks;

/// <summary>
/// An error the targets raise (build/*.targets), with its text from Strings.resx, so that every OXSDK text lives in
/// one place: &lt;OxidizeError ResourceName="NotSelfContained" Argument0="$(SelfContained)" /&gt;. The code is the
/// text's "OXSDKnnnn: " prefix, as for the tasks' own errors. Like the .NET SDK's NETSdkError, but with one scalar
/// parameter per argument: an array parameter would split a value at ';', trim it ("True " is reported as it was
/// given) and drop an empty one, shifting the rest.
/// </summary>
public sealed class OxidizeError : Microsoft.Build.Utilities.Task
{
    public OxidizeError()
        : base(Strings.ResourceManager)
    {
    }

    /// <summary>The name of the text in Strings.resx.</summary>
    [Required]
    public string ResourceName { get; set; } = "";

    /// <summary>The text's {0}.</summary>
    public string Argument0 { get; set; } = "";

    /// <summary>The text's {1}.</summary>
    public string Argument1 { get; set; } = "";

    public override bool Execute()
    {
        if (!OxidizeMessage.IsKnown(ResourceName, Log))
            return false;
        Log.LogErrorWithCodeFromResources(ResourceName, Argument0, Argument1);
        return false;
    }
}
