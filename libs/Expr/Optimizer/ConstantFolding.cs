using Code = Lookout.Expr.Compiler.Code;

namespace Lookout.Expr;

/// <summary>
/// Operators whose operands are constants are evaluated once, at compile time. <see cref="Code.Literal"/> marks the
/// constants expr's own optimizer folds to literals (numbers under arithmetic, <c>==</c> of ints, strings or bools,
/// <c>!</c> of a literal bool); only those take part in the boolean shortcuts (<c>x and true</c> is <c>x</c>, not a
/// bool check of <c>x</c>), as in expr. A fold that fails is left to fail at run time, where expr reports it too.
/// </summary>
internal static class ConstantFolding
{
    public static Code? Unary(UnaryNode n, Code code, Code operand)
    {
        if (n.Op is "!" or "not")
        {
            return operand.IsConst && operand.Value is bool b ? Compiler.Const(Nature.Bool, Runtime.Box(!b)) with { Literal = operand.Literal } : null;
        }

        Code folded = Fold(code, operand.IsConst);
        return folded with { Literal = folded.IsConst && operand.Literal && Runtime.IsNumber(folded.Value) };
    }

    public static Code? Binary(BinaryNode n, Code code, Code left, Code right)
    {
        switch (n.Op)
        {
            case "and" or "&&":
                if (left.Literal && left.Value is bool lb)
                {
                    return lb ? right with { Nature = code.Nature } : Compiler.Const(Nature.Bool, Runtime.False) with { Literal = true };
                }

                return right.Literal && right.Value is bool rb
                    ? rb ? left with { Nature = code.Nature } : Compiler.Const(Nature.Bool, Runtime.False) with { Literal = true }
                    : null;
            case "or" or "||":
                if (left.Literal && left.Value is bool lo)
                {
                    return lo ? Compiler.Const(Nature.Bool, Runtime.True) with { Literal = true } : right with { Nature = code.Nature };
                }

                return right.Literal && right.Value is bool ro
                    ? ro ? Compiler.Const(Nature.Bool, Runtime.True) with { Literal = true } : left with { Nature = code.Nature }
                    : null;
            case "==" or "!=" or "<" or ">" or "<=" or ">=" or "+" or "-" or "*" or "/" or "%" or "**" or "^" or "contains" or "startsWith" or "endsWith":
                {
                    Code folded = Fold(code, left.IsConst && right.IsConst);
                    bool goFolds = n.Op switch
                    {
                        "+" or "-" or "*" or "/" or "%" or "**" or "^" => Runtime.IsNumber(left.Value) && Runtime.IsNumber(right.Value),
                        "==" => (left.Value, right.Value) is (long, long) or (string, string) or (bool, bool),
                        _ => false,
                    };
                    return left.Literal && right.Literal && goFolds && folded.IsConst ? folded with { Literal = true } : folded.IsConst ? folded : null;
                }

            default:
                return null;
        }
    }

    /// <summary><c>c ? a : b</c> with a constant condition is the branch it picks.</summary>
    public static Code? Conditional(Code cond, Code then, Code @else) =>
        cond.IsConst && cond.Value is bool c ? (c ? then : @else) : null;

    private static Code Fold(Code code, bool constant)
    {
        if (constant)
        {
            try
            {
                object? value = code.Run(new Frame { MemoryBudget = long.MaxValue, StepBudget = long.MaxValue, Deadline = long.MaxValue });
                return Compiler.Const(code.Nature, value);
            }
            catch (ExprException)
            {
                // Left to fail at run time, where expr reports it too.
            }
        }

        return code;
    }
}
