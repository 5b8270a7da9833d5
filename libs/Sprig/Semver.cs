using System.Globalization;
using System.Text.RegularExpressions;
using Lookout.Values;

namespace Lookout.Sprig;

/// <summary>
/// A semantic version as Masterminds/semver v3.3 reads it (<c>NewVersion</c>: a leading <c>v</c>, and a missing
/// minor or patch, are allowed), with its Go methods for templates.
/// </summary>
public sealed class SemVersion : IGoObject
{
    private const string Num = "0123456789";
    private const string Allowed = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-" + Num;

    private static readonly Regex VersionPattern = new(
        @"^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?$",
        RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    private SemVersion(ulong major, ulong minor, ulong patch, string pre, string metadata, string original, bool isPointer = true)
    {
        Major = major;
        Minor = minor;
        Patch = patch;
        Prerelease = pre;
        Metadata = metadata;
        Original = original;
        IsPointer = isPointer;
    }

    public ulong Major { get; }

    public ulong Minor { get; }

    public ulong Patch { get; }

    public string Prerelease { get; }

    public string Metadata { get; }

    public string Original { get; }

    /// <summary>Whether this is a <c>*semver.Version</c> (what <c>semver</c> returns) or a <c>semver.Version</c> value (what <c>IncMajor</c> and friends return).</summary>
    public bool IsPointer { get; }

    /// <inheritdoc/>
    public string GoTypeName => IsPointer ? "*semver.Version" : "semver.Version";

    /// <summary>semver's <c>NewVersion</c>.</summary>
    /// <exception cref="GoFunctionException">Not a version (semver's error text).</exception>
    public static SemVersion Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Match m = VersionPattern.Match(text);
        if (!m.Success)
        {
            throw new GoFunctionException("Invalid Semantic Version");
        }

        static ulong Part(string s)
        {
            s = s.TrimStart('.');
            return s.Length == 0 ? 0 : ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out ulong v)
                ? v
                : throw new GoFunctionException($"Error parsing version segment: strconv.ParseUint: parsing {GoFmt.Quote(s)}: value out of range");
        }

