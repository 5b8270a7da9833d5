namespace Lookout.Expr;

/// <summary>
/// expr-lang's type rules (its <c>checker</c> package): what each kind of node accepts and the nature it produces.
/// The compiler asks these as it walks the tree, before it generates a node's code, so every rule is here and the
/// compiler holds none. In untyped mode (no environment) most natures are unknown and the checks pass, leaving the
/// run-time checks to decide, as in expr.
/// </summary>
internal sealed class Checker(string text, string source, IReadOnlyDictionary<string, object?>? typedEnv)
{
    public bool Typed => typedEnv is not null;

    public ExprException Error(string message, int pos) => new(message, source, text, pos);

    /// <summary>A name of the environment: its value's nature when typed (an unknown name is an error), else unknown.</summary>
    public Nature Name(IdentNode n)
    {
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

        return nature;
    }

    public Nature Member(MemberNode n, Nature target, Nature property)
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

    public void Slice(SliceNode n, Nature target, Nature? from, Nature? to)
    {
        if (target.IsUnknown)
        {
            return;
        }

        if (target.Kind is not (NatureKind.String or NatureKind.Array))
        {
            throw Error($"cannot slice {target}", n.Pos);
        }

        foreach (Nature? index in new[] { from, to })
        {
            if (index is not null && !index.IsUnknown && index.Kind != NatureKind.Int)
            {
                throw Error($"non-integer slice index {index}", n.Pos);
            }
        }
    }

    /// <summary>A call of a value: it must be a function (or unknown until run time).</summary>
    public void Call(CallNode n, Nature callee)
    {
        string name = n.Callee is MemberNode { Property: LiteralNode { Value: string m } } ? m : n.Name ?? "function";
        if (!callee.IsUnknown && callee.Kind != NatureKind.Func)
        {
            throw callee.Kind == NatureKind.Nil
                ? Error($"{name} is nil; cannot call nil as function", n.Pos)
                : Error($"{callee} is not callable", n.Pos);
        }
    }

    /// <summary>A builtin's arguments against its signature or validation; the result's nature.</summary>
    public Nature Builtin(CallNode n, Nature[] args)
    {
        try
        {
            return Builtins.Check(n.Name!, args);
        }
        catch (CheckError ex)
        {
            throw Error(ex.Message, n.Pos);
        }
    }

    /// <summary>A predicate builtin's collection: an array (or unknown until run time).</summary>
    public void PredicateCollection(CallNode n, Nature collection)
    {
        if (!collection.IsUnknown && collection.Kind != NatureKind.Array)
        {
            throw Error($"builtin {n.Name} takes only array (got {collection})", n.Args[0].Pos);
        }
    }

    /// <summary>A predicate builtin's closure (and <c>sortBy</c>'s order); the result's nature.</summary>
    public Nature Predicate(CallNode n, Nature collection, Nature body, Nature? third)
    {
        string name = n.Name!;
        if (Builtins.Get(name) is { PredicateReturnsBool: true } && !body.IsUnknown && body.Kind != NatureKind.Bool)
        {
            throw Error($"predicate should return boolean (got {body})", n.Args[1].Pos);
        }

        if (name == "sortBy" && third is not null && !third.IsUnknown && third.Kind != NatureKind.String)
        {
            throw Error($"sortBy order argument must be a string (got {third})", n.Args[2].Pos);
        }

        Nature elem = collection.Kind == NatureKind.Array ? collection.ElemOrUnknown : Nature.Unknown;
        return name switch
        {
            "all" or "none" or "any" or "one" => Nature.Bool,
            "filter" => Nature.ArrayOf(elem),
            "map" => Nature.ArrayOf(body),
            "count" or "findIndex" or "findLastIndex" => Nature.Int,
            "sum" => body,
            "find" or "findLast" => elem,
            "groupBy" => Nature.Unknown,
            "sortBy" => collection.IsUnknown ? Nature.Unknown : collection,
            _ => Nature.Unknown,
        };
    }

    /// <summary><c>!</c> and <c>not</c> take a bool, <c>-</c> and <c>+</c> a number; the result's nature.</summary>
    public Nature Unary(UnaryNode n, Nature t)
    {
        bool ok = n.Op is "!" or "not" ? t.IsUnknown || t.Kind == NatureKind.Bool : t.IsUnknown || t.IsNumber;
        return ok ? (t.IsUnknown && n.Op is not ("!" or "not") ? Nature.Unknown : t) : throw Error($"invalid operation: {n.Op} (mismatched type {t})", n.Pos);
    }

    public Nature Binary(BinaryNode n, Nature l, Nature r)
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

    /// <summary>The condition of <c>?:</c> or <c>if</c>: a bool (or unknown until run time).</summary>
    public void Condition(ConditionalNode n, Nature cond)
    {
        if (!cond.IsUnknown && cond.Kind != NatureKind.Bool)
        {
            throw Error($"non-bool expression (type {cond}) used as condition", n.Cond.Pos);
        }
    }

    /// <summary>The nature of <c>c ? a : b</c>: the branches' common nature, a branch that is not nil, or unknown.</summary>
    public static Nature Conditional(Nature t1, Nature t2) =>
        t1.Kind == NatureKind.Nil ? t2 : t2.Kind == NatureKind.Nil ? t1 : !t2.IsUnknown && t1.AssignableTo(t2) ? t1 : Nature.Unknown;

    /// <summary>An array literal: an array of its items' kind when they share one, else of unknown.</summary>
    public static Nature Array(Nature[] items)
    {
        Nature elem = items.Length == 0 ? Nature.Unknown : items[0];
        foreach (Nature item in items)
        {
            if (item.Kind != elem.Kind)
            {
                elem = Nature.Unknown;
                break;
            }
        }

        return Nature.ArrayOf(elem);
    }

    /// <summary><c>let</c> may not reuse a name of the environment, a builtin or a variable in scope.</summary>
    public void Let(LetNode n, bool isVariable)
    {
        if (typedEnv is not null && typedEnv.ContainsKey(n.Name))
        {
            throw Error($"cannot redeclare {n.Name}", n.Pos);
        }

        if (Builtins.IsBuiltin(n.Name))
        {
            throw Error($"cannot redeclare builtin {n.Name}", n.Pos);
        }

        if (isVariable)
        {
            throw Error($"cannot redeclare variable {n.Name}", n.Pos);
        }
    }
}
