using System.Text;
using System.Text.RegularExpressions;
using Lookout.Values;

namespace Lookout.Sprig;

/// <summary>Sprig's url.go.</summary>
public static partial class SprigFunctions
{
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