        var version = new SemVersion(Part(m.Groups[1].Value), Part(m.Groups[2].Value), Part(m.Groups[3].Value), m.Groups[5].Value, m.Groups[8].Value, text);
        ValidatePrerelease(version.Prerelease);
        ValidateMetadata(version.Metadata);
        return version;
    }

    private static bool ContainsOnly(string s, string allowed) => s.All(c => allowed.Contains(c, StringComparison.Ordinal));

    private static void ValidatePrerelease(string pre)
    {
        if (pre.Length == 0)
        {
            return;
        }

        foreach (string part in pre.Split('.'))
        {
            if (ContainsOnly(part, Num))
            {
                if (part.Length > 1 && part[0] == '0')
                {
                    throw new GoFunctionException("Version segment starts with 0");
                }
            }
            else if (!ContainsOnly(part, Allowed))
            {
                throw new GoFunctionException("Invalid Prerelease string");
            }
        }
    }

    private static void ValidateMetadata(string metadata)
    {
        if (metadata.Length > 0 && metadata.Split('.').Any(p => !ContainsOnly(p, Allowed)))
        {
            throw new GoFunctionException("Invalid Metadata string");
        }
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Major}.{Minor}.{Patch}" + (Prerelease.Length > 0 ? "-" + Prerelease : string.Empty) + (Metadata.Length > 0 ? "+" + Metadata : string.Empty);

    /// <summary>semver's <c>Compare</c>: SemVer 2.0 precedence, -1, 0 or 1.</summary>
    public int CompareTo(SemVersion other)
    {
        ArgumentNullException.ThrowIfNull(other);
        int c = Major.CompareTo(other.Major);
        if (c == 0)
        {
            c = Minor.CompareTo(other.Minor);
        }

        if (c == 0)
        {
            c = Patch.CompareTo(other.Patch);
        }

        if (c != 0)
        {
            return Math.Sign(c);
        }

        if (Prerelease.Length == 0 && other.Prerelease.Length == 0)
        {
            return 0;
        }

        if (Prerelease.Length == 0)
        {
            return 1;
        }

        return other.Prerelease.Length == 0 ? -1 : ComparePrerelease(Prerelease, other.Prerelease);
    }

    internal static int ComparePrerelease(string v, string o)
    {
        string[] s = v.Split('.');
        string[] t = o.Split('.');
        for (int i = 0; i < Math.Max(s.Length, t.Length); i++)
        {
            int d = ComparePrePart(i < s.Length ? s[i] : string.Empty, i < t.Length ? t[i] : string.Empty);
            if (d != 0)
            {
                return d;
            }
        }

        return 0;
    }

    private static int ComparePrePart(string s, string o)
    {
        if (s == o)
        {
            return 0;
        }

        if (s.Length == 0)
        {
            return -1;
        }

        if (o.Length == 0)
        {
            return 1;
        }

        bool on = ulong.TryParse(o, NumberStyles.None, CultureInfo.InvariantCulture, out ulong oi);
        bool sn = ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out ulong si);
        if (!on && !sn)
        {
            return string.CompareOrdinal(s, o) > 0 ? 1 : -1;
        }

        if (!on)
        {
            return -1;
        }

        if (!sn)
        {
            return 1;
        }

        return si > oi ? 1 : -1;
    }

    private string VPrefix => Original.StartsWith('v') ? "v" : string.Empty;

    private SemVersion With(ulong major, ulong minor, ulong patch, string pre, string metadata)
    {
        var next = new SemVersion(major, minor, patch, pre, metadata, string.Empty, isPointer: false);
        return new SemVersion(major, minor, patch, pre, metadata, VPrefix + next, isPointer: false);
    }

    private static SemVersion Other(object? value, string method) =>
        value as SemVersion ?? throw new GoFunctionException($"wrong type for value; expected *semver.Version; got {GoFmt.TypeName(value)} (in {method})");

    /// <inheritdoc/>
    public bool TryGetMethod(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out GoFunction? method)
    {
        method = name switch
        {
            "Major" => new GoFunction("Major", 0, 0, _ => Major),
            "Minor" => new GoFunction("Minor", 0, 0, _ => Minor),
            "Patch" => new GoFunction("Patch", 0, 0, _ => Patch),
            "Prerelease" => new GoFunction("Prerelease", 0, 0, _ => Prerelease),
            "Metadata" => new GoFunction("Metadata", 0, 0, _ => Metadata),
            "Original" => new GoFunction("Original", 0, 0, _ => Original),
            "String" => new GoFunction("String", 0, 0, _ => ToString()),
            "IncPatch" => new GoFunction("IncPatch", 0, 0, _ => Prerelease.Length > 0 ? With(Major, Minor, Patch, string.Empty, string.Empty) : With(Major, Minor, Patch + 1, string.Empty, string.Empty)),
            "IncMinor" => new GoFunction("IncMinor", 0, 0, _ => With(Major, Minor + 1, 0, string.Empty, string.Empty)),
            "IncMajor" => new GoFunction("IncMajor", 0, 0, _ => With(Major + 1, 0, 0, string.Empty, string.Empty)),
            "SetPrerelease" => new GoFunction("SetPrerelease", 1, 1, a =>
            {
                string pre = a[0] as string ?? throw new GoFunctionException("wrong type for value; expected string");
                ValidatePrerelease(pre);
                return With(Major, Minor, Patch, pre, Metadata);
            }),
            "SetMetadata" => new GoFunction("SetMetadata", 1, 1, a =>
            {
                string metadata = a[0] as string ?? throw new GoFunctionException("wrong type for value; expected string");
                ValidateMetadata(metadata);
                return With(Major, Minor, Patch, Prerelease, metadata);
            }),
            "Compare" => new GoFunction("Compare", 1, 1, a => CompareTo(Other(a[0], name))),
            "Equal" => new GoFunction("Equal", 1, 1, a => CompareTo(Other(a[0], name)) == 0),
            "LessThan" => new GoFunction("LessThan", 1, 1, a => CompareTo(Other(a[0], name)) < 0),
            "LessThanEqual" => new GoFunction("LessThanEqual", 1, 1, a => CompareTo(Other(a[0], name)) <= 0),
            "GreaterThan" => new GoFunction("GreaterThan", 1, 1, a => CompareTo(Other(a[0], name)) > 0),
            "GreaterThanEqual" => new GoFunction("GreaterThanEqual", 1, 1, a => CompareTo(Other(a[0], name)) >= 0),
            _ => null,
        };
        return method is not null;
    }
}

