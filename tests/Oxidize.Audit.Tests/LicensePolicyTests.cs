using Oxidize.Audit.Packages;

namespace Oxidize.Audit.Tests;

[TestClass]
public sealed class LicensePolicyTests
{
    [TestMethod]
    public void DeniedIdentifierDeniesTheExpressionUnlessAnAlternativeRemains()
    {
        var policy = new LicensePolicy(["GPL-3.0-only", "AGPL-3.0-only"]);

        CollectionAssert.AreEqual(new[] { "GPL-3.0-only" }, policy.Violations("GPL-3.0-only").ToArray());
        Assert.IsEmpty(policy.Violations("MIT"));
        Assert.IsEmpty(policy.Violations("MIT OR GPL-3.0-only"), "the package can be taken under MIT");
        CollectionAssert.AreEqual(new[] { "GPL-3.0-only" }, policy.Violations("MIT AND GPL-3.0-only").ToArray());
        CollectionAssert.AreEqual(new[] { "GPL-3.0-only", "AGPL-3.0-only" }, policy.Violations("GPL-3.0-only OR AGPL-3.0-only").ToArray());
        CollectionAssert.AreEqual(new[] { "GPL-3.0-only" }, policy.Violations("(MIT OR Apache-2.0) AND GPL-3.0-only WITH Classpath-exception-2.0").ToArray());
    }

    [TestMethod]
    public void PatternsAndCaseFollowSpdxMatching()
    {
        var policy = new LicensePolicy(["GPL-*", "  ", "sspl-1.0"]);

        CollectionAssert.AreEqual(new[] { "GPL-2.0-or-later" }, policy.Violations("GPL-2.0-or-later").ToArray());
        Assert.IsEmpty(policy.Violations("LGPL-2.1-only"), "patterns are anchored: GPL-* is not LGPL");
        CollectionAssert.AreEqual(new[] { "SSPL-1.0" }, policy.Violations("SSPL-1.0").ToArray());
        CollectionAssert.AreEqual(new[] { "GPL-*", "sspl-1.0" }, policy.DeniedLicenses.ToArray(), "blank entries are dropped");
    }

    [TestMethod]
    public void OrLaterPlusMatchesTheBaseIdentifier()
    {
        var policy = new LicensePolicy(["GPL-3.0"]);

        CollectionAssert.AreEqual(new[] { "GPL-3.0+" }, policy.Violations("GPL-3.0+").ToArray());
    }

    [TestMethod]
    public void EmptyPolicyAllowsEverythingAndUnparsableExpressionsAreJudgedByTheirWords()
    {
        Assert.IsTrue(new LicensePolicy([]).IsEmpty);
        Assert.IsEmpty(new LicensePolicy([]).Violations("GPL-3.0-only"));
        CollectionAssert.AreEqual(new[] { "GPL-3.0-only" }, new LicensePolicy(["GPL-3.0-only"]).Violations("MIT AND AND GPL-3.0-only").ToArray());
    }
}
