namespace Lookout.Expr;

// The loops of the predicate builtins (all, any, filter, map, sortBy, reduce, …): a collection, and a closure run per
// element with #, #index and #acc in frame slots.
internal sealed partial class Compiler
{
    private Code Predicate(CallNode n)
    {
        string name = n.Name!;
        Code collection = Compile(n.Args[0]);
        checker.PredicateCollection(n, collection.Nature);

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
        Nature nature = checker.Predicate(n, collection.Nature, body.Nature, third?.Nature);

        Eval coll = collection.Run;
        Eval pred = body.Run;
        int item = scope.Item;
        int index = scope.Index;
        int acc = scope.Acc;

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
}
