namespace Oxidize.Audit.Shipping;

/// <summary>The stable codes of OS packaging (OXSDK5001-5019, docs/errors.md), raised as PackingException.</summary>
public static class ShippingErrorCodes
{
    public const string UnknownFormat = "OXSDK5001";
    public const string DescriptionMissing = "OXSDK5002";
    public const string VersionInvalid = "OXSDK5003";
    public const string ToolMissing = "OXSDK5004";
    public const string MaintainerInvalid = "OXSDK5005";
    public const string NameInvalid = "OXSDK5006";
    public const string BillOfMaterialsMissing = "OXSDK5007";
    public const string DocumentMissing = "OXSDK5008";
    public const string LicenseMissing = "OXSDK5010";
    public const string ToolFailed = "OXSDK5009";
    public const string TimestampInvalid = "OXSDK5011";
    public const string ArchitectureUnsupported = "OXSDK5012";

    // OXSDK5013 (no timestamp, a warning) and OXSDK5014 (output unwritable) are the task's own messages.
    public const string NoTimestamp = "OXSDK5013";
    public const string OutputUnwritable = "OXSDK5014";
}