/// <summary>Masterminds/semver v3.3's constraints (<c>NewConstraint</c> and <c>Check</c>), rule for rule.</summary>
internal static class SemConstraints
{
    private const string Ops = @"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";
    private const string Cv = @"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";

    private static readonly GoRegex ConstraintRegex = GoRegex.Compile($@"^\s*({Ops})\s*({Cv})\s*$");
    private static readonly GoRegex RangeRegex = GoRegex.Compile($@"\s*({Cv})\s+-\s+({Cv})\s*");
    private static readonly GoRegex FindRegex = GoRegex.Compile($@"({Ops})\s*({Cv})");
    private static readonly GoRegex ValidRegex = GoRegex.Compile($@"^(\s*({Ops})\s*({Cv})\s*)((?:\s+|,\s*)({Ops})\s*({Cv})\s*)*$");

    private sealed record Constraint(string Op, string Orig, SemVersion Con, bool MinorDirty, bool PatchDirty, bool Dirty);

    /// <summary><c>NewConstraint(c).Check(v)</c>.</summary>
    /// <exception cref="GoFunctionException">The constraint does not parse (<c>improper constraint: …</c>).</exception>
    public static bool Check(string constraint, string version)
    {
        List<List<Constraint>> alternatives = Parse(constraint);
        SemVersion v = SemVersion.Parse(version);
        return alternatives.Any(all => all.All(c => CheckOne(v, c)));
    }

    private static List<List<Constraint>> Parse(string c)
    {
        c = RewriteRange(c);
        var result = new List<List<Constraint>>();
        foreach (string v in c.Split("||"))
        {
            if (!ValidRegex.IsMatch(v))
            {
                throw new GoFunctionException($"improper constraint: {v}");
            }

            List<string> parts = [.. FindRegex.FindAll(v, -1).Select(m => m.Value)];
            if (parts.Count == 0)
            {
                parts.Add(v);
            }

            result.Add([.. parts.Select(ParseOne)]);
        }

        return result;
    }

    private static string RewriteRange(string i)
    {
        string o = i;
        foreach (Match m in RangeRegex.FindAll(i, -1))
        {
            string t = $">= {m.Groups[1].Value}, <= {m.Groups[11].Value} ";
            int at = o.IndexOf(m.Value, StringComparison.Ordinal);
            if (at >= 0)
            {
                o = o[..at] + t + o[(at + m.Value.Length)..];
            }
        }

        return o;
    }

    private static bool IsX(string x) => x is "x" or "*" or "X";

    private static Constraint ParseOne(string c)
    {
        Match? m = ConstraintRegex.FindAll(c, 1).FirstOrDefault();
        if (m is null)
        {
            throw new GoFunctionException($"improper constraint: {c}");
        }

        string ver = m.Groups[2].Value;
        string m3 = m.Groups[3].Value, m4 = m.Groups[4].Value, m5 = m.Groups[5].Value, m6 = m.Groups[6].Value;
        bool minorDirty = false, patchDirty = false, dirty = false;
        if (IsX(m3) || m3.Length == 0)
        {
            ver = "0.0.0" + m6;
            dirty = true;
        }
        else if (IsX(m4.TrimStart('.')) || m4.Length == 0)
        {
            minorDirty = true;
            dirty = true;
            ver = $"{m3}.0.0{m6}";
        }
        else if (IsX(m5.TrimStart('.')) || m5.Length == 0)
        {
            dirty = true;
            patchDirty = true;
            ver = $"{m3}{m4}.0{m6}";
        }

        SemVersion con;
        try
        {
            con = SemVersion.Parse(ver);
        }
        catch (GoFunctionException)
        {
            throw new GoFunctionException("constraint Parser Error");
        }

        return new Constraint(m.Groups[1].Value, m.Groups[2].Value, con, minorDirty, patchDirty, dirty);
    }

