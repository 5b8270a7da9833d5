using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Lookout.Values;

/// <summary>
/// Go's <c>regexp</c> (RE2 syntax) for expr's <c>matches</c> and Sprig's <c>regex*</c> functions, so a pattern that
/// works in a trigger works in a template. A pattern is checked against what RE2 accepts, translated to .NET's
/// syntax (<c>(?P&lt;name&gt;…)</c>, POSIX classes) and compiled with <see cref="RegexOptions.NonBacktracking"/>:
/// matching is linear in the input, as in Go, with no backtracking whatever the pattern.
/// </summary>
/// <remarks>
/// Failures are <see cref="GoFunctionException"/>s, which both engines report as errors of the expression or template
/// (with its position): a pattern Go rejects (<c>error parsing regexp: …</c>), and a match that runs past
/// <see cref="MatchTimeout"/> (only conceivable on very large inputs, since matching is linear).
/// Compiled patterns are cached (up to <see cref="CacheLimit"/>); a <see cref="Regex"/> is safe to use from many threads.
/// </remarks>
public static class GoRegex
{
    /// <summary>How long one match may run before it fails.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    /// <summary>The most patterns kept compiled; patterns past it are compiled on every use.</summary>
    public const int CacheLimit = 1000;

    private static readonly ConcurrentDictionary<string, Regex> Cache = new(StringComparer.Ordinal);

    /// <summary>Compiles a Go pattern, or returns it from the cache.</summary>
    /// <exception cref="GoFunctionException">Go rejects the pattern (<c>error parsing regexp: …</c>).</exception>
    public static Regex Compile(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (Cache.TryGetValue(pattern, out Regex? cached))
        {
            return cached;
        }

        CheckRe2Syntax(pattern);
        try
        {
            var regex = new Regex(Translate(pattern), RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, MatchTimeout);
            if (Cache.Count < CacheLimit)
            {
                Cache[pattern] = regex;
            }

            return regex;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            throw new GoFunctionException($"error parsing regexp: {ex.Message}");
        }
    }

    /// <summary>Go's <c>regexp.MatchString</c> with a compiled pattern.</summary>
    /// <exception cref="GoFunctionException">The match ran past <see cref="MatchTimeout"/>.</exception>
    public static bool IsMatch(Regex regex, string input)
    {
        ArgumentNullException.ThrowIfNull(regex);
        try
        {
            return regex.IsMatch(input);
        }
        catch (RegexMatchTimeoutException)
        {
            throw TimedOut();
        }
    }

    /// <summary>The error for a match that ran past <see cref="MatchTimeout"/>, for callers that use other <see cref="Regex"/> methods.</summary>
    public static GoFunctionException TimedOut() =>
        new($"regexp: match did not finish within {MatchTimeout.TotalSeconds:0.#}s");

    /// <summary>RE2's spellings that .NET writes differently: named groups <c>(?P&lt;name&gt;…)</c> and POSIX classes.</summary>
    public static string Translate(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return pattern.Replace("(?P<", "(?<", StringComparison.Ordinal)
            .Replace("[:alpha:]", "a-zA-Z", StringComparison.Ordinal)
            .Replace("[:digit:]", "0-9", StringComparison.Ordinal)
            .Replace("[:alnum:]", "a-zA-Z0-9", StringComparison.Ordinal)
            .Replace("[:upper:]", "A-Z", StringComparison.Ordinal)
            .Replace("[:lower:]", "a-z", StringComparison.Ordinal)
            .Replace("[:space:]", "\\t\\n\\v\\f\\r ", StringComparison.Ordinal)
            .Replace("[:xdigit:]", "0-9A-Fa-f", StringComparison.Ordinal)
            .Replace("[:word:]", "0-9A-Za-z_", StringComparison.Ordinal)
            .Replace("[:punct:]", "!-/:-@\\[-`{-~", StringComparison.Ordinal);
    }

    /// <summary>RE2 accepts only the flags i, m, s, U in <c>(?…)</c> and <c>(?P&lt;name&gt;…)</c> for names: no
    /// lookaround, atomic groups, comments or other .NET constructs, which Go rejects.</summary>
    private static void CheckRe2Syntax(string pattern)
    {
        bool inClass = false;
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '\\')
            {
                i++;
                continue;
            }

            if (inClass)
            {
                inClass = c != ']';
                continue;
            }

            if (c == '[')
            {
                inClass = true;
                if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                {
                    i++;
                }

                continue;
            }

            if (c != '(' || i + 1 >= pattern.Length || pattern[i + 1] != '?')
            {
                continue;
            }

            int j = i + 2;
            if (j + 1 < pattern.Length && pattern[j] == 'P' && pattern[j + 1] == '<')
            {
                continue;
            }

            int flags = 0;
            while (j < pattern.Length && pattern[j] is not (')' or ':'))
            {
                if (pattern[j] is not ('i' or 'm' or 's' or 'U' or '-'))
                {
                    throw new GoFunctionException($"error parsing regexp: invalid or unsupported Perl syntax: `{pattern[i..Math.Min(pattern.Length, j + 1)]}`");
                }

                j++;
                flags++;
            }

            if (j >= pattern.Length || (flags == 0 && pattern[j] == ')'))
            {
                throw new GoFunctionException($"error parsing regexp: missing argument to repetition operator or invalid syntax: `{pattern[i..Math.Min(pattern.Length, j + 1)]}`");
            }
        }
    }
}
