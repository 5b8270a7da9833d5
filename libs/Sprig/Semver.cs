using System.Globalization;
using System.Text.RegularExpressions;
using Lookout.Values;

namespace Lookout.Sprig;

/// <summary>A semantic version as Masterminds/semver v3 reads it, with its Go methods for templates.</summary>
public sealed partial class SemVersion : IGoObject
{
    private SemVersion(ulong major, ulong minor, ulong patch, string pre, string metadata, string original)
    {
        Major = major;
        Minor = minor;
        Patch = patch;
        Prerelease = pre;
        Metadata = metadata;
        Original = original;
    }

    public ulong Major { get; }

    public ulong Minor { get; }

    public ulong Patch { get; }

    public string Prerelease { get; }

    public string Metadata { get; }

    public string Original { get; }

    /// <inheritdoc/>
    public string GoTypeName => "*semver.Version";

    /// <summary>Parses a version (a leading <c>v</c>, and a missing minor or patch, are allowed).</summary>
    /// <exception cref="GoFunctionException">Not a version (<c>Invalid Semantic Version</c>).</exception>
    public static SemVersion Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Match m = VersionPattern().Match(text);
        if (!m.Success)
        {
            throw new GoFunctionException("Invalid Semantic Version");
        }

        static ulong Part(Group g) => g.Success && g.Value.Length > 0 ? ulong.Parse(g.Value, CultureInfo.InvariantCulture) : 0;
        return new SemVersion(Part(m.Groups[1]), Part(m.Groups[2]), Part(m.Groups[3]), m.Groups[4].Value, m.Groups[5].Value, text);
    }

    [GeneratedRegex(@"^v?([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(?:-([0-9A-Za-z\-]+(?:\.[0-9A-Za-z\-]+)*))?(?:\+([0-9A-Za-z\-]+(?:\.[0-9A-Za-z\-]+)*))?$")]
    private static partial Regex VersionPattern();

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Major}.{Minor}.{Patch}" + (Prerelease.Length > 0 ? "-" + Prerelease : string.Empty) + (Metadata.Length > 0 ? "+" + Metadata : string.Empty);

    /// <summary>SemVer 2.0 precedence: negative, zero or positive.</summary>
    public int CompareTo(SemVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

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
            return c;
        }

        if (Prerelease.Length == 0 || other.Prerelease.Length == 0)
        {
            return Prerelease.Length == other.Prerelease.Length ? 0 : Prerelease.Length == 0 ? 1 : -1;
        }

        string[] a = Prerelease.Split('.');
        string[] b = other.Prerelease.Split('.');
        for (int i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            if (i >= a.Length)
            {
                return -1;
            }

            if (i >= b.Length)
            {
                return 1;
            }

            bool an = ulong.TryParse(a[i], out ulong ai);
            bool bn = ulong.TryParse(b[i], out ulong bi);
            int r = an && bn ? ai.CompareTo(bi) : an ? -1 : bn ? 1 : string.CompareOrdinal(a[i], b[i]);
            if (r != 0)
            {
                return Math.Sign(r);
            }
        }

        return 0;
    }

    /// <inheritdoc/>
    public bool TryGetMethod(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out GoFunction? method)
    {
        method = name switch
        {
            "Major" => new GoFunction("Major", 0, 0, _ => (long)Major),
            "Minor" => new GoFunction("Minor", 0, 0, _ => (long)Minor),
            "Patch" => new GoFunction("Patch", 0, 0, _ => (long)Patch),
            "Prerelease" => new GoFunction("Prerelease", 0, 0, _ => Prerelease),
            "Metadata" => new GoFunction("Metadata", 0, 0, _ => Metadata),
            "Original" => new GoFunction("Original", 0, 0, _ => Original),
            "String" => new GoFunction("String", 0, 0, _ => ToString()),
            _ => null,
        };
        return method is not null;
    }

    /// <summary>Whether <paramref name="version"/> satisfies a Masterminds constraint (<c>^1.2</c>, <c>&gt;= 1.0, &lt; 2</c>, <c>1.x || 3.x</c>).</summary>
    public static bool Satisfies(string constraint, SemVersion version)
    {
        ArgumentNullException.ThrowIfNull(constraint);
        ArgumentNullException.ThrowIfNull(version);
        foreach (string alternative in constraint.Split("||"))
        {
            string expanded = HyphenRange().Replace(alternative.Trim(), ">= $1, <= $2");
            IEnumerable<string> parts = ConstraintPart().Matches(expanded).Select(m => m.Value.Replace(" ", string.Empty, StringComparison.Ordinal));
            string[] all = [.. parts];
            if (all.Length == 0)
            {
                throw new GoFunctionException($"improper constraint: {constraint}");
            }

            if (all.All(p => Check(p, version, constraint)))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"([vV]?[0-9xX*]+(?:\.[0-9xX*]+)*(?:-[0-9A-Za-z\-.]+)?(?:\+[0-9A-Za-z\-.]+)?)\s+-\s+([vV]?[0-9xX*]+(?:\.[0-9xX*]+)*(?:-[0-9A-Za-z\-.]+)?(?:\+[0-9A-Za-z\-.]+)?)")]
    private static partial Regex HyphenRange();

    [GeneratedRegex(@"(?:!=|>=|=>|<=|=<|~>|[=<>~^])?\s*[vV]?[0-9xX*]+(?:\.[0-9xX*]+)*(?:-[0-9A-Za-z\-.]+)?(?:\+[0-9A-Za-z\-.]+)?")]
    private static partial Regex ConstraintPart();

    private static bool Check(string part, SemVersion v, string constraint)
    {
        Match m = Regex.Match(part, @"^(!=|>=|=>|<=|=<|~>|[=<>~^])?(.*)$", RegexOptions.CultureInvariant);
        string op = m.Groups[1].Value;
        string text = m.Groups[2].Value.TrimStart('v', 'V');
        string[] pieces = text.Split('-', 2)[0].Split('+')[0].Split('.');
        bool Wild(int i) => i >= pieces.Length || pieces[i] is "x" or "X" or "*";
        bool minorDirty = Wild(1) && !(pieces.Length > 1 && !Wild(1));
        bool patchDirty = Wild(2);
        if (pieces.Length == 1 && Wild(0))
        {
            // "*" matches everything without a prerelease.
            return v.Prerelease.Length == 0 || op is ">=" or "=>";
        }

        string normalized = string.Join('.', pieces.Select(p => p is "x" or "X" or "*" ? "0" : p));
        string suffix = text[text.Split('-', 2)[0].Split('+')[0].Length..];
        SemVersion c;
        try
        {
            c = Parse(normalized + suffix);
        }
        catch (GoFunctionException)
        {
            throw new GoFunctionException($"improper constraint: {constraint}");
        }

        bool dirty = minorDirty || patchDirty;
        if (v.Prerelease.Length > 0 && c.Prerelease.Length == 0)
        {
            return false;
        }

        switch (op)
        {
            case "" or "=":
                if (!dirty)
                {
                    return v.CompareTo(c) == 0;
                }

                return v.Major == c.Major && (minorDirty || v.Minor == c.Minor);
            case "!=":
                if (!dirty)
                {
                    return v.CompareTo(c) != 0;
                }

                return !(v.Major == c.Major && (minorDirty || v.Minor == c.Minor));
            case ">":
                if (!dirty)
                {
                    return v.CompareTo(c) > 0;
                }

                if (v.Major != c.Major)
                {
                    return v.Major > c.Major;
                }

                return !minorDirty && v.Minor > c.Minor;
            case "<":
                return v.CompareTo(c) < 0;
            case ">=" or "=>":
                return v.CompareTo(c) >= 0;
            case "<=" or "=<":
                if (!dirty)
                {
                    return v.CompareTo(c) <= 0;
                }

                if (v.Major != c.Major)
                {
                    return v.Major < c.Major;
                }

                return minorDirty || v.Minor <= c.Minor;
            case "~" or "~>":
                if (v.CompareTo(c) < 0)
                {
                    return false;
                }

                if (c.Major == 0 && c.Minor == 0 && c.Patch == 0 && !minorDirty && !patchDirty)
                {
                    return true;
                }

                return v.Major == c.Major && (minorDirty || v.Minor == c.Minor);
            case "^":
                if (v.CompareTo(c) < 0)
                {
                    return false;
                }

                if (c.Major > 0 || minorDirty)
                {
                    return v.Major == c.Major;
                }

                if (v.Major > 0)
                {
                    return false;
                }

                if (c.Minor > 0 || patchDirty)
                {
                    return v.Minor == c.Minor;
                }

                return v.Minor <= 0 && v.Patch == c.Patch;
            default:
                throw new GoFunctionException($"improper constraint: {constraint}");
        }
    }
}

public static partial class SprigFunctions
{
    private static void AddSemver(Dictionary<string, GoFunction> m)
    {
        m["semver"] = Fn("semver", "string", a => SemVersion.Parse((string)a[0]!));
        m["semverCompare"] = Fn("semverCompare", "string string", a => SemVersion.Satisfies((string)a[0]!, SemVersion.Parse((string)a[1]!)));
    }
}