    private static bool CheckOne(SemVersion v, Constraint c)
    {
        bool preOnly = v.Prerelease.Length > 0 && c.Con.Prerelease.Length == 0;
        switch (c.Op)
        {
            case "" or "=":
                return !preOnly && (c.Dirty ? Tilde(v, c) : v.CompareTo(c.Con) == 0);
            case "!=":
                return NotEqual(v, c);
            case ">":
                if (preOnly)
                {
                    return false;
                }

                if (!c.Dirty)
                {
                    return v.CompareTo(c.Con) == 1;
                }

                if (v.Major != c.Con.Major)
                {
                    return v.Major > c.Con.Major;
                }

                if (c.MinorDirty)
                {
                    return false;
                }

                return c.PatchDirty ? v.Minor > c.Con.Minor : v.CompareTo(c.Con) == 1;
            case "<":
                return !preOnly && v.CompareTo(c.Con) < 0;
            case ">=" or "=>":
                return !preOnly && v.CompareTo(c.Con) >= 0;
            case "<=" or "=<":
                if (preOnly)
                {
                    return false;
                }

                if (!c.Dirty)
                {
                    return v.CompareTo(c.Con) <= 0;
                }

                return !(v.Major > c.Con.Major || (v.Major == c.Con.Major && v.Minor > c.Con.Minor && !c.MinorDirty));
            case "~" or "~>":
                return !preOnly && Tilde(v, c);
            case "^":
                return !preOnly && Caret(v, c);
            default:
                return false;
        }
    }

    private static bool Tilde(SemVersion v, Constraint c)
    {
        if (v.Prerelease.Length > 0 && c.Con.Prerelease.Length == 0)
        {
            return false;
        }

        if (v.CompareTo(c.Con) < 0)
        {
            return false;
        }

        if (c.Con.Major == 0 && c.Con.Minor == 0 && c.Con.Patch == 0 && !c.MinorDirty && !c.PatchDirty)
        {
            return true;
        }

        return v.Major == c.Con.Major && (v.Minor == c.Con.Minor || c.MinorDirty);
    }

    private static bool Caret(SemVersion v, Constraint c)
    {
        if (v.CompareTo(c.Con) < 0)
        {
            return false;
        }

        if (c.Con.Major > 0 || c.MinorDirty)
        {
            return v.Major == c.Con.Major;
        }

        if (v.Major > 0)
        {
            return false;
        }

        if (c.Con.Minor > 0 || c.PatchDirty)
        {
            return v.Minor == c.Con.Minor;
        }

        if (v.Minor > 0)
        {
            return false;
        }

        return c.Con.Patch == v.Patch;
    }

    private static bool NotEqual(SemVersion v, Constraint c)
    {
        if (c.Dirty)
        {
            if (v.Prerelease.Length > 0 && c.Con.Prerelease.Length == 0)
            {
                return false;
            }

            if (c.Con.Major != v.Major)
            {
                return true;
            }

            if (c.Con.Minor != v.Minor && !c.MinorDirty)
            {
                return true;
            }

            if (c.MinorDirty)
            {
                return false;
            }

            if (c.Con.Patch != v.Patch && !c.PatchDirty)
            {
                return true;
            }

            if (c.PatchDirty)
            {
                return (v.Prerelease.Length > 0 || c.Con.Prerelease.Length > 0) && SemVersion.ComparePrerelease(v.Prerelease, c.Con.Prerelease) != 0;
            }
        }

        return v.CompareTo(c.Con) != 0;
    }
}

public static partial class SprigFunctions
{
    private static void AddSemver(Dictionary<string, GoFunction> m)
    {
        m["semver"] = Fn("semver", "string", a => SemVersion.Parse((string)a[0]!));
        m["semverCompare"] = Fn("semverCompare", "string string", a => SemConstraints.Check((string)a[0]!, (string)a[1]!));
    }
}
