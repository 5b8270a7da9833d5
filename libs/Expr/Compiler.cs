using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Lookout.Values;
using Lookout.Values.Argo;
using Lookout.Values.Time;

namespace Lookout.Expr;

/// <summary>A compiled node: run with a frame, returns a value of the object model.</summary>
internal delegate object? Eval(Frame frame);

/// <summary>The state of one evaluation: the environment, predicate and <c>let</c> slots, and the budgets.</summary>
internal sealed class Frame
{
    public object? Env;
    public object?[] Slots = [];
    public long Memory;
    public long MemoryBudget;
    public long Steps;
    public long StepBudget;
    public long TimeBudgetMs;

    /// <summary>The clock <c>now()</c> reads.</summary>
    public TimeProvider Time = TimeProvider.System;

    /// <summary>When the time budget runs out; zero until the first step starts the clock.</summary>
    public long Deadline;

    public void Grow(long size)
    {
        Memory += size;
        if (Memory >= MemoryBudget)
        {
            throw Runtime.Fail("memory budget exceeded");
        }
    }

    public void Step()
    {
        if (++Steps > StepBudget)
        {
            throw Runtime.Fail("evaluation budget exceeded");
        }

        // The clock starts at the first step (what comes before is bounded by the memory budget) and is read every
        // 4,096 steps, so a condition without predicates never reads it.
        if ((Steps & 4095) == 1)
        {
            long now = Environment.TickCount64;
            if (Deadline == 0)
            {
                Deadline = now + TimeBudgetMs;
            }
            else if (now >= Deadline)
            {
                throw Runtime.Fail("evaluation time budget exceeded");
            }
        }
    }
}

/// <summary>Checks an expression the way expr's checker does and compiles it to closures (no per-node interpretation).</summary>
internal sealed class Compiler
{
    /// <summary>Ends a member chain early: a nil before <c>?.</c>. Never leaves a <see cref="ChainNode"/>.</summary>
    internal static readonly object ChainNil = new();

    /// <summary>The root of a path that starts at a name of the environment.</summary>
    private static readonly Eval EnvRoot = f => f.Env;

    private static readonly object[] SmallInts = Enumerable.Range(0, 1024).Select(i => (object)(long)i).ToArray();

    private readonly string text;
    private readonly string source;
    private readonly IReadOnlyDictionary<string, object?>? typedEnv;
    private readonly List<(string Name, int Slot, Nature Nature)> variables = [];
    private readonly List<PredicateScope> predicates = [];
    private readonly Dictionary<Eval, int> slotReads = new(ReferenceEqualityComparer.Instance);
    private int depth;

    /// <summary>The deepest expression tree compiled; deeper trees are refused so evaluation cannot exhaust the stack.</summary>
    public const int MaxDepth = 1000;

    public Compiler(string text, string source, IReadOnlyDictionary<string, object?>? typedEnv)
    {
        this.text = text;
        this.source = source;
        this.typedEnv = typedEnv;
    }

    public int SlotCount { get; private set; }

    private sealed record PredicateScope(Nature Collection, int Item, int Index, int Acc, bool HasIndex, bool HasAcc)
    {
        /// <summary>Whether the body reads <c>#index</c> (otherwise the loop does not store it).</summary>
        public bool IndexUsed { get; set; }
    }

    /// <summary>A compiled node. <c>Literal</c>: a constant expr's own optimizer would have folded to a literal
    /// (it decides <c>x and true</c> → <c>x</c>); other constants are folded here only for speed.</summary>
    internal sealed record Code(Nature Nature, Eval Run, bool IsConst = false, object? Value = null, string[]? Path = null, Eval? Root = null, bool Literal = false);

    public static object BoxInt(long i) => i >= 0 && i < SmallInts.Length ? SmallInts[i] : i;

    public Code Compile(Node node)
    {
        if (++depth > MaxDepth)
        {
            throw Error("expression is nested too deeply", node.Pos);
        }

        try
        {
            return node switch
            {
                LiteralNode n => Const(Nature.Of(n.Value), n.Value is bool b ? Runtime.Box(b) : n.Value) with { Literal = true },
                IdentNode n => Ident(n),
                PointerNode n => Pointer(n),
                MemberNode n => Member(n),
                ChainNode n => Chain(n),
                SliceNode n => Slice(n),
                CallNode { Builtin: true } n when Parser.PredicateArity.ContainsKey(n.Name!) => Predicate(n),
                CallNode { Builtin: true } n => Builtin(n),
                CallNode n => Call(n),
                UnaryNode n => Unary(n),
                BinaryNode n => Binary(n),
                ConditionalNode n => Conditional(n),
                ArrayNode n => Array(n),
                MapNode n => Map(n),
                LetNode n => Let(n),
                SequenceNode n => Sequence(n),
                ClosureNode n => Compile(n.Body),
                _ => throw Error($"unexpected node {node.GetType().Name}", node.Pos),
            };
        }
        finally
        {
            depth--;
        }
    }

    private ExprException Error(string message, int pos) => new(message, source, text, pos);

    private static Code Const(Nature nature, object? value) => new(nature, _ => value, IsConst: true, Value: value);

    /// <summary>Turns a run-time failure inside <paramref name="run"/> into an error at <paramref name="pos"/>.</summary>
    private Eval At(int pos, Eval run) => f =>
    {
        try
        {
            return run(f);
        }
        catch (ExprRuntimeError ex)
        {
            throw Error(ex.Message, pos);
        }
        catch (GoFunctionException ex)
        {
            throw Error(ex.Message, pos);
        }
    };

