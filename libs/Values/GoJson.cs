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

    /// <summary>
    /// Encodes a value; a value JSON cannot hold (NaN, a map with non-string keys) fails as Go's does. The text is
    /// charged to the evaluation's budget as it is written (<see cref="WrittenText"/>), so a value whose encoding is
    /// far larger than itself (shared lists, deep indentation) ends in a budget error at the memory limit.
    /// </summary>
    /// <exception cref="GoFunctionException">The value cannot be encoded; the message is Go's.</exception>
    /// <exception cref="EvaluationLimitException">The value is nested too deeply, or its text passes the budget.</exception>
    public static string Marshal(object? value, bool indent, bool escapeHtml = true)
    {
        var writer = new Writer(indent, escapeHtml);
        writer.Write(value, 0);
        return writer.Finish();
    }

    private sealed class Writer(bool indent, bool escapeHtml)
    {
        private readonly StringBuilder b = new();
        private WrittenText written;

        public string Finish() => written.Finish(b);

        public void Write(object? v, int depth)
        {
            switch (v)
            {
                case null:
                    b.Append("null");
                    break;
                case string s:
                    written.Reserve(b, s.Length + 2L);
                    JsonString(b, s, escapeHtml);
                    break;
                case bool x:
                    b.Append(x ? "true" : "false");
                    break;
                case long or int or nint or short or sbyte or byte or ushort or uint or ulong:
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
                            NewLine(depth + 1);
                            JsonString(b, key, escapeHtml);
                            b.Append(indent ? ": " : ":");
                            Write(map[key], depth + 1);
                            written.Written(b);
                        }

                        NewLine(depth);
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

                            NewLine(depth + 1);
                            Write(list[i], depth + 1);
                            written.Written(b);
                        }

                        NewLine(depth);
                        b.Append(']');
                        break;
                    }

                default:
                    throw new GoFunctionException($"json: unsupported type: {GoTypes.Name(v)}");
            }
        }

        // The indentation is charged before it is written: at depth 1000 each line starts with 2,000 spaces.
        private void NewLine(int depth)
        {
            if (indent)
            {
                written.Reserve(b, 1 + (depth * 2L));
                b.Append('\n').Append(' ', depth * 2);
            }
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
