using System.Globalization;
using System.Text;
using Lookout.Values.Time;

namespace Lookout.Values;

/// <summary>Go's encoding/json <c>Marshal</c> and <c>MarshalIndent</c> (two spaces) of object-model values:
/// sorted map keys, Go's float format, optional HTML escaping, times as RFC 3339, durations as nanoseconds.</summary>
public static class GoJson
{
    /// <summary>
    /// Go's <c>json.Unmarshal</c> into <c>interface{}</c>: like <see cref="ObjectModel.FromJson(string)"/>, except that
    /// every number is a float64, as Go decodes them (Sprig's <c>fromJson</c>, expr's <c>fromJSON</c>).
    /// </summary>
    /// <exception cref="System.Text.Json.JsonException">The text is not valid JSON.</exception>
    public static object? Unmarshal(string json) => Floats(ObjectModel.FromJson(json));

    private static object? Floats(object? v) => v switch
    {
        long l => (double)l,
        ObjectMap map => map.ToObjectMap(kv => kv.Key, kv => Floats(kv.Value)),
        List<object?> list => list.Select(Floats).ToList(),
        _ => v,
    };

    /// <summary>Encodes a value; a value JSON cannot hold (NaN, a map with non-string keys) fails as Go's does.</summary>
    /// <exception cref="GoFunctionException">The value cannot be encoded; the message is Go's.</exception>
    public static string Marshal(object? value, bool indent, bool escapeHtml = true)
    {
        var b = new StringBuilder();
        Write(b, value, indent, escapeHtml, 0);
        return b.ToString();
    }

    private static void Write(StringBuilder b, object? v, bool indent, bool escapeHtml, int depth)
    {
        switch (v)
        {
            case null:
                b.Append("null");
                break;
            case string s:
                EvaluationBudget.Charge(s.Length + 2);
                JsonString(b, s, escapeHtml);
                break;
            case bool x:
                b.Append(x ? "true" : "false");
                break;
            case long or int or short or sbyte or byte or ushort or uint or ulong:
                b.Append(Convert.ToString(v, CultureInfo.InvariantCulture));
                break;
            case double d:
                b.Append(JsonFloat(d));
                break;
            case GoTime t:
                JsonString(b, t.Format(GoLayouts.RFC3339Nano), escapeHtml);
                break;
            case GoDuration d:
                b.Append(d.Nanoseconds.ToString(CultureInfo.InvariantCulture));
                break;
            case IDictionary<string, object?> map:
                {
                    EvaluationBudget.Visit(depth, "encoding JSON");
                    if (map.Count == 0)
                    {
                        b.Append("{}");
                        break;
                    }

                    b.Append('{');
                    bool first = true;
                    foreach (string key in map.Keys.Order(StringComparer.Ordinal))
                    {
                        if (!first)
                        {
                            b.Append(',');
                        }

                        first = false;
                        NewLine(b, indent, depth + 1);
                        JsonString(b, key, escapeHtml);
                        b.Append(indent ? ": " : ":");
                        Write(b, map[key], indent, escapeHtml, depth + 1);
                    }

                    NewLine(b, indent, depth);
                    b.Append('}');
                    break;
                }

            case IList<object?> list:
                {
                    EvaluationBudget.Visit(depth, "encoding JSON");
                    if (list.Count == 0)
                    {
                        b.Append("[]");
                        break;
                    }

                    b.Append('[');
                    for (int i = 0; i < list.Count; i++)
                    {
                        if (i > 0)
                        {
                            b.Append(',');
                        }

                        NewLine(b, indent, depth + 1);
                        Write(b, list[i], indent, escapeHtml, depth + 1);
                    }

                    NewLine(b, indent, depth);
                    b.Append(']');
                    break;
                }

            default:
                throw new GoFunctionException($"json: unsupported type: {GoTypes.Name(v)}");
        }
    }

    private static void NewLine(StringBuilder b, bool indent, int depth)
    {
        if (indent)
        {
            b.Append('\n').Append(' ', depth * 2);
        }
    }

    private static string JsonFloat(double f)
    {
        if (double.IsNaN(f) || double.IsInfinity(f))
        {
            throw new GoFunctionException($"json: unsupported value: {GoStrconv.FormatFloat(f, 'g', -1)}");
        }

        double abs = Math.Abs(f);
        bool exponent = abs != 0 && (abs < 1e-6 || abs >= 1e21);
        string s = GoStrconv.FormatFloat(f, exponent ? 'e' : 'f', -1);
        if (exponent)
        {
            int n = s.Length;
            if (n >= 4 && s[n - 4] == 'e' && s[n - 3] == '-' && s[n - 2] == '0')
            {
                s = s[..(n - 2)] + s[n - 1];
            }
        }

        return s;
    }

    private static void JsonString(StringBuilder b, string s, bool escapeHtml)
    {
        b.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': b.Append("\\\""); break;
                case '\\': b.Append("\\\\"); break;
                case '\n': b.Append("\\n"); break;
                case '\r': b.Append("\\r"); break;
                case '\t': b.Append("\\t"); break;
                case '\u2028': b.Append("\\u2028"); break;
                case '\u2029': b.Append("\\u2029"); break;
                case '<' or '>' or '&' when escapeHtml:
                    b.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    break;
                default:
                    if (c < ' ')
                    {
                        b.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        b.Append(c);
                    }

                    break;
            }
        }

        b.Append('"');
    }
}
