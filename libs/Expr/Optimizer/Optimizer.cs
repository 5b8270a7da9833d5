namespace Lookout.Expr;

/// <summary>
/// The rewrites applied to a node's code after the compiler generates its general form (expr-lang's
/// <c>optimizer</c> package), in this order, each in its own file:
/// <list type="number">
/// <item><see cref="ConstantFolding"/>: operators on constants become constants; <c>x and true</c>, <c>!true</c>
/// and <c>true ? a : b</c> become what expr's optimizer makes of them (which decides some errors, so it is semantics).</item>
/// <item><see cref="EqualityWithConstant"/>: <c>x == nil</c>, <c>x == 'text'</c> and <c>x in ['a', 'b']</c>
/// without the general equality.</item>
/// <item><see cref="TimeComparison"/>: <c>time.Parse(a).Before(time.Parse(b))</c> compared as instants.</item>
/// </list>
/// A rewrite returns null when it does not apply; it never changes a result or an error, only how it is computed
/// (except the folds expr's own optimizer makes, which the conformance cases pin).
/// </summary>
internal static class Optimizer
{
    public static Compiler.Code Unary(UnaryNode n, Compiler.Code code, Compiler.Code operand) =>
        ConstantFolding.Unary(n, code, operand) ?? code;

    public static Compiler.Code Binary(BinaryNode n, Compiler.Code code, Compiler.Code left, Compiler.Code right, Compiler compiler) =>
        ConstantFolding.Binary(n, code, left, right)
        ?? EqualityWithConstant.Binary(n, code, left, right, compiler)
        ?? code;

    public static Compiler.Code Conditional(Compiler.Code code, Compiler.Code cond, Compiler.Code then, Compiler.Code @else) =>
        ConstantFolding.Conditional(cond, then, @else) ?? code;

    public static Compiler.Code Call(CallNode n, Compiler.Code code, Compiler compiler) =>
        TimeComparison.Call(n, code, compiler) ?? code;
}
