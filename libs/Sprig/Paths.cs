using Lookout.Values;

namespace Lookout.Sprig;

/// <summary>Sprig's path and filepath functions.</summary>
public static partial class SprigFunctions
{
    private static void AddPaths(Dictionary<string, GoFunction> m)
    {
        foreach (string prefix in new[] { string.Empty, "os" })
        {
            string P(string name) => prefix.Length == 0 ? name : prefix + char.ToUpperInvariant(name[0]) + name[1..];
            m[P("base")] = Fn(P("base"), "string", a => PathBase((string)a[0]!));
            m[P("dir")] = Fn(P("dir"), "string", a => PathDir((string)a[0]!));
            m[P("clean")] = Fn(P("clean"), "string", a => PathClean((string)a[0]!));
            m[P("ext")] = Fn(P("ext"), "string", a => PathExt((string)a[0]!));
            m[P("isAbs")] = Fn(P("isAbs"), "string", a => ((string)a[0]!).StartsWith('/'));
        }
    }

    private static string PathBase(string p)
    {
        if (p.Length == 0)
        {
            return ".";
        }

        p = p.TrimEnd('/');
        if (p.Length == 0)
        {
            return "/";
        }

        int i = p.LastIndexOf('/');
        return i >= 0 ? p[(i + 1)..] : p;
    }

    private static string PathExt(string p)
    {
        for (int i = p.Length - 1; i >= 0 && p[i] != '/'; i--)
        {
            if (p[i] == '.')
            {
                return p[i..];
            }
        }

        return string.Empty;
    }

    private static string PathDir(string p)
    {
        int i = p.LastIndexOf('/');
        return PathClean(i >= 0 ? p[..(i + 1)] : string.Empty);
    }

    // path.Clean: lexical processing of ., .., and repeated slashes.
    private static string PathClean(string p)
    {
        if (p.Length == 0)
        {
            return ".";
        }

        bool rooted = p[0] == '/';
        var parts = new List<string>();
        foreach (string part in p.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0 && parts[^1] != "..")
                {
                    parts.RemoveAt(parts.Count - 1);
                }
                else if (!rooted)
                {
                    parts.Add("..");
                }

                continue;
            }

            parts.Add(part);
        }

        string result = (rooted ? "/" : string.Empty) + string.Join('/', parts);
        return result.Length == 0 ? "." : result;
    }
}
