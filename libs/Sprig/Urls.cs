using System.Text;
using Lookout.Values;

namespace Lookout.Sprig;

/// <summary>Sprig's url.go on Go's net/url: <c>url.Parse</c> and <c>URL.String</c>, their escaping and their errors.</summary>
public static partial class SprigFunctions
{
    private enum UrlEncoding
    {
        Path,
        Host,
        Zone,
        UserPassword,
        Fragment,
    }

    private static void AddUrls(Dictionary<string, GoFunction> m)
    {
        m["urlParse"] = Fn("urlParse", "string", a => UrlParse((string)a[0]!));
        m["urlJoin"] = Fn("urlJoin", "map", a => UrlJoin(Map(a[0])));
    }

    private static ObjectMap UrlParse(string raw)
    {
        GoUrl u;
        try
        {
            u = GoUrl.Parse(raw);
        }
        catch (FormatException ex)
        {
            throw new GoFunctionException($"unable to parse url: parse {GoFmt.Quote(ex.Data["url"] as string ?? raw)}: {ex.Message}");
        }

        return new ObjectMap
        {
            ["scheme"] = u.Scheme,
            ["host"] = u.Host,
            ["hostname"] = u.Hostname,
            ["path"] = u.Path,
            ["query"] = u.RawQuery,
            ["opaque"] = u.Opaque,
            ["fragment"] = u.Fragment,
            ["userinfo"] = u.User is null ? string.Empty : u.User.Value.ToString(),
        };
    }

