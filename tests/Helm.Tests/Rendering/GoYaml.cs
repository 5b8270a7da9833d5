using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Lookout.Values;

namespace Lookout.Helm.Tests.Rendering;

/// <summary>
/// Helm's <c>toYaml</c> (sigs.k8s.io/yaml's <c>Marshal</c>: through JSON, then go-yaml's block style): map keys sorted,
/// sequences inside a mapping not indented, strings quoted only where a plain scalar would read back as something
/// else, multi-line strings as literal blocks. The output need not match go-yaml byte for byte; it must read back as
/// the same data, which is what the chart's tests check.
/// </summary>
internal static partial class GoYaml
{
    /// <summary>The YAML of a value, without the trailing newline (as Helm trims it).</summary>
    public static string Marshal(object? value)
    {
        var b = new StringBuilder();
        Write(b, value, 0);
        string yaml = b.ToString();
        return yaml.EndsWith('\n') ? yaml[..^1] : yaml;
    }

    private static void Write(StringBuilder b, object? value, int indent)
    {
        switch (value)
        {
            case IDictionary<string, object?> map when map.Count > 0:
                foreach (string key in map.Keys.Order(StringComparer.Ordinal))
                {
                    b.Append(' ', indent).Append(Scalar(key, indent)).Append(':');
                    WriteValue(b, map[key], indent, inMapping: true);
                }

                break;
            case IList<object?> list when list.Count > 0:
                foreach (object? item in list)
                {
                    int start = b.Length;
                    if (IsBlock(item))
                    {
                        // The child block at indent+2, then "- " in place of the first line's indentation.
                        Write(b, item, indent + 2);
                        b.Remove(start, indent + 2).Insert(start, new string(' ', indent) + "- ");
                    }
                    else
                    {
                        b.Append(' ', indent).Append('-');
                        WriteValue(b, item, indent, inMapping: false);
                    }
                }

                break;
            default:
                b.Append(ScalarOrEmpty(value, indent)).Append('\n');
                break;
        }
    }

    private static void WriteValue(StringBuilder b, object? value, int indent, bool inMapping)
    {
        switch (value)
        {
            case IDictionary<string, object?> map when map.Count > 0:
                b.Append('\n');
                Write(b, map, indent + 2);
                break;
            case IList<object?> list when list.Count > 0:
                b.Append('\n');
                Write(b, list, inMapping ? indent : indent + 2);
                break;
            default:
                b.Append(' ').Append(ScalarOrEmpty(value, indent + 2)).Append('\n');
                break;
        }
    }

    private static bool IsBlock(object? v) => v is IDictionary<string, object?> { Count: > 0 } or IList<object?> { Count: > 0 };

    private static string ScalarOrEmpty(object? value, int indent) => value switch
    {
        IDictionary<string, object?> => "{}",
        IList<object?> => "[]",
        _ => Scalar(value, indent),
    };

    private static string Scalar(object? value, int indent) => value switch
    {
        null => "null",
        bool x => x ? "true" : "false",
        long or int or short or byte or sbyte or ushort or uint or ulong => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        double d => Float(d),
        float f => Float(f),
        string s => String(s, indent),
        _ => String(GoFmt.ToString(value), indent),
    };

    // Go's encoding/json writes float64 with 'f' between 1e-6 and 1e21 and 'e' outside; go-yaml reads that back as
    // an int when it has no fraction, so an integral float prints as an integer.
    private static string Float(double d)
    {
        if (double.IsNaN(d))
        {
            return ".nan";
        }

        if (double.IsInfinity(d))
        {
            return d > 0 ? ".inf" : "-.inf";
        }

        if (d == Math.Floor(d) && Math.Abs(d) < 1e21)
        {
            return d.ToString("0", CultureInfo.InvariantCulture);
        }

        return GoStrconv.FormatFloat(d, 'g', -1);
    }

    private static string String(string s, int indent)
    {
        if (s.Contains('\n', StringComparison.Ordinal) && CanBeLiteral(s))
        {
            return Literal(s, indent);
        }

        return NeedsQuotes(s) ? DoubleQuoted(s) : s;
    }

    private static bool CanBeLiteral(string s)
    {
        if (s.StartsWith(' ') || s.StartsWith('\n'))
        {
            return false;
        }

        foreach (char c in s)
        {
            if ((char.IsControl(c) && c != '\n') || c == '\uFEFF')
            {
                return false;
            }
        }

        // A line ending in spaces would lose them to some readers; quote such text instead.
        return !s.Split('\n').Any(line => line.EndsWith(' '));
    }

    private static string Literal(string s, int indent)
    {
        string body = s.TrimEnd('\n');
        int trailing = s.Length - body.Length;
        string chomp = trailing switch { 0 => "|-", 1 => "|", _ => "|+" };
        var b = new StringBuilder(chomp);
        string pad = new(' ', indent);
        foreach (string line in (trailing > 1 ? s[..^1] : body).Split('\n'))
        {
            b.Append('\n');
            if (line.Length > 0)
            {
                b.Append(pad).Append(line);
            }
        }

        return b.ToString();
    }

    private static bool NeedsQuotes(string s)
    {
        if (s.Length == 0 || s != s.Trim() || "-?:,[]{}#&*!|>'\"%@`".Contains(s[0], StringComparison.Ordinal))
        {
            return true;
        }

        if (s.Contains(": ", StringComparison.Ordinal) || s.Contains(" #", StringComparison.Ordinal) || s.EndsWith(':'))
        {
            return true;
        }

        foreach (char c in s)
        {
            if (char.IsControl(c) || c == '\uFEFF')
            {
                return true;
            }
        }

        return ResolvesToNonString().IsMatch(s) || s == "<<";
    }

    private static string DoubleQuoted(string s)
    {
        var b = new StringBuilder("\"");
        foreach (char c in s)
        {
            switch (c)
            {
                case '"':
                    b.Append("\\\"");
                    break;
                case '\\':
                    b.Append("\\\\");
                    break;
                case '\n':
                    b.Append("\\n");
                    break;
                case '\t':
                    b.Append("\\t");
                    break;
                case '\r':
                    b.Append("\\r");
                    break;
                default:
                    if (char.IsControl(c) || c == '\uFEFF')
                    {
                        b.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        b.Append(c);
                    }

                    break;
            }
        }

        return b.Append('"').ToString();
    }

    // What go-yaml (YAML 1.1) resolves to null, a bool or a number: such strings must be quoted to stay strings.
    [GeneratedRegex(@"^(~|null|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|[-+]?(0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?|\.[0-9_]+([eE][-+]?[0-9]+)?|[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?)|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex ResolvesToNonString();
}
