using System.Text;

namespace Oxidize.Packing;

/// <summary>Rules for entry names: relative, '/'-separated paths that cannot escape the app directory.</summary>
public static class ResourceName
{
    /// <summary>Turns a publish-relative path into an entry name ('\' becomes '/'), or throws OXSDK2001.</summary>
    public static string Normalize(string relativePath)
    {
        string name = relativePath.Replace('\\', '/');
        if (!IsValid(name, out string reason))
            throw new PackingException(PackingErrorCodes.InvalidName, $"'{relativePath}' cannot be packed: {reason}.", relativePath, reason);
        return name;
    }

    public static bool IsValid(string name, out string reason)
    {
        reason = "";
        if (name.Length == 0)
            reason = "the name is empty";
        else if (name[0] == '/')
            reason = "the name is an absolute path";
        else if (name.Contains('\0'))
            reason = "the name contains a NUL character";
        else if (Encoding.UTF8.GetByteCount(name) > FormatConstants.MaxNameLength)
            reason = $"the name is longer than {FormatConstants.MaxNameLength} UTF-8 bytes";
        else if (name.Split('/').Any(segment => segment is "" or "." or ".."))
            reason = "the name has an empty, '.' or '..' path segment";
        return reason.Length == 0;
    }

    /// <summary>True for a string without NUL of at most maxLength UTF-8 bytes (property keys and values).</summary>
    public static bool IsValidText(string text, int maxLength, bool allowEmpty = false) =>
        (allowEmpty || text.Length > 0) && !text.Contains('\0') && Encoding.UTF8.GetByteCount(text) <= maxLength;
}
