using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Oxidize.Sdk.Tasks;

/// <summary>
/// A high-importance message the targets log (build/*.targets), with its text from Strings.resx, as
/// <see cref="OxidizeError"/> does for errors. The text keeps its "OXSDKnnnn: " prefix (the console loggers show no
/// code for a message), and the code is logged with it.
/// </summary>
public sealed class OxidizeMessage : Microsoft.Build.Utilities.Task
{
    public OxidizeMessage()
        : base(Strings.ResourceManager)
    {
    }

    [Required]
    public string ResourceName { get; set; } = "";

    /// <summary>The text's {0} (one scalar parameter per argument, as for OxidizeError).</summary>
    public string Argument0 { get; set; } = "";

    public override bool Execute()
    {
        if (!IsKnown(ResourceName, Log))
            return false;
        string text = Log.FormatResourceString(ResourceName, Argument0);
        string? code = Log.ExtractMessageCode(text, out _);
        Log.LogMessage(subcategory: null, code: code, helpKeyword: null, file: null, lineNumber: 0, columnNumber: 0,
            endLineNumber: 0, endColumnNumber: 0, MessageImportance.High, text);
        return true;
    }

    /// <summary>False, with an error naming it, for a resource name Strings.resx does not have (a mistake in the targets).</summary>
    internal static bool IsKnown(string resourceName, TaskLoggingHelper log)
    {
        if (Strings.ResourceManager.GetString(resourceName, System.Globalization.CultureInfo.InvariantCulture) is not null)
            return true;
        log.LogError($"Oxidize.Sdk: the targets name the message '{resourceName}', which Strings.resx does not have.");
        return false;
    }
}
