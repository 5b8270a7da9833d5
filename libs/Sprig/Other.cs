using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Lookout.Values;
using Lookout.Values.Time;

namespace Lookout.Sprig;

public static partial class SprigFunctions
{
    private static readonly TimeSpan RegexBudget = TimeSpan.FromSeconds(1);

    private static Regex Compile(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, RegexBudget);
        }
        catch (ArgumentException ex)
        {
            throw new GoFunctionException($"error parsing regexp: {ex.Message}");
        }
    }

    private static void AddRegex(Dictionary<string, GoFunction> m)
    {
        foreach (string prefix in new[] { string.Empty, "must" })
        {
            string P(string name) => prefix.Length == 0 ? name : prefix + char.ToUpperInvariant(name[0]) + name[1..];
            m[P("regexMatch")] = Fn(P("regexMatch"), "string string", a => Compile((string)a[0]!).IsMatch((string)a[1]!));
            m[P("regexFindAll")] = Fn(P("regexFindAll"), "string string int", a =>
            {
                IEnumerable<string> all = Compile((string)a[0]!).Matches((string)a[1]!).Select(x => x.Value);
                int n = (int)a[2]!;
                return ToList(n < 0 ? all : all.Take(n));
            });
            m[P("regexFind")] = Fn(P("regexFind"), "string string", a => Compile((string)a[0]!).Match((string)a[1]!) is { Success: true } x ? x.Value : string.Empty);
            m[P("regexReplaceAll")] = Fn(P("regexReplaceAll"), "string string string", a => Compile((string)a[0]!).Replace((string)a[1]!, GoExpand((string)a[2]!)));
            m[P("regexReplaceAllLiteral")] = Fn(P("regexReplaceAllLiteral"), "string string string", a => Compile((string)a[0]!).Replace((string)a[1]!, ((string)a[2]!).Replace("$", "$$", StringComparison.Ordinal)));
            m[P("regexSplit")] = Fn(P("regexSplit"), "string string int", a => ToList(RegexSplit(Compile((string)a[0]!), (string)a[1]!, (int)a[2]!)));
        }

        m["regexQuoteMeta"] = Fn("regexQuoteMeta", "string", a => QuoteMeta((string)a[0]!));
    }

    // Go's $name (a run of letters, digits, underscores) becomes .NET's ${name}.
    private static string GoExpand(string template) =>
        Regex.Replace(template, @"\$([A-Za-z0-9_]+)", "$${$1}", RegexOptions.CultureInvariant, RegexBudget);

    private static List<string> RegexSplit(Regex re, string s, int n)
    {
        if (n == 0)
        {
            return [];
        }

        if (re.ToString().Length > 0 && s.Length == 0)
        {
            return [string.Empty];
        }

        var result = new List<string>();
        int beg = 0;
        foreach (Match match in re.Matches(s))
        {
            if (n > 0 && result.Count == n - 1)
            {
                break;
            }

            if (match.Length == 0 && match.Index == 0)
            {
                continue;
            }

            result.Add(s[beg..match.Index]);
            beg = match.Index + match.Length;
        }

        result.Add(s[beg..]);
        return result;
    }

    private static string QuoteMeta(string s)
    {
        var b = new StringBuilder();
        foreach (char c in s)
        {
            if (@"\.+*?()|[]{}^$".Contains(c, StringComparison.Ordinal))
            {
                b.Append('\\');
            }

            b.Append(c);
        }

        return b.ToString();
    }

    private static void AddDates(Dictionary<string, GoFunction> m, TimeProvider time)
    {
        GoTime Now() => new(time.GetUtcNow(), GoLocation.Local);
        GoTime AsTime(object? date) => date switch
        {
            GoTime t => t,
            long l => new GoTime(DateTimeOffset.FromUnixTimeSeconds(l), GoLocation.Local),
            int i => new GoTime(DateTimeOffset.FromUnixTimeSeconds(i), GoLocation.Local),
            _ => Now(),
        };
        GoLocation Zone(string name)
        {
            try
            {
                return GoLocation.Load(name);
            }
            catch (GoFunctionException)
            {
                return GoLocation.Utc;
            }
        }

        m["now"] = Fn("now", string.Empty, _ => Now());
        m["date"] = Fn("date", "string any", a => AsTime(a[1]).In(GoLocation.Local).Format((string)a[0]!));
        m["date_in_zone"] = m["dateInZone"] = Fn("dateInZone", "string any string", a => AsTime(a[1]).In(Zone((string)a[2]!)).Format((string)a[0]!));
        m["htmlDate"] = Fn("htmlDate", "any", a => AsTime(a[0]).In(GoLocation.Local).Format("2006-01-02"));
        m["htmlDateInZone"] = Fn("htmlDateInZone", "any string", a => AsTime(a[0]).In(Zone((string)a[1]!)).Format("2006-01-02"));
        m["date_modify"] = m["dateModify"] = Fn("dateModify", "string time", a =>
        {
            try
            {
                return ((GoTime)a[1]!).Add(GoDuration.Parse((string)a[0]!));
            }
            catch (GoFunctionException)
            {
                return a[1];
            }
        });
        m["must_date_modify"] = m["mustDateModify"] = Fn("mustDateModify", "string time", a => ((GoTime)a[1]!).Add(GoDuration.Parse((string)a[0]!)));
        m["toDate"] = Fn("toDate", "string string", a =>
        {
            try
            {
                return GoTime.ParseInLocation((string)a[0]!, (string)a[1]!, GoLocation.Local);
            }
            catch (GoFunctionException)
            {
                return GoTime.Zero;
            }
        });
        m["mustToDate"] = Fn("mustToDate", "string string", a => GoTime.ParseInLocation((string)a[0]!, (string)a[1]!, GoLocation.Local));
        m["unixEpoch"] = Fn("unixEpoch", "time", a => ((GoTime)a[0]!).Unix().ToString(CultureInfo.InvariantCulture));
        m["duration"] = Fn("duration", "any", a =>
        {
            long n = a[0] switch
            {
                string s => long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) ? v : 0,
                long l => l,
                _ => 0,
            };
            return new GoDuration(n * GoDuration.Second).ToString();
        });
        m["durationRound"] = Fn("durationRound", "any", a =>
        {
            long d = a[0] switch
            {
                string s => TryDuration(s),
                long l => l,
                GoTime t => (long)(time.GetUtcNow() - t.Instant).Ticks * 100,
                _ => 0,
            };
            return DurationRound(d);
        });
        m["ago"] = Fn("ago", "any", a =>
        {
            GoTime then = a[0] switch
            {
                GoTime t => t,
                long l => new GoTime(DateTimeOffset.FromUnixTimeSeconds(l), GoLocation.Local),
                int i => new GoTime(DateTimeOffset.FromUnixTimeSeconds(i), GoLocation.Local),
                _ => Now(),
            };
            long ns = (time.GetUtcNow() - then.Instant).Ticks * 100;
            long rounded = (long)Math.Round(ns / (double)GoDuration.Second, MidpointRounding.AwayFromZero) * GoDuration.Second;
            return new GoDuration(rounded).ToString();
        });
    }

    private static long TryDuration(string s)
    {
        try
        {
            return GoDuration.Parse(s).Nanoseconds;
        }
        catch (GoFunctionException)
        {
            return 0;
        }
    }

    private static string DurationRound(long d)
    {
        ulong u = d < 0 ? (ulong)(-(d + 1)) + 1 : (ulong)d;
        const ulong hour = 3_600_000_000_000UL;
        (ulong unit, string suffix)[] units =
        [
            (hour * 24 * 365, "y"), (hour * 24 * 30, "mo"), (hour * 24, "d"), (hour, "h"), (60_000_000_000UL, "m"), (1_000_000_000UL, "s"),
        ];
        foreach ((ulong unit, string suffix) in units)
        {
            if (u > unit)
            {
                return (u / unit).ToString(CultureInfo.InvariantCulture) + suffix;
            }
        }

        return "0s";
    }

    private static void AddUrls(Dictionary<string, GoFunction> m)
    {
        m["urlParse"] = Fn("urlParse", "string", a =>
        {
            string s = (string)a[0]!;
            var d = new ObjectMap();
            string rest = s;
            string fragment = string.Empty;
            int hash = rest.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0)
            {
                fragment = Uri.UnescapeDataString(rest[(hash + 1)..]);
                rest = rest[..hash];
            }

            string query = string.Empty;
            int q = rest.IndexOf('?', StringComparison.Ordinal);
            if (q >= 0)
            {
                query = rest[(q + 1)..];
                rest = rest[..q];
            }

            string scheme = string.Empty;
            Match sm = Regex.Match(rest, "^([A-Za-z][A-Za-z0-9+.-]*):", RegexOptions.CultureInvariant, RegexBudget);
            if (sm.Success)
            {
                scheme = sm.Groups[1].Value.ToLowerInvariant();
                rest = rest[sm.Length..];
            }

            string host = string.Empty, userinfo = string.Empty, opaque = string.Empty;
            if (rest.StartsWith("//", StringComparison.Ordinal))
            {
                rest = rest[2..];
                int slash = rest.IndexOf('/', StringComparison.Ordinal);
                string authority = slash >= 0 ? rest[..slash] : rest;
                rest = slash >= 0 ? rest[slash..] : string.Empty;
                int at = authority.LastIndexOf('@');
                if (at >= 0)
                {
                    userinfo = authority[..at];
                    authority = authority[(at + 1)..];
                }

                host = authority;
            }
            else if (scheme.Length > 0 && !rest.StartsWith('/'))
            {
                opaque = rest;
                rest = string.Empty;
            }

            string hostname = host.StartsWith('[') ? host[1..host.IndexOf(']', StringComparison.Ordinal)] : host.Split(':')[0];
            d["scheme"] = scheme;
            d["host"] = host;
            d["hostname"] = hostname;
            d["path"] = Uri.UnescapeDataString(rest);
            d["query"] = query;
            d["opaque"] = opaque;
            d["fragment"] = fragment;
            d["userinfo"] = userinfo;
            return d;
        });
        m["urlJoin"] = Fn("urlJoin", "map", a =>
        {
            IDictionary<string, object?> d = Map(a[0]);
            string Get(string k) => d.TryGetValue(k, out object? v) && v is not null ? Strval(v) : string.Empty;
            var b = new StringBuilder();
            if (Get("scheme").Length > 0)
            {
                b.Append(Get("scheme")).Append(':');
            }

            if (Get("opaque").Length > 0)
            {
                b.Append(Get("opaque"));
            }
            else
            {
                if (Get("scheme").Length > 0 || Get("host").Length > 0 || Get("userinfo").Length > 0)
                {
                    b.Append("//");
                    if (Get("userinfo").Length > 0)
                    {
                        b.Append(Get("userinfo")).Append('@');
                    }

                    b.Append(Get("host"));
                }

                string path = Get("path");
                if (path.Length > 0 && !path.StartsWith('/') && Get("host").Length > 0)
                {
                    b.Append('/');
                }

                b.Append(Uri.EscapeDataString(path).Replace("%2F", "/", StringComparison.Ordinal));
            }

            if (Get("query").Length > 0)
            {
                b.Append('?').Append(Get("query"));
            }

            if (Get("fragment").Length > 0)
            {
                b.Append('#').Append(Uri.EscapeDataString(Get("fragment")));
            }

            return b.ToString();
        });
    }
}
