using Lookout.Values;
using Code = Lookout.Expr.Compiler.Code;

namespace Lookout.Expr;

/// <summary>
/// The common trigger comparisons without the general equality: <c>x == nil</c>, <c>x != nil</c>,
/// <c>x == 'text'</c> (a string compared by reference first, as the object model shares short values), and
/// <c>x in ['a', 'b']</c> with a list of string literals (a set; up to four names compared one by one, cheaper
/// than hashing). A needle of another type fails or compares as the general path does.
/// </summary>
internal static class EqualityWithConstant
{
    public static Code? Binary(BinaryNode n, Code code, Code left, Code right, Compiler compiler)
    {
        if (code.IsConst)
        {
            return null;
        }

        if (n.Op == "in" && n.Right is ArrayNode { Items.Count: > 0 } array && array.Items.All(i => i is LiteralNode { Value: string }))
        {
            return new Code(code.Nature, compiler.At(n.Pos, InStrings(left.Run, array)));
        }

        // Both sides typed int (or string) compile to expr's OpEqualInt/OpEqualString, which insist on that type.
        bool typed = left.Nature.Kind == right.Nature.Kind && left.Nature.Kind is NatureKind.Int or NatureKind.String;
        if (n.Op is not ("==" or "!=") || typed || (left.IsConst && right.IsConst))
        {
            return null;
        }

        bool negate = n.Op == "!=";
        (Code value, Code constant) = right.IsConst ? (left, right) : left.IsConst ? (right, left) : (left, left);
        if (!constant.IsConst)
        {
            return null;
        }

        Eval run = value.Run;
        object yes = Runtime.Box(!negate);
        object no = Runtime.Box(negate);
        Eval? fast = constant.Value switch
        {
            null => f => run(f) is null ? yes : no,
            string literal when ObjectModel.PoolValue(literal) is var text => f => run(f) switch
            {
                string s => string.Equals(s, text, StringComparison.Ordinal) ? yes : no,
                var other => Runtime.Equal(other, text) ? yes : no,
            },
            _ => null,
        };
        return fast is null ? null : new Code(code.Nature, fast);
    }

    private static Eval InStrings(Eval needle, ArrayNode array)
    {
        var set = new HashSet<string>(array.Items.Select(i => (string)((LiteralNode)i).Value!), StringComparer.Ordinal);
        if (set.Count > 4)
        {
            return f => Runtime.Box(Runtime.In(needle(f), set));
        }

        string[] names = [.. set.Select(ObjectModel.PoolValue)];
        return f =>
        {
            switch (needle(f))
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
                    return Runtime.Box(Array.IndexOf(names, string.Empty) >= 0);
                case var other:
                    return Runtime.Box(Runtime.In(other, set));
            }
        };
    }
}
