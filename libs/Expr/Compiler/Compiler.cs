using Lookout.Values;

namespace Lookout.Expr;

/// <summary>
/// Compiles a checked syntax tree to closures (no per-node interpretation): one walk that asks <see cref="Checker"/>
/// for each node's nature (and its type errors) before generating the node's code, then hands the code to the
/// <see cref="Optimizer"/>. The predicate builtins' loops are in Predicates.cs.
/// </summary>
internal sealed partial class Compiler
{
    /// <summary>Ends a member chain early: a nil before <c>?.</c>. Never leaves a <see cref="ChainNode"/>.</summary>
    internal static readonly object ChainNil = new();

    /// <summary>The root of a path that starts at a name of the environment.</summary>
    private static readonly Eval EnvRoot = f => f.Env;

    private static readonly object[] SmallInts = Enumerable.Range(0, 1024).Select(i => (object)(long)i).ToArray();

    private readonly string text;
    private readonly string source;
    private readonly IReadOnlyDictionary<string, object?>? typedEnv;
    private readonly Checker checker;
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
        checker = new Checker(text, source, typedEnv);
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
                CallNode { Builtin: true } n when Builtins.Get(n.Name!) is { Predicate: true } => Predicate(n),
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

    internal static Code Const(Nature nature, object? value) => new(nature, _ => value, IsConst: true, Value: value);

    /// <summary>Turns a run-time failure inside <paramref name="run"/> into an error at <paramref name="pos"/>.</summary>
    internal Eval At(int pos, Eval run) => f =>
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
        catch (EvaluationLimitException ex)
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

        Nature nature = checker.Name(n);

