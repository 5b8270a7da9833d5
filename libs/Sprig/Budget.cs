using Lookout.Values;

namespace Lookout.Sprig;

/// <summary>
/// What Sprig's value-building functions are about to allocate, charged to the evaluation's
/// <see cref="EvaluationBudget"/> before they run: the functions whose result can be much larger than their
/// arguments (<c>repeat</c>, <c>until</c>, <c>indent</c>, <c>replace</c>...) and those that combine values, which a
/// loop can double (<c>cat</c>, <c>concat</c>, <c>append</c>, encodings...). Estimates err on the large side.
/// </summary>
internal static class Budget
{
    /// <summary>The charge of the function <paramref name="name"/> given its arguments, or null when it builds nothing large.</summary>
    public static Action<object?[]>? For(string name) => name switch
    {
        "repeat" => a => Charge(a[0] is int n && n > 0 ? (long)n * Len(a[1]) : 0),
        "until" => a => Charge(a[0] is int n ? Math.Abs((long)n) : 0),
        "untilStep" => a => Charge(a is [int start, int stop, int step] && step != 0 ? Math.Abs(((long)stop - start) / step) + 1 : 0),
        "seq" => a => Charge(SeqCount(a)),
        "randAlphaNum" or "randAlpha" or "randAscii" or "randNumeric" => a => Charge(a[0] is int n && n > 0 ? n : 0),
        "indent" or "nindent" => a => Charge(a[0] is int n && n > 0 && a[1] is string s ? ((long)Lines(s) * n) + s.Length + 1 : 0),
        "replace" => a => Charge(a is [string old, string @new, string s] ? s.Length + (((long)s.Length / Math.Max(1, old.Length)) + 1) * @new.Length : 0),
        "wrap" or "wrapWith" => a => Charge(a[^1] is string s ? (long)s.Length * (1 + (a.Length == 3 ? Len(a[1]) : 1)) : 0),
        "cat" or "quote" or "squote" or "list" or "tuple" or "concat" or "print" or "join" or "nospace" or "swapcase"
            or "upper" or "lower" or "title" or "untitle" or "snakecase" or "kebabcase" or "camelcase"
            or "splitList" or "split" or "splitn" or "keys" or "values" or "pluck" or "toString" or "dict"
            or "pick" or "omit" or "merge" or "mustMerge" or "mergeOverwrite" or "mustMergeOverwrite" or "reverse" or "mustReverse"
            or "compact" or "mustCompact" or "rest" or "mustRest" or "initial" or "mustInitial" or "slice" or "mustSlice"
            or "chunk" or "mustChunk" => a => Charge(SumLen(a)),
        // Elements printed to strings, or matches found: several times the memory of a character each.
        "sortAlpha" or "toStrings" => a => Charge(SumLen(a) * 4),
        "regexFindAll" or "mustRegexFindAll" or "regexSplit" or "mustRegexSplit" => a => Charge(a.Length > 1 ? Len(a[1]) * 8L : 0),
        "set" => a => Charge(a.Length > 1 ? Len(a[1]) + 2 : 0),
        "push" or "append" or "mustPush" or "mustAppend" or "prepend" or "mustPrepend" => a => Charge(Len(a[0]) + 1),
        "regexReplaceAll" or "mustRegexReplaceAll" or "regexReplaceAllLiteral" or "mustRegexReplaceAllLiteral" =>
            a => Charge(a is [_, string s, string repl] ? s.Length + ((long)s.Length + 1) * repl.Length : 0),
        "b64enc" or "b32enc" or "sha1sum" or "sha256sum" => a => Charge(Len(a[0]) * 5L),
        "b64dec" or "b32dec" => a => Charge(Len(a[0])),
        "uniq" or "mustUniq" => a => Steps(Len(a[0]) * (long)Len(a[0]) / 2),
        "without" or "mustWithout" => a => Steps(Len(a[0]) * (long)a.Length),
        _ => null,
    };

    /// <summary>One level deeper in a recursive walk of a value: checks the depth and charges the copy of its elements.</summary>
    public static T Deeper<T>(T value, int depth, string what, int count)
    {
        EvaluationBudget.Visit(depth, what);
        EvaluationBudget.Charge(count);
        return value;
    }

    private static void Charge(long units) => EvaluationBudget.Charge(units);

    private static void Steps(long steps)
    {
        EvaluationBudget? budget = EvaluationBudget.Current;
        if (budget is not null)
        {
            budget.Step(steps);
        }
        else if (steps > EvaluationLimits.Default.MaxSteps)
        {
            throw new EvaluationLimitException(EvaluationLimit.Steps, $"evaluation budget exceeded: more than {EvaluationLimits.Default.MaxSteps} steps (EvaluationLimits.MaxSteps)");
        }
    }

    // The size of a value as an argument: a string's characters, a collection's elements, a scalar's printed width.
    private static int Len(object? v) => v switch
    {
        null => 0,
        string s => s.Length,
        System.Collections.ICollection c => c.Count,
        IDictionary<string, object?> m => m.Count,
        _ => 24,
    };

    private static long SumLen(object?[] args)
    {
        long sum = args.Length;
        foreach (object? a in args)
        {
            sum += Len(a);
        }

        return sum;
    }

    private static int Lines(string s) => s.AsSpan().Count('\n') + 1;

    private static long SeqCount(object?[] a)
    {
        (long start, long step, long stop) = a switch
        {
            [int end] => (1L, 1L, (long)end),
            [int s, int end] => (s, 1L, end),
            [int s, int st, int end] => (s, st, end),
            _ => (0L, 1L, 0L),
        };
        return step == 0 ? 0 : (Math.Abs(stop - start) / Math.Abs(step)) + 1;
    }
}
