using System.Globalization;
using Lookout.Values;

namespace Lookout.Templates.Parse;

/// <summary>A node of a parsed template, at a byte offset of its source.</summary>
internal abstract class Node(int pos)
{
    public int Pos { get; } = pos;
}

internal sealed class ListNode(int pos) : Node(pos)
{
    public List<Node> Nodes { get; } = [];

    public override string ToString() => string.Concat(Nodes.Select(n => n.ToString()));
}

internal sealed class TextNode(int pos, string text) : Node(pos)
{
    public string Text { get; } = text;

    public override string ToString() => Text;
}

internal sealed class CommentNode(int pos) : Node(pos);

internal sealed class ActionNode(int pos, PipeNode pipe) : Node(pos)
{
    public PipeNode Pipe { get; } = pipe;

    public override string ToString() => "{{" + Pipe + "}}";
}

internal enum BranchKind
{
    If,
    With,
    Range,
}

internal sealed class BranchNode(int pos, BranchKind kind, PipeNode pipe, ListNode list, ListNode? elseList) : Node(pos)
{
    public BranchKind Kind { get; } = kind;

    public PipeNode Pipe { get; } = pipe;

    public ListNode List { get; } = list;

    public ListNode? ElseList { get; } = elseList;

    public override string ToString() => $"{{{{{Kind.ToString().ToLowerInvariant()} {Pipe}}}}}";
}

internal sealed class TemplateNode(int pos, string name, PipeNode? pipe) : Node(pos)
{
    public string Name { get; } = name;

    public PipeNode? Pipe { get; } = pipe;

    public override string ToString() => Pipe is null ? $"{{{{template {GoFmt.Quote(Name)}}}}}" : $"{{{{template {GoFmt.Quote(Name)} {Pipe}}}}}";
}

internal sealed class BreakNode(int pos) : Node(pos)
{
    public override string ToString() => "{{break}}";
}

internal sealed class ContinueNode(int pos) : Node(pos)
{
    public override string ToString() => "{{continue}}";
}

internal sealed class EndNode(int pos) : Node(pos)
{
    public override string ToString() => "{{end}}";
}

internal sealed class ElseNode(int pos) : Node(pos)
{
    public override string ToString() => "{{else}}";
}

internal sealed class PipeNode(int pos) : Node(pos)
{
    public bool IsAssign { get; set; }

    public List<VariableNode> Decl { get; } = [];

    public List<CommandNode> Cmds { get; } = [];

    public override string ToString()
    {
        string decl = Decl.Count == 0 ? string.Empty : string.Join(", ", Decl.Select(d => d.ToString())) + (IsAssign ? " = " : " := ");
        return decl + string.Join(" | ", Cmds.Select(c => c.ToString()));
    }
}

internal sealed class CommandNode(int pos) : Node(pos)
{
    public List<Node> Args { get; } = [];

    public override string ToString() => string.Join(" ", Args.Select(a => a is PipeNode ? "(" + a + ")" : a.ToString()));
}

internal sealed class FieldNode(int pos, string[] ident) : Node(pos)
{
    public string[] Ident { get; } = ident;

    public override string ToString() => string.Concat(Ident.Select(i => "." + i));
}

internal sealed class VariableNode(int pos, string[] ident) : Node(pos)
{
    public string[] Ident { get; } = ident;

    public override string ToString() => string.Join(".", Ident);
}

internal sealed class ChainNode(int pos, Node node) : Node(pos)
{
    public Node Node { get; } = node;

    public List<string> Field { get; } = [];

    public override string ToString() => (Node is PipeNode ? "(" + Node + ")" : Node.ToString()) + string.Concat(Field.Select(f => "." + f));
}

internal sealed class IdentifierNode(int pos, string ident) : Node(pos)
{
    public string Ident { get; } = ident;

    public override string ToString() => Ident;
}

internal sealed class DotNode(int pos) : Node(pos)
{
    public override string ToString() => ".";
}

internal sealed class NilNode(int pos) : Node(pos)
{
    public override string ToString() => "nil";
}

internal sealed class BoolNode(int pos, bool value) : Node(pos)
{
    public bool Value { get; } = value;

    public override string ToString() => Value ? "true" : "false";
}

internal sealed class StringNode(int pos, string quoted, string text) : Node(pos)
{
    public string Quoted { get; } = quoted;

    public string Text { get; } = text;

    public override string ToString() => Quoted;
}

/// <summary>A number constant with every interpretation Go's parser finds (text/template/parse NumberNode).</summary>
internal sealed class NumberNode(int pos, string text) : Node(pos)
{
    public string Text { get; } = text;

    public bool IsInt { get; set; }

    public bool IsUint { get; set; }

    public bool IsFloat { get; set; }

    public bool IsComplex { get; set; }

    public bool IsChar { get; set; }

    public long Int64 { get; set; }

    public ulong Uint64 { get; set; }

    public double Float64 { get; set; }

    public override string ToString() => Text;

    public static string FormatInvariant(long v) => v.ToString(CultureInfo.InvariantCulture);
}
