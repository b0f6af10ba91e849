using System.Text.RegularExpressions;
using NuGet.Packaging.Licenses;

namespace Oxidize.Audit.Packages;

/// <summary>
/// A deny-list of SPDX license identifiers ("GPL-3.0-only", or patterns with '*' such as "GPL-*" and
/// "*GPL*"), matched case-insensitively as SPDX says. An expression is denied when the package cannot
/// be used without a denied license: "MIT OR GPL-3.0-only" can be taken as MIT and passes; "MIT AND
/// GPL-3.0-only" and "GPL-3.0-only WITH Classpath-exception-2.0" do not. "GPL-3.0+" matches "GPL-3.0+"
/// and "GPL-3.0".
/// </summary>
public sealed class LicensePolicy
{
    private readonly Regex[] _denied;

    public LicensePolicy(IEnumerable<string> deniedLicenses)
    {
        ArgumentNullException.ThrowIfNull(deniedLicenses);
        DeniedLicenses = [.. deniedLicenses.Select(license => license.Trim()).Where(license => license.Length > 0)];
        _denied = [.. DeniedLicenses.Select(pattern => new Regex(
            "^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))];
    }

    public IReadOnlyList<string> DeniedLicenses { get; }

    public bool IsEmpty => DeniedLicenses.Count == 0;

    /// <summary>
    /// The denied identifiers the expression cannot do without, or empty when it is allowed. An expression
    /// NuGet cannot parse is judged by its identifiers alone: denied if any is denied.
    /// </summary>
    public IReadOnlyList<string> Violations(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        if (IsEmpty)
            return [];
        NuGetLicenseExpression parsed;
        try
        {
            parsed = NuGetLicenseExpression.Parse(expression);
        }
        catch (NuGetLicenseExpressionParsingException)
        {
            // NuGet refuses deprecated identifiers such as "GPL-3.0+"; judge the words instead.
            return [.. Regex.Split(expression, @"[\s()]+")
                .Where(token => token.Length > 0 && token is not ("AND" or "OR" or "WITH") && (IsDenied(token) || (token.EndsWith('+') && IsDenied(token[..^1]))))
                .Distinct()];
        }
        return Evaluate(parsed) ?? [];
    }

    /// <summary>Null when allowed, else the denied identifiers responsible.</summary>
    private List<string>? Evaluate(NuGetLicenseExpression expression)
    {
        switch (expression)
        {
            case NuGetLicense license:
                string identifier = license.Identifier + (license.Plus ? "+" : "");
                return IsDenied(identifier) || (license.Plus && IsDenied(license.Identifier)) ? [identifier] : null;
            case WithOperator with:
                return Evaluate(with.License);
            case LogicalOperator { LogicalOperatorType: LogicalOperatorType.Or } or:
                var left = Evaluate(or.Left);
                var right = Evaluate(or.Right);
                return left is null || right is null ? null : [.. left.Concat(right).Distinct()];
            case LogicalOperator and:
                var first = Evaluate(and.Left);
                var second = Evaluate(and.Right);
                return first is null && second is null ? null : [.. (first ?? []).Concat(second ?? []).Distinct()];
            default:
                return null;
        }
    }

    private bool IsDenied(string identifier) => _denied.Any(pattern => pattern.IsMatch(identifier));
}