        string name = ObjectModel.InternKey(n.Name);
        return new Code(nature, PathEval(EnvRoot, [name], n.Pos), Path: [name], Root: EnvRoot);
    }

    /// <summary>
    /// A run of constant-key field reads (<c>app.status.sync.status</c>) as one loop over maps. Each step keeps the
    /// position where its key was found last time: objects of one kind share a shape, so the next read is usually one
    /// comparison.
    /// </summary>
    /// <remarks>
    /// The hints are shared by every thread running the program, written without locks. That is safe because a hint is
    /// only ever a guess: an int write is atomic, a read of any stale or racing value is checked against the key at
    /// that position (<see cref="ObjectMap.TryGetField"/>), and a wrong guess costs a
    /// lookup, never a wrong answer.
    /// </remarks>
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
        Nature nature = checker.Member(n, target.Nature, property.Nature);
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
        checker.Slice(n, target.Nature, from?.Nature, to?.Nature);

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
        checker.Call(n, callee.Nature);

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
        return Optimizer.Call(n, new Code(Nature.Unknown, generic), this);
    }

    private Code CompileOrDefer(Node node)
    {
        try
        {
            return Compile(node);
        }
        catch (ExprException ex)
        {
            // expr reports it only if the call runs; a fresh exception per throw, as one program runs on many threads.
            return new Code(Nature.Unknown, _ => throw ex.Again());
        }
    }

    private Code Builtin(CallNode n)
    {
        string name = n.Name!;
        var args = n.Args.Select(Compile).ToArray();
        Nature nature = checker.Builtin(n, [.. args.Select(a => a.Nature)]);
        Func<object?[], Frame, object?> func = Builtins.Get(name)!.Func!;
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

            object? result = func(values, f);
            return result is bool b ? Runtime.Box(b) : result;
        }));
    }

    private Code Unary(UnaryNode n)
    {
        Code operand = Compile(n.Operand);
        Nature t = checker.Unary(n, operand.Nature);
        Eval run = operand.Run;
        Code code = n.Op switch
        {
            "!" or "not" => new Code(Nature.Bool, At(n.Pos, f => Runtime.AsBool(run(f), n.Op) ? Runtime.False : Runtime.True)),
            "-" => new Code(t, At(n.Pos, f => Runtime.Negate(run(f)))),
            _ => new Code(t, At(n.Pos, f => Runtime.Plus(run(f)))),
        };
        return Optimizer.Unary(n, code, operand);
    }

    private Code Binary(BinaryNode n)
    {
        Code left = Compile(n.Left);
        Code right = Compile(n.Right);
        Nature nature = checker.Binary(n, left.Nature, right.Nature);
        return Optimizer.Binary(n, BinaryCode(n, nature, left, right), left, right, this);
    }

    private Code BinaryCode(BinaryNode n, Nature nature, Code left, Code right)
    {
        Eval a = left.Run;
        Eval b = right.Run;
        bool constant = left.IsConst && right.IsConst;
        switch (n.Op)
        {
            case "and" or "&&":
                return new Code(nature, At(n.Pos, f => Runtime.AsBool(a(f), n.Op) ? b(f) : Runtime.False));
            case "or" or "||":
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

            case "==":
                return new Code(nature, At(n.Pos, f => Runtime.Equal(a(f), b(f)) ? Runtime.True : Runtime.False));
            case "!=":
                return new Code(nature, At(n.Pos, f => Runtime.Equal(a(f), b(f)) ? Runtime.False : Runtime.True));
            case "<":
                return new Code(nature, At(n.Pos, f => Runtime.Box(Runtime.Less(a(f), b(f)))));
            case ">":
                return new Code(nature, At(n.Pos, f => Runtime.Box(Runtime.More(a(f), b(f)))));
            case "<=":
                return new Code(nature, At(n.Pos, f => Runtime.Box(Runtime.LessOrEqual(a(f), b(f)))));
            case ">=":
                return new Code(nature, At(n.Pos, f => Runtime.Box(Runtime.MoreOrEqual(a(f), b(f)))));
            case "+":
                return new Code(nature, At(n.Pos, f => Runtime.Add(a(f), b(f))));
            case "-":
                return new Code(nature, At(n.Pos, f => Runtime.Subtract(a(f), b(f))));
            case "*":
                return new Code(nature, At(n.Pos, f => Runtime.Multiply(a(f), b(f))));
            case "/":
                return new Code(nature, At(n.Pos, f => Runtime.Divide(a(f), b(f))));
            case "%":
                return new Code(nature, At(n.Pos, f => Runtime.Modulo(a(f), b(f))));
            case "**" or "^":
                return new Code(nature, At(n.Pos, f => Runtime.Exponent(a(f), b(f))));
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
                    return new Code(nature, At(n.Pos, f =>
                    {
                        object? x = a(f);
                        object? y = b(f);
                        return x is null || y is null ? Runtime.False : Runtime.Box(op(Text(x), Text(y)));
                    }));
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

    private Code Matches(BinaryNode n, Nature nature, Code left, Code right)
    {
        Eval a = left.Run;
        if (right.IsConst && right.Value is string pattern)
        {
            GoRegex regex;
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
                var x => Runtime.Box(regex.IsMatch(Text(x))),
            }));
        }

        Eval b = right.Run;
        return new Code(nature, At(n.Pos, f =>
        {
            object? x = a(f);
            object? y = b(f);
            return x is null || y is null ? Runtime.False : Runtime.Box(GoRegex.Compile(Text(y)).IsMatch(Text(x)));
        }));
    }

    private Code Conditional(ConditionalNode n)
    {
        Code cond = Compile(n.Cond);
        checker.Condition(n, cond.Nature);
        Code then = Compile(n.Then);
        Code @else = Compile(n.Else);
        Nature nature = Checker.Conditional(then.Nature, @else.Nature);
        Eval test = cond.Run;
        Eval a = then.Run;
        Eval b = @else.Run;
        return Optimizer.Conditional(new Code(nature, At(n.Pos, f => Runtime.AsBool(test(f), "?:") ? a(f) : b(f))), cond, then, @else);
    }

    private Code Array(ArrayNode n)
    {
        var items = n.Items.Select(Compile).ToArray();
        Nature nature = Checker.Array([.. items.Select(i => i.Nature)]);
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
        checker.Let(n, variables.Any(v => v.Name == n.Name));

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
