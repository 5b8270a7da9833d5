using Lookout.Values;

namespace Lookout.Templates.Exec;

/// <summary>
/// What the printing builtins (<c>print</c>, <c>printf</c>, <c>println</c>, <c>html</c>, <c>js</c>, <c>urlquery</c>) are
/// about to build, charged to the execution's budget before they build it: a loop doubling a string through them
/// stops at the budget instead of at the end of memory. Deep values are bounded by the printer's own depth limit.
/// </summary>
internal static class PrintBudget
{
    /// <summary>Charges the printed size of <paramref name="args"/> times <paramref name="factor"/> (escaping grows text); returns them.</summary>
    public static object?[] Charge(object?[] args, int factor)
    {
        EvaluationBudget.Charge(Size(args) * factor);
        return args;
    }

    /// <summary>Charges the format, the arguments and every width and precision the format asks for; returns the arguments.</summary>
    public static object?[] ChargeFormat(string format, object?[] args)
    {
        long size = format.Length + Size(args);
        int starArg = 0;
        for (int i = 0; i < format.Length; i++)
        {
            char c = format[i];
            if (c == '*')
            {
                // A width or precision taken from the arguments.
                size += starArg < args.Length && args[starArg] is int n ? Math.Abs((long)n) : 0;
                starArg++;
            }
            else if (char.IsAsciiDigit(c))
            {
                long number = 0;
                while (i < format.Length && char.IsAsciiDigit(format[i]))
                {
                    number = Math.Min((number * 10) + (format[i] - '0'), int.MaxValue);
                    i++;
                }

                i--;
                size += number;
            }
        }

        EvaluationBudget.Charge(size);
        return args;
    }

    private static long Size(object?[] args)
    {
        long size = 0;
        foreach (object? a in args)
        {
            size += a switch
            {
                string s => s.Length,
                System.Collections.ICollection c => 2 + (c.Count * 2L),
                IDictionary<string, object?> m => 2 + (m.Count * 4L),
                _ => 1,
            };
        }

        return size;
    }
}