    private static string UrlJoin(IDictionary<string, object?> d)
    {
        string Get(string key)
        {
            if (!d.TryGetValue(key, out object? v))
            {
                return string.Empty;
            }

            return v as string ?? throw new GoFunctionException(v is null
                ? "runtime error: invalid memory address or nil pointer dereference"
                : $"unable to parse {key} key, must be of type string, but {KindOf(v)} found");
        }

        var u = new GoUrl
        {
            Scheme = Get("scheme"),
            Host = Get("host"),
            Path = Get("path"),
            RawQuery = Get("query"),
            Opaque = Get("opaque"),
            Fragment = Get("fragment"),
        };
        string userinfo = Get("userinfo");
        if (userinfo.Length > 0)
        {
            try
            {
                u.User = GoUrl.Parse($"proto://{userinfo}@host").User;
            }
            catch (FormatException ex)
            {
                throw new GoFunctionException($"unable to parse userinfo in dict: parse {GoFmt.Quote($"proto://{userinfo}@host")}: {ex.Message}");
            }
        }

        return u.ToString();
    }

    private readonly record struct GoUserinfo(string Username, string? Password)
    {
        public override string ToString() =>
            UrlEscape(Username, UrlEncoding.UserPassword) + (Password is null ? string.Empty : ":" + UrlEscape(Password, UrlEncoding.UserPassword));
    }

    private sealed class GoUrl
    {
        public string Scheme { get; set; } = string.Empty;

        public string Opaque { get; set; } = string.Empty;

        public GoUserinfo? User { get; set; }

        public string Host { get; set; } = string.Empty;

        public string Path { get; set; } = string.Empty;

        public string RawPath { get; set; } = string.Empty;

        public bool ForceQuery { get; set; }

        public string RawQuery { get; set; } = string.Empty;

        public string Fragment { get; set; } = string.Empty;

        public string Hostname
        {
            get
            {
                string host = Host;
                int colon = host.LastIndexOf(':');
                if (colon >= 0 && ValidOptionalPort(host[colon..]))
                {
                    host = host[..colon];
                }

                return host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
            }
        }

        // url.Parse; a FormatException carries Go's message.
        public static GoUrl Parse(string raw)
        {
            int hash = raw.IndexOf('#', StringComparison.Ordinal);
            string rest = hash < 0 ? raw : raw[..hash];
            GoUrl url;
            try
            {
                url = ParseWithoutFragment(rest);
            }
            catch (FormatException ex)
            {
                ex.Data["url"] = rest;
                throw;
            }

            if (hash >= 0)
            {
                url.Fragment = Unescape(raw[(hash + 1)..], UrlEncoding.Fragment);
            }

            return url;
        }

        private static GoUrl ParseWithoutFragment(string raw)
        {
            if (raw.Any(c => c < 0x20 || c == 0x7F))
            {
                throw new FormatException("net/url: invalid control character in URL");
            }

            var url = new GoUrl();
            if (raw == "*")
            {
                url.Path = "*";
                return url;
            }

            (url.Scheme, string rest) = GetScheme(raw);
            url.Scheme = url.Scheme.ToLowerInvariant();
            if (rest.EndsWith('?') && rest.Count(c => c == '?') == 1)
            {
                url.ForceQuery = true;
                rest = rest[..^1];
            }
            else
            {
                int q = rest.IndexOf('?', StringComparison.Ordinal);
                if (q >= 0)
                {
                    url.RawQuery = rest[(q + 1)..];
                    rest = rest[..q];
                }
            }

            if (!rest.StartsWith('/'))
            {
                if (url.Scheme.Length > 0)
                {
                    url.Opaque = rest;
                    return url;
                }

                string segment = rest.Split('/', 2)[0];
                if (segment.Contains(':', StringComparison.Ordinal))
                {
                    throw new FormatException("first path segment in URL cannot contain colon");
                }
            }

            if ((url.Scheme.Length > 0 || !rest.StartsWith("///", StringComparison.Ordinal)) && rest.StartsWith("//", StringComparison.Ordinal))
            {
                string authority = rest[2..];
                rest = string.Empty;
                int slash = authority.IndexOf('/', StringComparison.Ordinal);
                if (slash >= 0)
                {
                    rest = authority[slash..];
                    authority = authority[..slash];
                }

                (url.User, url.Host) = ParseAuthority(authority);
            }

            url.Path = Unescape(rest, UrlEncoding.Path);
            url.RawPath = UrlEscape(url.Path, UrlEncoding.Path) == rest ? string.Empty : rest;
            return url;
        }

        private static (string Scheme, string Remainder) GetScheme(string raw)
        {
            for (int i = 0; i < raw.Length; i++)
            {
                char c = raw[i];
                if (char.IsAsciiLetter(c))
                {
                    continue;
                }

                if (char.IsAsciiDigit(c) || c is '+' or '-' or '.')
                {
                    if (i == 0)
                    {
                        return (string.Empty, raw);
                    }

                    continue;
                }

                if (c == ':')
                {
                    return i == 0 ? throw new FormatException("missing protocol scheme") : (raw[..i], raw[(i + 1)..]);
                }

                return (string.Empty, raw);
            }

            return (string.Empty, raw);
        }

        private static (GoUserinfo? User, string Host) ParseAuthority(string authority)
        {
            int at = authority.LastIndexOf('@');
            string host = ParseHost(at < 0 ? authority : authority[(at + 1)..]);
            if (at < 0)
            {
                return (null, host);
            }

            string userinfo = authority[..at];
            if (!userinfo.All(ValidUserinfoChar))
            {
                throw new FormatException("net/url: invalid userinfo");
            }

            int colon = userinfo.IndexOf(':', StringComparison.Ordinal);
            return colon < 0
                ? (new GoUserinfo(Unescape(userinfo, UrlEncoding.UserPassword), null), host)
                : (new GoUserinfo(Unescape(userinfo[..colon], UrlEncoding.UserPassword), Unescape(userinfo[(colon + 1)..], UrlEncoding.UserPassword)), host);
        }

        private static bool ValidUserinfoChar(char c) =>
            char.IsAsciiLetterOrDigit(c) || c >= 0x80 || "-._:~!$&'()*+,;=%@".Contains(c, StringComparison.Ordinal);

        private static string ParseHost(string host)
        {
            if (host.StartsWith('['))
            {
                int close = host.LastIndexOf(']');
                if (close < 0)
                {
                    throw new FormatException("missing ']' in host");
                }

                string colonPort = host[(close + 1)..];
                if (!ValidOptionalPort(colonPort))
                {
                    throw new FormatException($"invalid port {GoFmt.Quote(colonPort)} after host");
                }

                int zone = host[..close].IndexOf("%25", StringComparison.Ordinal);
                if (zone >= 0)
                {
                    return Unescape(host[..zone], UrlEncoding.Host) + Unescape(host[zone..close], UrlEncoding.Zone) + Unescape(host[close..], UrlEncoding.Host);
                }
            }
            else
            {
                int colon = host.LastIndexOf(':');
                if (colon >= 0 && !ValidOptionalPort(host[colon..]))
                {
                    throw new FormatException($"invalid port {GoFmt.Quote(host[colon..])} after host");
                }
            }

            return Unescape(host, UrlEncoding.Host);
        }

        // URL.String.
        public override string ToString()
        {
            var b = new StringBuilder();
            if (Scheme.Length > 0)
            {
                b.Append(Scheme).Append(':');
            }

            if (Opaque.Length > 0)
            {
                b.Append(Opaque);
            }
            else
            {
                if (Scheme.Length > 0 || Host.Length > 0 || User is not null)
                {
                    if (Host.Length > 0 || Path.Length > 0 || User is not null)
                    {
                        b.Append("//");
                    }

                    if (User is { } user)
                    {
                        b.Append(user.ToString()).Append('@');
                    }

                    if (Host.Length > 0)
                    {
                        b.Append(UrlEscape(Host, UrlEncoding.Host));
                    }
                }

                string path = Path == "*" ? "*" : UrlEscape(Path, UrlEncoding.Path);
                if (path.Length > 0 && path[0] != '/' && Host.Length > 0)
                {
                    b.Append('/');
                }

                if (b.Length == 0 && path.Split('/', 2)[0].Contains(':', StringComparison.Ordinal))
                {
                    b.Append("./");
                }

                b.Append(path);
            }

            if (ForceQuery || RawQuery.Length > 0)
            {
                b.Append('?').Append(RawQuery);
            }

            if (Fragment.Length > 0)
            {
                b.Append('#').Append(UrlEscape(Fragment, UrlEncoding.Fragment));
            }

            return b.ToString();
        }
    }

    private static bool ValidOptionalPort(string port) =>
        port.Length == 0 || (port[0] == ':' && port.Skip(1).All(char.IsAsciiDigit));

    // net/url's shouldEscape.
    private static bool ShouldEscape(byte c, UrlEncoding mode)
    {
        if (c < 0x80 && char.IsAsciiLetterOrDigit((char)c))
        {
            return false;
        }

        if (mode is UrlEncoding.Host or UrlEncoding.Zone && "!$&'()*+,;=:[]<>\"".Contains((char)c, StringComparison.Ordinal))
        {
            return false;
        }

        switch ((char)c)
        {
            case '-' or '_' or '.' or '~':
                return false;
            case '$' or '&' or '+' or ',' or '/' or ':' or ';' or '=' or '?' or '@':
                return mode switch
                {
                    UrlEncoding.Path => c == '?',
                    UrlEncoding.UserPassword => c is (byte)'@' or (byte)'/' or (byte)'?' or (byte)':',
                    UrlEncoding.Fragment => false,
                    _ => true,
                };
        }

        if (mode == UrlEncoding.Fragment && c is (byte)'!' or (byte)'(' or (byte)')' or (byte)'*')
        {
            return false;
        }

        return true;
    }

    private static string UrlEscape(string s, UrlEncoding mode)
    {
        var b = new StringBuilder(s.Length);
        foreach (byte c in Utf8(s))
        {
            if (ShouldEscape(c, mode))
            {
                b.Append('%').Append("0123456789ABCDEF"[c >> 4]).Append("0123456789ABCDEF"[c & 15]);
            }
            else
            {
                b.Append((char)c);
            }
        }

        return b.ToString();
    }

    // net/url's unescape: %XX decoded; malformed escapes, and in hosts characters that must be escaped, are errors.
    private static string Unescape(string s, UrlEncoding mode)
    {
        byte[] bytes = Utf8(s);
        var result = new List<byte>(bytes.Length);
        for (int i = 0; i < bytes.Length; i++)
        {
            byte c = bytes[i];
            if (c == '%')
            {
                if (i + 2 >= bytes.Length || !Uri.IsHexDigit((char)bytes[i + 1]) || !Uri.IsHexDigit((char)bytes[i + 2]))
                {
                    string bad = FromUtf8(bytes.AsSpan(i, Math.Min(3, bytes.Length - i)));
                    throw new FormatException($"invalid URL escape {GoFmt.Quote(bad)}");
                }

                int hi = Convert.ToInt32(((char)bytes[i + 1]).ToString(), 16);
                if (mode == UrlEncoding.Host && hi < 8 && FromUtf8(bytes.AsSpan(i, 3)) != "%25")
                {
                    throw new FormatException($"invalid URL escape {GoFmt.Quote(FromUtf8(bytes.AsSpan(i, 3)))}");
                }

                result.Add((byte)((hi << 4) | Convert.ToInt32(((char)bytes[i + 2]).ToString(), 16)));
                i += 2;
                continue;
            }

            if (mode is UrlEncoding.Host or UrlEncoding.Zone && c < 0x80 && ShouldEscape(c, mode))
            {
                throw new FormatException($"invalid character {GoFmt.Quote(((char)c).ToString())} in host name");
            }

            result.Add(c);
        }

        return FromUtf8(result.ToArray());
    }
}
