using System.Globalization;
using Oxidize.Packing;

namespace Oxidize.Audit.Shipping;

/// <summary>
/// The one timestamp every file of the packages gets: SOURCE_DATE_EPOCH when set (reproducible-builds.org's
/// convention), else the time of the commit the project is checked out at; null when there is neither.
/// </summary>
public static class SourceDate
{
    public static (DateTimeOffset Time, string Origin)? Resolve(string sourceDateEpoch, string projectDirectory)
    {
        ArgumentNullException.ThrowIfNull(sourceDateEpoch);
        if (sourceDateEpoch.Trim().Length > 0)
        {
            if (!long.TryParse(sourceDateEpoch.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long seconds) || seconds > 253402300799)
                throw new PackingException(ShippingErrorCodes.TimestampInvalid,
                    $"SOURCE_DATE_EPOCH is '{sourceDateEpoch}'; it must be a number of seconds since 1970-01-01 UTC.");
            return (DateTimeOffset.FromUnixTimeSeconds(seconds), "SOURCE_DATE_EPOCH");
        }
        if (ExternalTool.Find("git") is not { } git)
            return null;
        try
        {
            var (exitCode, output) = ExternalTool.Run(git, ["log", "-1", "--format=%ct"], projectDirectory);
            if (exitCode == 0 && long.TryParse(output.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long commit))
                return (DateTimeOffset.FromUnixTimeSeconds(commit), "the time of the project's git commit");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // git could not start: as if there were no repository.
        }
        return null;
    }
}
