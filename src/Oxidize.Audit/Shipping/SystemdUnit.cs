namespace Oxidize.Audit.Shipping;

/// <summary>
/// A systemd service for the command (OxidizeSystemdService=true): a dynamic user (no account to create, no
/// writable home, nothing the package must clean up), a private /tmp and a read-only system, restarted on failure.
/// The working directory is the executable's, where an app that reads content relative to its working directory
/// (ASP.NET Core's content root) finds the files packed beside it.
/// </summary>
public static class SystemdUnit
{
    public static string Write(ShippingMetadata metadata) =>
        "[Unit]\n"
        + $"Description={metadata.Summary}\n"
        + "After=network.target\n\n"
        + "[Service]\n"
        + $"ExecStart=/usr/bin/{metadata.CommandName}\n"
        + "WorkingDirectory=/usr/bin\n"
        + "DynamicUser=yes\n"
        + "PrivateTmp=yes\n"
        + "ProtectSystem=strict\n"
        + "ProtectHome=yes\n"
        + "NoNewPrivileges=yes\n"
        + "Restart=on-failure\n\n"
        + "[Install]\n"
        + "WantedBy=multi-user.target\n";
}
