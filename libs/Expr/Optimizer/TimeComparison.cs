using Lookout.Values;
using Lookout.Values.Time;
using Code = Lookout.Expr.Compiler.Code;

namespace Lookout.Expr;

/// <summary>
/// <c>a.Before(b)</c>, <c>a.After(b)</c> and <c>a.Equal(b)</c> where each side is a call of a function the host marked <see cref="GoFunction.ParsesRfc3339"/> (Argo CD's <c>time.Parse(x)</c>),
/// optionally <c>.Add(d)</c> a duration (the catalog's <c>on-deployed</c>): compared as instants, without the
/// time objects, bound methods and argument arrays the general path allocates. Whenever a value is not what the
/// shortcut reads (another <c>time</c>, a layout it does not read, a range it does not check), that evaluation
/// takes the general path, so results and errors are the general path's.
/// </summary>
internal static class TimeComparison
{
    /// <summary>A time read without allocating; false when this evaluation must take the general path.</summary>
    internal delegate bool TicksEval(Frame f, out long utcTicks);

    /// <summary>A duration read without allocating; false when this evaluation must take the general path.</summary>
    internal delegate bool NanosEval(Frame f, out long nanoseconds);

    public static Code? Call(CallNode n, Code code, Compiler compiler)
    {
        if (n.Builtin || n.Args.Count != 1 || n.Callee is not MemberNode { Optional: false, Property: LiteralNode { Value: "Before" or "After" or "Equal" } property } member)
        {
            return null;
        }

        if (TimeShape(member.Target, compiler) is not { } left || TimeShape(n.Args[0], compiler) is not { } right)
        {
            return null;
        }

        Eval generic = code.Run;
        Eval run = (string)property.Value! switch
        {
            "Before" => f => left(f, out long a) && right(f, out long b) ? Runtime.Box(a < b) : generic(f),
            "After" => f => left(f, out long a) && right(f, out long b) ? Runtime.Box(a > b) : generic(f),
            _ => f => left(f, out long a) && right(f, out long b) ? Runtime.Box(a == b) : generic(f),
        };
        return code with { Run = run };
    }

    private static TicksEval? TimeShape(Node node, Compiler compiler)
    {
        if (node is not CallNode { Builtin: false, Callee: MemberNode { Optional: false, Property: LiteralNode { Value: string method } } callee } call || call.Args.Count != 1)
        {
            return null;
        }

        if (method == "Parse" && IsFieldPath(callee) && IsFieldPath(call.Args[0]))
        {
            Eval fn = compiler.Compile(callee).Run;
            Eval text = compiler.Compile(call.Args[0]).Run;
            return (Frame f, out long t) =>
            {
                t = 0;
                return fn(f) is GoFunction { ParsesRfc3339: true } && text(f) is string s && GoTime.TryParseRfc3339Ticks(s, out t);
            };
        }

        if (method == "Add" && TimeShape(callee.Target, compiler) is { } start && DurationShape(call.Args[0], compiler) is { } add)
        {
            long min = DateTimeOffset.MinValue.UtcTicks + TimeSpan.TicksPerDay;
            long max = DateTimeOffset.MaxValue.UtcTicks - TimeSpan.TicksPerDay;
            return (Frame f, out long t) =>
            {
                t = 0;
                if (!start(f, out long from) || !add(f, out long ns))
                {
                    return false;
                }

                // Time.Add keeps 100 ns ticks, truncating as the general path does; near the ends of the range it decides.
                t = from + (ns / 100);
                return t >= min && t <= max;
            };
        }

        return null;
    }

    private static NanosEval? DurationShape(Node node, Compiler compiler)
    {
        if (node is BinaryNode { Op: "*" } times)
        {
            (Node? literal, Node other) = times.Left is LiteralNode { Value: long } ? (times.Left, times.Right) : (times.Right, times.Left);
            if (literal is LiteralNode { Value: long factor } && DurationShape(other, compiler) is { } d)
            {
                return (Frame f, out long ns) =>
                {
                    bool ok = d(f, out long v);
                    ns = unchecked(factor * v);
                    return ok;
                };
            }

            return null;
        }

        if (!IsFieldPath(node))
        {
            return null;
        }

        Eval run = compiler.Compile(node).Run;
        return (Frame f, out long ns) =>
        {
            if (run(f) is GoDuration d)
            {
                ns = d.Nanoseconds;
                return true;
            }

            ns = 0;
            return false;
        };
    }

    /// <summary>A name or a chain of constant-key field reads (<c>time.Minute</c>, <c>app.status.health.lastTransitionTime</c>).</summary>
    private static bool IsFieldPath(Node node) => node switch
    {
        IdentNode => true,
        MemberNode { Optional: false, Property: LiteralNode { Value: string }, Target: var target } => IsFieldPath(target),
        _ => false,
    };
}