    private Code Ident(IdentNode n)
    {
        for (int i = variables.Count - 1; i >= 0; i--)
        {
            if (variables[i].Name == n.Name)
            {
                return new Code(variables[i].Nature, SlotRead(variables[i].Slot));
            }
        }

        if (n.Name == "$env")
        {
            return new Code(typedEnv is null ? Nature.Unknown : Nature.Map, f => f.Env);
        }

        // A builtin's name is a function to the checker (its value is still looked up when the expression runs).
        Nature nature = Builtins.IsBuiltin(n.Name) ? Nature.Func : Nature.Unknown;
        if (typedEnv is not null)
        {
            if (typedEnv.TryGetValue(n.Name, out object? value))
            {
                nature = Nature.Of(value);
            }
            else if (Builtins.IsBuiltin(n.Name))
            {
                nature = Nature.Func;
            }
            else
            {
                throw Error($"unknown name {n.Name}", n.Pos);
            }
        }

        string name = ObjectModel.InternKey(n.Name);
        return new Code(nature, PathEval(EnvRoot, [name], n.Pos), Path: [name], Root: EnvRoot);
    }

    /// <summary>
    /// A run of constant-key field reads (<c>app.status.sync.status</c>) as one loop over maps. Each step keeps the
    /// position where its key was found last time: objects of one kind share a shape, so the next read is usually one
    /// comparison.
    /// </summary>
    private Eval PathEval(Eval root, string[] path, int pos)
    {
        int[] hints = new int[path.Length];

        // A name of the environment, a variable or a predicate's element: read the frame, without a call.
        bool fromEnv = ReferenceEquals(root, EnvRoot);
        int slot = slotReads.TryGetValue(root, out int s) ? s : -1;

        if (path.Length == 1)
        {
            string k0 = path[0];
            return f =>
            {
                object? cur = fromEnv ? f.Env : slot >= 0 ? f.Slots[slot] : root(f);
                if (cur is ObjectMap d)
                {
                    return d.TryGetField(k0, ref hints[0], out object? v) ? v : null;
                }

                return ReferenceEquals(cur, ChainNil) ? ChainNil : Slow(cur, k0, pos);
            };
        }

        return f =>
        {
            object? cur = fromEnv ? f.Env : slot >= 0 ? f.Slots[slot] : root(f);
            for (int i = 0; i < path.Length; i++)
            {
                if (cur is ObjectMap d)
                {
                    cur = d.TryGetField(path[i], ref hints[i], out object? v) ? v : null;
                }
                else if (ReferenceEquals(cur, ChainNil))
                {
                    return ChainNil;
                }
                else
                {
                    cur = Slow(cur, path[i], pos);
                }
            }

            return cur;
        };
    }

    private object? Slow(object? from, string key, int pos)
    {
        try
        {
            return Runtime.Fetch(from, key);
        }
        catch (ExprRuntimeError ex)
        {
            throw Error(ex.Message, pos);
        }
    }

    /// <summary>Reads a frame slot; <see cref="PathEval"/> recognizes these and reads the slot itself.</summary>
    private Eval SlotRead(int slot)
    {
        Eval read = f => f.Slots[slot];
        slotReads[read] = slot;
        return read;
    }

    private Code Pointer(PointerNode n)
    {
        if (predicates.Count == 0)
        {
            throw Error("cannot use pointer accessor outside predicate", n.Pos);
        }

        PredicateScope scope = predicates[^1];
        switch (n.Name)
        {
            case "":
                {
                    Nature nature = scope.Collection.Kind == NatureKind.Array ? scope.Collection.ElemOrUnknown : Nature.Unknown;
                    return new Code(nature, SlotRead(scope.Item));
                }

            case "index" when scope.HasIndex:
                scope.IndexUsed = true;
                return new Code(Nature.Int, SlotRead(scope.Index));

            case "acc" when scope.HasAcc:
                {
                    int slot = scope.Acc;
                    return new Code(Nature.Unknown, f => f.Slots[slot]);
                }

            default:
                throw Error($"unknown pointer #{n.Name}", n.Pos);
        }
    }

    private Code Member(MemberNode n)
    {
        Code target = Compile(n.Target);
        Code property = Compile(n.Property);
        Nature nature = MemberNature(n, target.Nature, property.Nature);
        if (!n.Optional && property.IsConst && property.Value is string constant)
        {
            string key = ObjectModel.InternKey(constant);
            Eval root = target.Root ?? target.Run;
            string[] path = target.Path is null ? [key] : [.. target.Path, key];
            return new Code(nature, PathEval(root, path, n.Pos), Path: path, Root: root);
        }

        Eval t = target.Run;
        Eval p = property.Run;
        bool optional = n.Optional;
        return new Code(nature, At(n.Pos, f =>
        {
            object? from = t(f);
            if (ReferenceEquals(from, ChainNil) || (optional && from is null))
            {
                return ChainNil;
            }

            return Runtime.Fetch(from, p(f));
        }));
    }

    private Nature MemberNature(MemberNode n, Nature target, Nature property)
    {
        if (target.IsUnknown)
        {
            return Nature.Unknown;
        }

        string? name = n.Property is LiteralNode { Value: string s } ? s : null;
        if (name is not null && target.Kind == NatureKind.Nil)
        {
            throw Error($"type nil has no field {name}", n.Pos);
        }

        if (name is not null && target.Kind is NatureKind.Time or NatureKind.Duration)
        {
            return Nature.Func;
        }

        switch (target.Kind)
        {
            case NatureKind.Map:
                if (!property.IsUnknown && property.Kind != NatureKind.String)
                {
                    throw Error($"cannot use {property} to get an element from {target}", n.Property.Pos);
                }

                return target.ElemOrUnknown;
            case NatureKind.Array:
                if (!property.IsUnknown && property.Kind != NatureKind.Int)
                {
                    throw Error($"array elements can only be selected using an integer (got {property})", n.Property.Pos);
                }

                return target.ElemOrUnknown;
            default:
                throw name is not null
                    ? Error($"type {target} has no field {name}", n.Pos)
                    : Error($"type {target}[{property}] is undefined", n.Pos);
        }
    }

    private Code Chain(ChainNode n)
    {
        Code inner = Compile(n.Inner);
        Eval run = inner.Run;
        return new Code(inner.Nature, f =>
        {
            object? v = run(f);
            return ReferenceEquals(v, ChainNil) ? null : v;
        });
    }

