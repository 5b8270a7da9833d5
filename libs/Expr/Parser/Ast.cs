namespace Lookout.Expr;

// The syntax tree the parser builds and the compiler walks (expr-lang's ast package). Pos is the node's offset in the text.

internal abstract record Node(int Pos);

internal sealed record LiteralNode(int Pos, object? Value) : Node(Pos);

internal sealed record IdentNode(int Pos, string Name) : Node(Pos);

/// <summary><c>#</c> (Name ""), <c>#index</c> (Name "index") or <c>#acc</c> (Name "acc") inside a predicate.</summary>
internal sealed record PointerNode(int Pos, string Name) : Node(Pos);

internal sealed record MemberNode(int Pos, Node Target, Node Property, bool Optional) : Node(Pos);

/// <summary>A member chain that contains <c>?.</c>: a nil before <c>?.</c> ends the whole chain with nil.</summary>
internal sealed record ChainNode(int Pos, Node Inner) : Node(Pos);

internal sealed record SliceNode(int Pos, Node Target, Node? From, Node? To) : Node(Pos);

/// <summary>A call of a builtin by name (Builtin true) or of a callee value (a function in the environment, a method).</summary>
internal sealed record CallNode(int Pos, string? Name, Node? Callee, List<Node> Args, bool Builtin) : Node(Pos);

internal sealed record ClosureNode(int Pos, Node Body) : Node(Pos);

internal sealed record UnaryNode(int Pos, string Op, Node Operand) : Node(Pos);

internal sealed record BinaryNode(int Pos, string Op, Node Left, Node Right) : Node(Pos);

internal sealed record ConditionalNode(int Pos, Node Cond, Node Then, Node Else) : Node(Pos);

internal sealed record ArrayNode(int Pos, List<Node> Items) : Node(Pos);

internal sealed record MapNode(int Pos, List<(Node Key, Node Value)> Pairs) : Node(Pos);

internal sealed record LetNode(int Pos, string Name, Node Value, Node Body) : Node(Pos);

internal sealed record SequenceNode(int Pos, List<Node> Items) : Node(Pos);
