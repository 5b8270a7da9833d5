using System.Text;
using Lookout.Values;
using Lookout.Values.Time;

namespace Lookout.Notifications.Scope;

/// <summary>
/// The helper namespaces Argo CD puts beside <c>app</c> in trigger conditions and templates (argo-cd
/// util/notification/expression): <c>time</c>, <c>strings</c>, <c>repo</c> and <c>sync</c>. Each is a map of
/// functions and constants, so an expression reads <c>time.Parse(x)</c> and a template <c>{{ call .time.Parse x }}</c>.
/// </summary>
public static class ArgoHelpers
{
    /// <summary>
    /// Argo CD's <c>time.Parse</c> (RFC 3339), one instance shared by every scope, so a compiled expression can
    /// recognize it and read times without allocating.
    /// </summary>
    public static GoFunction TimeParse { get; } = new("time.Parse", 1, 1, a => GoTime.Parse(GoLayouts.RFC3339, a[0] as string ?? throw new GoFunctionException($"time.Parse: expected a string, got {GoFmt.TypeName(a[0])}")))
    {
        ParsesRfc3339 = true,
    };

    /// <summary>Argo CD's <c>time</c>: <c>Parse</c> (RFC 3339), <c>Now</c>, the duration constants and the layouts.</summary>
    public static ObjectMap Time(TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;
        var map = new ObjectMap()
        {
            ["Parse"] = TimeParse,
            ["Now"] = new GoFunction("time.Now", 0, 0, _ => new GoTime(clock.GetUtcNow(), GoLocation.Local)),
            ["Nanosecond"] = new GoDuration(GoDuration.Nanosecond),
            ["Microsecond"] = new GoDuration(GoDuration.Microsecond),
            ["Millisecond"] = new GoDuration(GoDuration.Millisecond),
            ["Second"] = new GoDuration(GoDuration.Second),
            ["Minute"] = new GoDuration(GoDuration.Minute),
            ["Hour"] = new GoDuration(GoDuration.Hour),
        };
        foreach ((string name, string layout) in GoLayouts.Named)
        {
            map[name] = layout;
        }

        return map;
    }

    /// <summary>Argo CD's <c>strings</c>: <c>ReplaceAll</c>, <c>ToUpper</c>, <c>ToLower</c>.</summary>
    public static ObjectMap Strings() => new()
    {
        ["ReplaceAll"] = new GoFunction("strings.ReplaceAll", 3, 3, a => Str(a[0], "ReplaceAll").Replace(Str(a[1], "ReplaceAll"), Str(a[2], "ReplaceAll"), StringComparison.Ordinal)),
        ["ToUpper"] = new GoFunction("strings.ToUpper", 1, 1, a => Str(a[0], "ToUpper").ToUpperInvariant()),
        ["ToLower"] = new GoFunction("strings.ToLower", 1, 1, a => Str(a[0], "ToLower").ToLowerInvariant()),
    };

    /// <summary>
    /// Argo CD's <c>repo</c>: <c>RepoURLToHTTPS</c>, <c>FullNameByRepoURL</c>, <c>QueryEscape</c>, and the functions
    /// that ask Argo CD's repo server (<c>GetCommitMetadata</c>, <c>GetAppDetails</c>), answered by
    /// <paramref name="repoServer"/> (without one they fail with a clear error).
    /// </summary>
    public static ObjectMap Repo(object? app, IArgoRepoServer? repoServer = null) => new()
    {
        ["RepoURLToHTTPS"] = new GoFunction("repo.RepoURLToHTTPS", 1, 1, a => RepoUrlToHttps(Str(a[0], "RepoURLToHTTPS"))),
        ["FullNameByRepoURL"] = new GoFunction("repo.FullNameByRepoURL", 1, 1, a => FullNameByRepoUrl(Str(a[0], "FullNameByRepoURL"))),
        ["QueryEscape"] = new GoFunction("repo.QueryEscape", 1, 1, a => QueryEscape(Str(a[0], "QueryEscape"))),
        ["GetCommitMetadata"] = new GoFunction("repo.GetCommitMetadata", 1, 1, a =>
            (repoServer ?? throw new GoFunctionException("repo.GetCommitMetadata: no Argo CD repo server is configured")).GetCommitMetadata(app, Str(a[0], "GetCommitMetadata"))),
        ["GetAppDetails"] = new GoFunction("repo.GetAppDetails", 0, 0, _ =>
            (repoServer ?? throw new GoFunctionException("repo.GetAppDetails: no Argo CD repo server is configured")).GetAppDetails(app)),
    };

    /// <summary>Argo CD's <c>sync</c>: <c>GetInfoItem(app, name)</c> reads <c>status.operationState.operation.info</c>.</summary>
    public static ObjectMap Sync() => new()
    {
        ["GetInfoItem"] = new GoFunction("sync.GetInfoItem", 2, 2, a => GetInfoItem(a[0], Str(a[1], "GetInfoItem"))),
    };