    private Code Slice(SliceNode n)
    {
        Code target = Compile(n.Target);
        Code? from = n.From is null ? null : Compile(n.From);
        Code? to = n.To is null ? null : Compile(n.To);
        if (!target.Nature.IsUnknown)
        {
            if (target.Nature.Kind is not (NatureKind.String or NatureKind.Array))
            {
                throw Error($"cannot slice {target.Nature}", n.Pos);
            }

            foreach (Code? index in new[] { from, to })
            {
                if (index is not null && !index.Nature.IsUnknown && index.Nature.Kind != NatureKind.Int)
                {
                    throw Error($"non-integer slice index {index.Nature}", n.Pos);
                }
            }
        }

        Eval t = target.Run;
        Eval? a = from?.Run;
        Eval? b = to?.Run;
        return new Code(target.Nature, At(n.Pos, f =>
        {
            object? value = t(f);
            if (ReferenceEquals(value, ChainNil))
            {
                return ChainNil;
            }

            object? x = a is null ? Runtime.Absent : a(f);
            object? y = b is null ? Runtime.Absent : b(f);
            object result = Runtime.Slice(value, x, y);
            if (result is List<object?> list)
            {
                f.Grow(list.Count);
            }

            return result;
        }));
    }

    private Code Call(CallNode n)
    {
        Code callee = Compile(n.Callee!);

        // expr does not check the arguments of a call it knows nothing about; a bad one fails only if it runs.
        var args = n.Args.Select(a => callee.Nature.IsUnknown ? CompileOrDefer(a) : Compile(a)).ToArray();
        string name = n.Callee is MemberNode { Property: LiteralNode { Value: string m } } ? m : n.Name ?? "function";
        if (!callee.Nature.IsUnknown && callee.Nature.Kind != NatureKind.Func)
        {
            throw callee.Nature.Kind == NatureKind.Nil
                ? Error($"{name} is nil; cannot call nil as function", n.Pos)
                : Error($"{callee.Nature} is not callable", n.Pos);
        }

        Eval fn = callee.Run;
        Eval[] argRuns = args.Select(a => a.Run).ToArray();
        Eval generic = At(n.Pos, f =>
        {
            object? target = fn(f);
            if (ReferenceEquals(target, ChainNil))
            {
                return ChainNil;
            }

            var values = new object?[argRuns.Length];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = argRuns[i](f);
            }

            return target switch
            {
                GoFunction g => g.Call(values),
                null => throw Runtime.Fail("invalid operation: cannot call nil"),
                _ => throw Runtime.Fail($"invalid operation: cannot call non-function of type {Runtime.GoType(target)}"),
            };
        });
        return new Code(Nature.Unknown, TimeComparison(n, generic) ?? generic);
    }

    /// <summary>A time read without allocating; false when this evaluation must take the general path.</summary>
    private delegate bool TicksEval(Frame f, out long utcTicks);

    /// <summary>A duration read without allocating; false when this evaluation must take the general path.</summary>
    private delegate bool NanosEval(Frame f, out long nanoseconds);

    /// <summary>
    /// <c>a.Before(b)</c>, <c>a.After(b)</c> and <c>a.Equal(b)</c> where each side is Argo CD's <c>time.Parse(x)</c>,
    /// optionally <c>.Add(d)</c> a duration (the catalog's <c>on-deployed</c>): compared as instants, without the
    /// time objects, bound methods and argument arrays the general path allocates. Whenever a value is not what the
    /// shortcut reads (another <c>time</c>, a layout it does not read, a range it does not check), that evaluation
    /// takes the general path, so results and errors are the general path's.
    /// </summary>
    private Eval? TimeComparison(CallNode n, Eval generic)
    {
        if (n.Builtin || n.Args.Count != 1 || n.Callee is not MemberNode { Optional: false, Property: LiteralNode { Value: "Before" or "After" or "Equal" } property } member)
        {
            return null;
        }

        if (TimeShape(member.Target) is not { } left || TimeShape(n.Args[0]) is not { } right)
        {
            return null;
        }

        return (string)property.Value! switch
        {
            "Before" => f => left(f, out long a) && right(f, out long b) ? Runtime.Box(a < b) : generic(f),
            "After" => f => left(f, out long a) && right(f, out long b) ? Runtime.Box(a > b) : generic(f),
            _ => f => left(f, out long a) && right(f, out long b) ? Runtime.Box(a == b) : generic(f),
        };
    }

    private TicksEval? TimeShape(Node node)
    {
        if (node is not CallNode { Builtin: false, Callee: MemberNode { Optional: false, Property: LiteralNode { Value: string method } } callee } call || call.Args.Count != 1)
        {
            return null;
        }

        if (method == "Parse" && IsFieldPath(callee) && IsFieldPath(call.Args[0]))
        {
            Eval fn = Compile(callee).Run;
            Eval text = Compile(call.Args[0]).Run;
            return (Frame f, out long t) =>
            {
                t = 0;
                return ReferenceEquals(fn(f), ArgoHelpers.TimeParse) && text(f) is string s && GoTime.TryParseRfc3339Ticks(s, out t);
            };
        }

        if (method == "Add" && TimeShape(callee.Target) is { } start && DurationShape(call.Args[0]) is { } add)
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

    private NanosEval? DurationShape(Node node)
    {
        if (node is BinaryNode { Op: "*" } times)
        {
            (Node? literal, Node other) = times.Left is LiteralNode { Value: long } ? (times.Left, times.Right) : (times.Right, times.Left);
            if (literal is LiteralNode { Value: long factor } && DurationShape(other) is { } d)
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

        Eval run = Compile(node).Run;
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

    private Code CompileOrDefer(Node node)
    {
        try
        {
            return Compile(node);
        }
        catch (ExprException ex)
        {
            return new Code(Nature.Unknown, _ => throw ex);
        }
    }

    private Code Builtin(CallNode n)
    {
        string name = n.Name!;
        var args = n.Args.Select(Compile).ToArray();
        Nature nature;
        try
        {
            nature = Builtins.Check(name, args.Select(a => a.Nature).ToArray());
        }
        catch (CheckError ex)
        {
            throw Error(ex.Message, n.Pos);
        }

        Eval[] runs = args.Select(a => a.Run).ToArray();
        if (runs.Length == 1 && name == "len")
        {
            Eval one = runs[0];
            return new Code(nature, At(n.Pos, f => BoxInt(Runtime.Len(one(f)))));
        }

        return new Code(nature, At(n.Pos, f =>
        {
            var values = new object?[runs.Length];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = runs[i](f);
            }

            object? result = Builtins.Call(name, values, f);
            return result is bool b ? Runtime.Box(b) : result;
        }));
    }

    private Code Predicate(CallNode n)
    {
        string name = n.Name!;
        Code collection = Compile(n.Args[0]);
        if (!collection.Nature.IsUnknown && collection.Nature.Kind != NatureKind.Array)
        {
            throw Error($"builtin {name} takes only array (got {collection.Nature})", n.Args[0].Pos);
        }

        if (n.Args.Count == 1)
        {
            return name == "count" ? Count(n, collection) : Sum(n, collection);
        }

        var scope = new PredicateScope(collection.Nature, SlotCount++, SlotCount++, SlotCount++, name is "map" or "reduce", name == "reduce");
        predicates.Add(scope);
        Code body;
        try
        {
            body = Compile(n.Args[1]);
        }
        finally
        {
            predicates.RemoveAt(predicates.Count - 1);
        }

        Code? third = n.Args.Count == 3 ? Compile(n.Args[2]) : null;
        if (name is "all" or "none" or "any" or "one" or "filter" or "count" or "find" or "findIndex" or "findLast" or "findLastIndex"
            && !body.Nature.IsUnknown && body.Nature.Kind != NatureKind.Bool)
        {
            throw Error($"predicate should return boolean (got {body.Nature})", n.Args[1].Pos);
        }

        if (name == "sortBy" && third is not null && !third.Nature.IsUnknown && third.Nature.Kind != NatureKind.String)
        {
            throw Error($"sortBy order argument must be a string (got {third.Nature})", n.Args[2].Pos);
        }

        Eval coll = collection.Run;
        Eval pred = body.Run;
        int item = scope.Item;
        int index = scope.Index;
        int acc = scope.Acc;
        Nature elem = collection.Nature.Kind == NatureKind.Array ? collection.Nature.ElemOrUnknown : Nature.Unknown;

        List<object?> Items(Frame f)
        {
            object? c = coll(f);
            return c switch
            {
                List<object?> list => list,

                // Go ranges over a string's bytes.
                string s => Runtime.ToGoBytes(s).Select(x => (object?)(long)x).ToList(),
                _ => throw Runtime.Fail($"cannot iterate over {Runtime.GoType(c)} in {name}"),
            };
        }

        bool storeIndex = scope.IndexUsed;
        object? Body(Frame f, List<object?> list, int i)
        {
            f.Step();
            f.Slots[item] = list[i];
            if (storeIndex)
            {
                f.Slots[index] = BoxInt(i);
            }

            return pred(f);
        }

        bool Test(Frame f, List<object?> list, int i) => Runtime.AsBool(Body(f, list, i), name);

        Eval run = name switch
        {
            "all" => f =>
            {
                var list = Items(f);
                for (int i = 0; i < list.Count; i++)
                {
                    if (!Test(f, list, i))
                    {
                        return Runtime.False;
                    }
                }

                return Runtime.True;
            }
            ,
            "none" => f =>
            {
                var list = Items(f);
                for (int i = 0; i < list.Count; i++)
                {
                    if (Test(f, list, i))
                    {
                        return Runtime.False;
                    }
                }

                return Runtime.True;
            }
            ,
            "any" => f =>
            {
                var list = Items(f);
                for (int i = 0; i < list.Count; i++)
                {
                    if (Test(f, list, i))
                    {
                        return Runtime.True;
                    }
                }

                return Runtime.False;
            }
            ,
            "one" => f =>
            {
                var list = Items(f);
                int count = 0;
                for (int i = 0; i < list.Count; i++)
                {
                    if (Test(f, list, i))
                    {
                        count++;
                    }
                }

                return Runtime.Box(count == 1);
            }
            ,
            "filter" => f =>
            {
                var list = Items(f);
                var result = new List<object?>();
                for (int i = 0; i < list.Count; i++)
                {
                    if (Test(f, list, i))
                    {
                        result.Add(list[i]);
                    }
                }

                f.Grow(result.Count);
                return result;
            }
            ,
            "map" => f =>
            {
                var list = Items(f);
                var result = new List<object?>(list.Count);
                for (int i = 0; i < list.Count; i++)
                {
                    result.Add(Body(f, list, i));
                }

                f.Grow(result.Count);
                return result;
            }
            ,
            "count" => f =>
            {
                var list = Items(f);
                long count = 0;
                for (int i = 0; i < list.Count; i++)
                {
                    if (Test(f, list, i))
                    {
                        count++;
                    }
                }

                return BoxInt(count);
            }
            ,
            "sum" => f =>
            {
                var list = Items(f);
                object total = 0L;
                for (int i = 0; i < list.Count; i++)
                {
                    total = Runtime.Add(Body(f, list, i), total);
                }

                return total;
            }
            ,
            "find" => f =>
            {
                var list = Items(f);
                for (int i = 0; i < list.Count; i++)
                {
                    if (Test(f, list, i))
                    {
                        return list[i];
                    }
                }

                return null;
            }
            ,
            "findIndex" => f =>
            {
                var list = Items(f);
                for (int i = 0; i < list.Count; i++)
                {
                    if (Test(f, list, i))
                    {
                        return BoxInt(i);
                    }
                }

                return null;
            }
            ,
            "findLast" => f =>
            {
                var list = Items(f);
                for (int i = list.Count - 1; i >= 0; i--)
                {
                    if (Test(f, list, i))
                    {
                        return list[i];
                    }
                }

                return null;
            }
            ,
            "findLastIndex" => f =>
            {
                var list = Items(f);
                for (int i = list.Count - 1; i >= 0; i--)
                {
                    if (Test(f, list, i))
                    {
                        return BoxInt(i);
                    }
                }

                return null;
            }
            ,
            "groupBy" => f =>
            {
                var list = Items(f);
                var groups = new Dictionary<object, object?>();
                for (int i = 0; i < list.Count; i++)
                {
                    object key = Runtime.NormalizeKey(Body(f, list, i));
                    if (!groups.TryGetValue(key, out object? group))
                    {
                        groups[key] = group = new List<object?>();
                    }

                    ((List<object?>)group!).Add(list[i]);
                }

                return groups;
            }
            ,
            "sortBy" => SortBy(Items, Body, third?.Run),
            "reduce" => Reduce(Items, pred, item, index, acc, third?.Run),
            _ => throw Error($"unknown builtin {name}", n.Pos),
        };

        Nature nature = name switch
        {
            "all" or "none" or "any" or "one" => Nature.Bool,
            "filter" => Nature.ArrayOf(elem),
            "map" => Nature.ArrayOf(body.Nature),
            "count" or "findIndex" or "findLastIndex" => Nature.Int,
            "sum" => body.Nature,
            "find" or "findLast" => elem,
            "groupBy" => Nature.Unknown,
            "sortBy" => collection.Nature.IsUnknown ? Nature.Unknown : collection.Nature,
            _ => Nature.Unknown,
        };
        return new Code(nature, At(n.Pos, run));
    }

    private static Eval SortBy(Func<Frame, List<object?>> items, Func<Frame, List<object?>, int, object?> body, Eval? order) => f =>
    {
        var list = items(f);
        bool desc = false;
        if (order is not null)
        {
            desc = order(f) switch
            {
                "asc" => false,
                "desc" => true,
                string other => throw Runtime.Fail($"unknown order {other}, use asc or desc"),
                var other => throw Runtime.Fail($"invalid order {Runtime.Format(other)}, expected asc or desc"),
            };
        }

        var keys = new List<object?>(list.Count);
        for (int i = 0; i < list.Count; i++)
        {
            keys.Add(body(f, list, i));
        }

        var result = new List<object?>(list);
        Builtins.StableSort(result, keys, (a, b) => desc ? Runtime.Less(b, a) : Runtime.Less(a, b));
        f.Grow(result.Count);
        return result;
    };

    private static Eval Reduce(Func<Frame, List<object?>> items, Eval pred, int item, int index, int acc, Eval? initial) => f =>
    {
        var list = items(f);
        int start = 0;
        if (initial is not null)
        {
            f.Slots[acc] = initial(f);
        }
        else
        {
            if (list.Count == 0)
            {
                throw Runtime.Fail("reduce of empty array with no initial value");
            }

            f.Slots[acc] = list[0];
            start = 1;
        }

        for (int i = start; i < list.Count; i++)
        {
            f.Step();
            f.Slots[item] = list[i];
            f.Slots[index] = BoxInt(i);
            f.Slots[acc] = pred(f);
        }

        return f.Slots[acc];
    };

    private Code Count(CallNode n, Code collection)
    {
        Eval coll = collection.Run;
        return new Code(Nature.Int, At(n.Pos, f =>
        {
            object? c = coll(f);
            var list = c as List<object?> ?? throw Runtime.Fail($"cannot iterate over {Runtime.GoType(c)} in count");
            long count = 0;
            foreach (object? x in list)
            {
                f.Step();
                if (Runtime.AsBool(x, "count"))
                {
                    count++;
                }
            }

            return BoxInt(count);
        }));
    }

    private Code Sum(CallNode n, Code collection)
    {
        Eval coll = collection.Run;
        Nature nature = collection.Nature.Kind == NatureKind.Array ? collection.Nature.ElemOrUnknown : Nature.Unknown;
        return new Code(nature, At(n.Pos, f =>
        {
            object? c = coll(f);
            var list = c as List<object?> ?? throw Runtime.Fail($"cannot iterate over {Runtime.GoType(c)} in sum");
            object total = 0L;
            foreach (object? x in list)
            {
                f.Step();
                total = Runtime.Add(x, total);
            }

            return total;
        }));
    }

    private Code Unary(UnaryNode n)
    {
        Code operand = Compile(n.Operand);
        Nature t = operand.Nature;
        Eval run = operand.Run;
        switch (n.Op)
        {
            case "!" or "not":
                if (!t.IsUnknown && t.Kind != NatureKind.Bool)
                {
                    throw Error($"invalid operation: {n.Op} (mismatched type {t})", n.Pos);
                }

                if (operand.IsConst && operand.Value is bool b)
                {
                    return Const(Nature.Bool, Runtime.Box(!b)) with { Literal = operand.Literal };
                }

                return new Code(Nature.Bool, At(n.Pos, f => Runtime.AsBool(run(f), n.Op) ? Runtime.False : Runtime.True));
            default:
                if (!t.IsUnknown && !t.IsNumber)
                {
                    throw Error($"invalid operation: {n.Op} (mismatched type {t})", n.Pos);
                }

                Eval eval = n.Op == "-" ? At(n.Pos, f => Runtime.Negate(run(f))) : At(n.Pos, f => Runtime.Plus(run(f)));
                Code folded = Fold(t.IsUnknown ? Nature.Unknown : t, eval, operand.IsConst);
                return folded with { Literal = folded.IsConst && operand.Literal && Runtime.IsNumber(folded.Value) };
        }
    }

    /// <summary>Evaluates a node whose operands are all constant at compile time, when that succeeds.</summary>
    private static Code Fold(Nature nature, Eval run, bool constant)
    {
        if (constant)
        {
            try
            {
                object? value = run(new Frame { MemoryBudget = long.MaxValue, StepBudget = long.MaxValue, Deadline = long.MaxValue });
                return Const(nature, value);
            }
            catch (ExprException)
            {
                // Left to fail at run time, where expr reports it too.
            }
        }

        return new Code(nature, run);
    }

    private Code Binary(BinaryNode n)
    {
        Code left = Compile(n.Left);
        Code right = n.Op == "in" && n.Right is ArrayNode { Items.Count: > 0 } array && array.Items.All(i => i is LiteralNode { Value: string })
            ? StringSet(array)
            : Compile(n.Right);
        Nature l = left.Nature;
        Nature r = right.Nature;
        Nature nature = BinaryNature(n, l, r);
        Code code = BinaryCode(n, nature, left, right);
        bool literalOperands = left.Literal && right.Literal;
        bool goFolds = n.Op switch
        {
            "+" or "-" or "*" or "/" or "%" or "**" or "^" => Runtime.IsNumber(left.Value) && Runtime.IsNumber(right.Value),
            "==" => (left.Value, right.Value) is (long, long) or (string, string) or (bool, bool),
            _ => false,
        };
        return literalOperands && goFolds && code.IsConst ? code with { Literal = true } : code;
    }

    private Code BinaryCode(BinaryNode n, Nature nature, Code left, Code right)
    {
        Eval a = left.Run;
        Eval b = right.Run;
        bool constant = left.IsConst && right.IsConst;
        switch (n.Op)
        {
            case "and" or "&&":
                if (left.Literal && left.Value is bool lb)
                {
                    return lb ? right with { Nature = nature } : Const(Nature.Bool, Runtime.False) with { Literal = true };
                }

                if (right.Literal && right.Value is bool rb)
                {
                    return rb ? left with { Nature = nature } : Const(Nature.Bool, Runtime.False) with { Literal = true };
                }

                return new Code(nature, At(n.Pos, f => Runtime.AsBool(a(f), n.Op) ? b(f) : Runtime.False));
            case "or" or "||":
                if (left.Literal && left.Value is bool lo)
                {
                    return lo ? Const(Nature.Bool, Runtime.True) with { Literal = true } : right with { Nature = nature };
                }

                if (right.Literal && right.Value is bool ro)
                {
                    return ro ? Const(Nature.Bool, Runtime.True) with { Literal = true } : left with { Nature = nature };
                }

                return new Code(nature, At(n.Pos, f => Runtime.AsBool(a(f), n.Op) ? Runtime.True : b(f)));
            case "??":
                return new Code(nature, f => a(f) ?? b(f));
            case "==" or "!=" when !constant && left.Nature.Kind == right.Nature.Kind && left.Nature.Kind is NatureKind.Int or NatureKind.String:
                {
                    // Both sides typed int (or string): expr compiles OpEqualInt/OpEqualString, which insist on that type.
                    bool negate = n.Op == "!=";
                    bool ints = left.Nature.Kind == NatureKind.Int;
                    return new Code(nature, At(n.Pos, f =>
                    {
                        object? x = a(f);
                        object? y = b(f);
                        bool equal = ints
                            ? AsTyped<long>(x, "int") == AsTyped<long>(y, "int")
                            : string.Equals(AsTyped<string>(x, "string"), AsTyped<string>(y, "string"), StringComparison.Ordinal);
                        return Runtime.Box(equal != negate);
                    }));
                }

            case "==" or "!=" when !constant && EqualityWithConstant(left, right, n.Op == "!=") is { } fast:
                return new Code(nature, fast);
            case "==":
                return Fold(nature, At(n.Pos, f => Runtime.Equal(a(f), b(f)) ? Runtime.True : Runtime.False), constant);
            case "!=":
                return Fold(nature, At(n.Pos, f => Runtime.Equal(a(f), b(f)) ? Runtime.False : Runtime.True), constant);
            case "in" when right.Value is HashSet<string> { Count: <= 4 } few:
                {
                    // A short list of names: comparing is cheaper than hashing; a needle of another type fails as expr's map lookup does.
                    string[] names = [.. few.Select(ObjectModel.PoolValue)];
                    return new Code(nature, At(n.Pos, f =>
                    {
                        switch (a(f))
                        {
                            case string s:
                                foreach (string name in names)
                                {
                                    if (string.Equals(s, name, StringComparison.Ordinal))
                                    {
                                        return Runtime.True;
                                    }
                                }

                                return Runtime.False;
                            case null:
                                return Runtime.Box(System.Array.IndexOf(names, string.Empty) >= 0);
                            case var other:
                                return Runtime.Box(Runtime.In(other, few));
                        }
                    }));
                }
            case "<":
                return Fold(nature, At(n.Pos, f => Runtime.Box(Runtime.Less(a(f), b(f)))), constant);
            case ">":
                return Fold(nature, At(n.Pos, f => Runtime.Box(Runtime.More(a(f), b(f)))), constant);
            case "<=":
                return Fold(nature, At(n.Pos, f => Runtime.Box(Runtime.LessOrEqual(a(f), b(f)))), constant);
            case ">=":
                return Fold(nature, At(n.Pos, f => Runtime.Box(Runtime.MoreOrEqual(a(f), b(f)))), constant);
            case "+":
                return Fold(nature, At(n.Pos, f => Runtime.Add(a(f), b(f))), constant);
            case "-":
                return Fold(nature, At(n.Pos, f => Runtime.Subtract(a(f), b(f))), constant);
            case "*":
                return Fold(nature, At(n.Pos, f => Runtime.Multiply(a(f), b(f))), constant);
            case "/":
                return Fold(nature, At(n.Pos, f => Runtime.Divide(a(f), b(f))), constant);
            case "%":
                return Fold(nature, At(n.Pos, f => Runtime.Modulo(a(f), b(f))), constant);
            case "**" or "^":
                return Fold(nature, At(n.Pos, f => Runtime.Exponent(a(f), b(f))), constant);
            case "in":
                return new Code(nature, At(n.Pos, f => Runtime.Box(Runtime.In(a(f), b(f)))));
            case "contains" or "startsWith" or "endsWith":
                {
                    Func<string, string, bool> op = n.Op switch
                    {
                        "contains" => (x, y) => x.Contains(y, StringComparison.Ordinal),
                        "startsWith" => (x, y) => x.StartsWith(y, StringComparison.Ordinal),
                        _ => (x, y) => x.EndsWith(y, StringComparison.Ordinal),
                    };
                    return Fold(nature, At(n.Pos, f =>
                    {
                        object? x = a(f);
                        object? y = b(f);
                        return x is null || y is null ? Runtime.False : Runtime.Box(op(Text(x), Text(y)));
                    }), constant);
                }

            case "matches":
                return Matches(n, nature, left, right);
            case "..":
                return new Code(nature, At(n.Pos, f =>
                {
                    long from = Runtime.ToInt(a(f));
                    long to = Runtime.ToInt(b(f));
                    long size = Math.Max(0, to - from + 1);
                    f.Grow(size);
                    var list = new List<object?>((int)size);
                    for (long i = from; i <= to; i++)
                    {
                        list.Add(BoxInt(i));
                    }

                    return list;
                }));
            default:
                throw Error($"unknown operator ({n.Op})", n.Pos);
        }
    }

    private static T AsTyped<T>(object? v, string type) =>
        v is T t ? t : throw Runtime.Fail($"interface conversion: interface {{}} is {Runtime.GoType(v)}, not {type}");

    private static string Text(object? v) =>
        v as string ?? throw Runtime.Fail($"interface conversion: interface {{}} is {Runtime.GoType(v)}, not string");

    /// <summary><c>x == nil</c>, <c>x != nil</c>, <c>x == 'text'</c>: the common trigger comparisons without the general equality.</summary>
    private static Eval? EqualityWithConstant(Code left, Code right, bool negate)
    {
        (Code value, Code constant) = right.IsConst ? (left, right) : left.IsConst ? (right, left) : (left, left);
        if (!constant.IsConst)
        {
            return null;
        }

        Eval run = value.Run;
        object yes = Runtime.Box(!negate);
        object no = Runtime.Box(negate);
        return constant.Value switch
        {
            null => f => run(f) is null ? yes : no,
            string literal when ObjectModel.PoolValue(literal) is var text => f => run(f) switch
            {
                string s => string.Equals(s, text, StringComparison.Ordinal) ? yes : no,
                var other => Runtime.Equal(other, text) ? yes : no,
            },
            _ => null,
        };
    }

    private static Code StringSet(ArrayNode array)
    {
        var set = new HashSet<string>(array.Items.Select(i => (string)((LiteralNode)i).Value!), StringComparer.Ordinal);
        return new Code(Nature.StringArray, _ => set, IsConst: true, Value: set);
    }

    private Code Matches(BinaryNode n, Nature nature, Code left, Code right)
    {
        Eval a = left.Run;
        if (right.IsConst && right.Value is string pattern)
        {
            Regex regex;
            try
            {
                regex = GoRegex.Compile(pattern);
            }
            catch (GoFunctionException ex)
            {
                throw Error(ex.Message, n.Pos);
            }

            return new Code(nature, At(n.Pos, f => a(f) switch
            {
                null => Runtime.False,
                var x => Runtime.Box(GoRegex.IsMatch(regex, Text(x))),
            }));
        }

        Eval b = right.Run;
        return new Code(nature, At(n.Pos, f =>
        {
            object? x = a(f);
            object? y = b(f);
            return x is null || y is null ? Runtime.False : Runtime.Box(GoRegex.IsMatch(GoRegex.Compile(Text(y)), Text(x)));
        }));
    }

    private Nature BinaryNature(BinaryNode n, Nature l, Nature r)
    {
        const NatureKind Int = NatureKind.Int, Float = NatureKind.Float, Str = NatureKind.String, Time = NatureKind.Time, Dur = NatureKind.Duration;
        switch (n.Op)
        {
            case "==" or "!=":
                if (l.ComparableTo(r))
                {
                    return Nature.Bool;
                }

                break;
            case "or" or "||" or "and" or "&&":
                if ((l.Kind == NatureKind.Bool && r.Kind == NatureKind.Bool) || l.MaybeCompatible(r, NatureKind.Bool))
                {
                    return Nature.Bool;
                }

                break;
            case "<" or ">" or ">=" or "<=":
                if ((l.IsNumber && r.IsNumber) || (l.Kind == r.Kind && l.Kind is Str or Time or Dur) || l.MaybeCompatible(r, Int, Float, Str, Time, Dur))
                {
                    return Nature.Bool;
                }

                break;
            case "-":
                if (l.IsNumber && r.IsNumber)
                {
                    return Promote(l, r);
                }

                if (l.Kind == Time && r.Kind == Time)
                {
                    return Nature.Duration;
                }

                if (l.Kind == Time && r.Kind == Dur)
                {
                    return Nature.Time;
                }

                if (l.Kind == Dur && r.Kind == Dur)
                {
                    return Nature.Duration;
                }

                if (l.MaybeCompatible(r, Int, Float, Time, Dur))
                {
                    return Nature.Unknown;
                }

                break;
            case "*":
                if (l.IsNumber && r.IsNumber)
                {
                    return Promote(l, r);
                }

                if ((l.IsNumber && r.Kind == Dur) || (l.Kind == Dur && (r.IsNumber || r.Kind == Dur)))
                {
                    return Nature.Duration;
                }

                if (l.MaybeCompatible(r, Int, Float, Dur))
                {
                    return Nature.Unknown;
                }

                break;
            case "/" or "**" or "^":
                if ((l.IsNumber && r.IsNumber) || l.MaybeCompatible(r, Int, Float))
                {
                    return Nature.Float;
                }

                break;
            case "%":
                if ((l.Kind == Int && r.Kind == Int) || l.MaybeCompatible(r, Int))
                {
                    return Nature.Int;
                }

                break;
            case "+":
                if (l.IsNumber && r.IsNumber)
                {
                    return Promote(l, r);
                }

                if (l.Kind == Str && r.Kind == Str)
                {
                    return Nature.String;
                }

                if ((l.Kind == Time && r.Kind == Dur) || (l.Kind == Dur && r.Kind == Time))
                {
                    return Nature.Time;
                }

                if (l.Kind == Dur && r.Kind == Dur)
                {
                    return Nature.Duration;
                }

                if (l.MaybeCompatible(r, Int, Float, Str, Time, Dur))
                {
                    return Nature.Unknown;
                }

                break;
            case "in":
                if (r.Kind == NatureKind.Map)
                {
                    if (!l.IsUnknown && !l.AssignableTo(Nature.String))
                    {
                        throw Error($"cannot use {l} as type string in map key", n.Pos);
                    }

                    return Nature.Bool;
                }

                if (r.Kind == NatureKind.Array)
                {
                    if (!l.ComparableTo(r.ElemOrUnknown))
                    {
                        throw Error($"cannot use {l} as type {r.ElemOrUnknown} in array", n.Pos);
                    }

                    return Nature.Bool;
                }

                if ((l.IsUnknown && r.Kind is Str) || r.IsUnknown)
                {
                    return Nature.Bool;
                }

                break;
            case "matches" or "contains" or "startsWith" or "endsWith":
                if ((l.Kind == Str && r.Kind == Str) || l.MaybeCompatible(r, Str))
                {
                    return Nature.Bool;
                }

                break;
            case "..":
                if ((l.Kind == Int && r.Kind == Int) || l.MaybeCompatible(r, Int))
                {
                    return Nature.IntArray;
                }

                break;
            case "??":
                if (l.Kind == NatureKind.Nil)
                {
                    return r;
                }

                if (r.Kind == NatureKind.Nil)
                {
                    return l;
                }

                return r.AssignableTo(l) ? l : Nature.Unknown;
            default:
                throw Error($"unknown operator ({n.Op})", n.Pos);
        }

        throw Error($"invalid operation: {n.Op} (mismatched types {l} and {r})", n.Pos);
    }

    private static Nature Promote(Nature l, Nature r) => l.Kind == NatureKind.Float || r.Kind == NatureKind.Float ? Nature.Float : Nature.Int;

    private Code Conditional(ConditionalNode n)
    {
        Code cond = Compile(n.Cond);
        if (!cond.Nature.IsUnknown && cond.Nature.Kind != NatureKind.Bool)
        {
            throw Error($"non-bool expression (type {cond.Nature}) used as condition", n.Cond.Pos);
        }

        Code then = Compile(n.Then);
        Code @else = Compile(n.Else);
        Nature t1 = then.Nature;
        Nature t2 = @else.Nature;
        Nature nature = t1.Kind == NatureKind.Nil ? t2 : t2.Kind == NatureKind.Nil ? t1 : !t2.IsUnknown && t1.AssignableTo(t2) ? t1 : Nature.Unknown;
        if (cond.IsConst && cond.Value is bool c)
        {
            return c ? then : @else;
        }

        Eval test = cond.Run;
        Eval a = then.Run;
        Eval b = @else.Run;
        return new Code(nature, At(n.Pos, f => Runtime.AsBool(test(f), "?:") ? a(f) : b(f)));
    }

    private Code Array(ArrayNode n)
    {
        var items = n.Items.Select(Compile).ToArray();
        Nature elem = items.Length == 0 ? Nature.Unknown : items[0].Nature;
        foreach (Code item in items)
        {
            if (item.Nature.Kind != elem.Kind)
            {
                elem = Nature.Unknown;
                break;
            }
        }

        Nature nature = Nature.ArrayOf(elem);
        if (items.All(i => i.IsConst))
        {
            var list = items.Select(i => i.Value).ToList();
            return new Code(nature, f =>
            {
                f.Grow(list.Count);
                return list;
            });
        }

        Eval[] runs = items.Select(i => i.Run).ToArray();
        return new Code(nature, f =>
        {
            var list = new List<object?>(runs.Length);
            foreach (Eval run in runs)
            {
                list.Add(run(f));
            }

            f.Grow(list.Count);
            return list;
        });
    }

    private Code Map(MapNode n)
    {
        var pairs = n.Pairs.Select(p => (Key: Compile(p.Key), Value: Compile(p.Value))).ToArray();
        return new Code(Nature.Map, At(n.Pos, f =>
        {
            var map = new ObjectMap(pairs.Length);
            foreach (var (key, value) in pairs)
            {
                object? k = key.Run(f);
                map[k as string ?? throw Runtime.Fail($"interface conversion: interface {{}} is {Runtime.GoType(k)}, not string")] = value.Run(f);
            }

            f.Grow(map.Count);
            return map;
        }));
    }

    private Code Let(LetNode n)
    {
        if (typedEnv is not null && typedEnv.ContainsKey(n.Name))
        {
            throw Error($"cannot redeclare {n.Name}", n.Pos);
        }

        if (Builtins.IsBuiltin(n.Name))
        {
            throw Error($"cannot redeclare builtin {n.Name}", n.Pos);
        }

        if (variables.Any(v => v.Name == n.Name))
        {
            throw Error($"cannot redeclare variable {n.Name}", n.Pos);
        }

        Code value = Compile(n.Value);
        int slot = SlotCount++;
        variables.Add((n.Name, slot, value.Nature));
        Code body;
        try
        {
            body = Compile(n.Body);
        }
        finally
        {
            variables.RemoveAt(variables.Count - 1);
        }

        Eval v = value.Run;
        Eval run = body.Run;
        return new Code(body.Nature, f =>
        {
            f.Slots[slot] = v(f);
            return run(f);
        });
    }

    private Code Sequence(SequenceNode n)
    {
        var items = n.Items.Select(Compile).ToArray();
        Eval[] runs = items.Select(i => i.Run).ToArray();
        return new Code(items[^1].Nature, f =>
        {
            object? last = null;
            foreach (Eval run in runs)
            {
                last = run(f);
            }

            return last;
        });
    }
}
