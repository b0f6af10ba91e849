namespace Oxidize.Userland;

/// <summary>The stable codes the userland resolver raises (as PackingException; docs/errors.md).</summary>
public static class UserlandErrorCodes
{
    public const string NotOnThisMachine = "OXSDK4002";
    public const string IcuMissing = "OXSDK4003";
    public const string DataMissing = "OXSDK4004";
}