    /// <summary>The helpers as one scope, merged into a copy of <paramref name="vars"/> (argo-cd's <c>expression.Spawn</c>).</summary>
    public static ObjectMap Spawn(IReadOnlyDictionary<string, object?> vars, object? app, TimeProvider? clock = null, IArgoRepoServer? repoServer = null)
    {
        ArgumentNullException.ThrowIfNull(vars);
        var scope = new ObjectMap(vars)
        {
            ["repo"] = Repo(app, repoServer),
            ["time"] = Time(clock),
            ["strings"] = Strings(),
            ["sync"] = Sync(),
        };
        return scope;
    }

    private static string Str(object? v, string function) =>
        v as string ?? throw new GoFunctionException($"{function}: expected a string, got {GoFmt.TypeName(v)}");

    /// <summary>git-urls parsing as Argo CD uses it: scp-like <c>git@host:org/repo.git</c> or a URL.</summary>
    private static (string Scheme, string? User, string Host, string Path, string Tail) ParseGitUrl(string raw)
    {
        int schemeEnd = raw.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd > 0)
        {
            string scheme = raw[..schemeEnd];
            string rest = raw[(schemeEnd + 3)..];
            int slash = rest.IndexOf('/', StringComparison.Ordinal);
            string authority = slash >= 0 ? rest[..slash] : rest;
            string path = slash >= 0 ? rest[slash..] : string.Empty;
            string tail = string.Empty;
            int q = path.IndexOfAny(['?', '#']);
            if (q >= 0)
            {
                tail = path[q..];
                path = path[..q];
            }

            int at = authority.LastIndexOf('@');
            return (scheme, at >= 0 ? authority[..at] : null, at >= 0 ? authority[(at + 1)..] : authority, path, tail);
        }

        // scp-like: [user@]host:path
        int colon = raw.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && !raw[..colon].Contains('/', StringComparison.Ordinal))
        {
            string userHost = raw[..colon];
            int at = userHost.IndexOf('@', StringComparison.Ordinal);
            return ("ssh", at >= 0 ? userHost[..at] : null, at >= 0 ? userHost[(at + 1)..] : userHost, raw[(colon + 1)..], string.Empty);
        }

        return ("file", null, string.Empty, raw, string.Empty);
    }

    /// <summary>Argo CD's <c>repo.RepoURLToHTTPS</c>.</summary>
    public static string RepoUrlToHttps(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        (_, _, string host, string path, string rest) = ParseGitUrl(raw);
        if (path.Length > 0 && path[0] != '/' && host.Length > 0)
        {
            path = "/" + path;
        }

        return "https://" + host + path + rest;
    }

    /// <summary>Argo CD's <c>repo.FullNameByRepoURL</c>: <c>org/repo</c>.</summary>
    public static string FullNameByRepoUrl(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        string path = ParseGitUrl(raw).Path;
        if (path.EndsWith(".git", StringComparison.Ordinal))
        {
            path = path[..^4];
        }

        string[] parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 ? parts[0] + "/" + parts[1] : path;
    }

    /// <summary>Go's <c>url.QueryEscape</c>.</summary>
    public static string QueryEscape(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var b = new StringBuilder();
        foreach (byte c in Encoding.UTF8.GetBytes(s))
        {
            if (char.IsAsciiLetterOrDigit((char)c) || c is (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                b.Append((char)c);
            }
            else if (c == ' ')
            {
                b.Append('+');
            }
            else
            {
                b.Append('%').Append(c.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return b.ToString();
    }

    private static string GetInfoItem(object? app, string name)
    {
        object? info = Path(app, "status", "operationState", "operation", "info");
        if (info is IList<object?> items)
        {
            foreach (object? item in items)
            {
                if (item is IDictionary<string, object?> entry && entry.TryGetValue("name", out object? n) && n as string == name)
                {
                    return entry.TryGetValue("value", out object? value) ? value as string ?? string.Empty : string.Empty;
                }
            }
        }

        throw new GoFunctionException($"application has no operation info item named \"{name}\"");
    }

    private static object? Path(object? value, params string[] keys)
    {
        foreach (string key in keys)
        {
            if (value is not IDictionary<string, object?> map || !map.TryGetValue(key, out value))
            {
                return null;
            }
        }

        return value;
    }
}

/// <summary>What Argo CD's repo server answers for the <c>repo</c> helpers (commit metadata, app details).</summary>
public interface IArgoRepoServer
{
    /// <summary>Commit metadata of the Application's source repository (<c>Message</c>, <c>Author</c>, <c>Date</c>, <c>Tags</c>).</summary>
    object? GetCommitMetadata(object? app, string commitSha);

    /// <summary>The Application's source details (<c>Type</c>, <c>Helm</c>, <c>Kustomize</c>…).</summary>
    object? GetAppDetails(object? app);
}
