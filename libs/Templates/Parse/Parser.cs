using System.Globalization;
using System.Numerics;
using System.Text;
using Lookout.Templates;

namespace Lookout.Templates.Parse;

/// <summary>A parsed template body, by name: the main template and every <c>define</c>/<c>block</c>.</summary>
internal sealed class Tree(string name, ListNode root)
{
    public string Name { get; } = name;

    public ListNode Root { get; set; } = root;
}

/// <summary>Go's text/template parser (text/template/parse/parse.go): builds the trees of one template text.</summary>
internal sealed class Parser
{
    private readonly string source;
    private readonly string text;
    private readonly List<Token> tokens;
    private readonly Func<string, bool> hasFunction;
    private readonly Dictionary<string, Tree> treeSet;
    private int index;
    private List<string> vars = ["$"];
    private int rangeDepth;
    private int depth;
    private readonly int maxDepth;

    private Parser(string source, string text, List<Token> tokens, Func<string, bool> hasFunction, Dictionary<string, Tree> treeSet, int maxDepth)
    {
        this.maxDepth = maxDepth;
        this.source = source;
        this.text = text;
        this.tokens = tokens;
        this.hasFunction = hasFunction;
        this.treeSet = treeSet;
    }

    /// <summary>
    /// Parses <paramref name="text"/> into its trees; the main one is named <paramref name="name"/>. Parentheses and
    /// blocks (<c>if</c>, <c>range</c>, <c>with</c>, <c>else if</c>) may nest <paramref name="maxDepth"/> deep, so
    /// neither the parser nor the compiled template can exhaust the stack.
    /// </summary>
    public static Dictionary<string, Tree> Parse(string name, string source, string text, Func<string, bool> hasFunction, int maxDepth = 1000)
    {
        var treeSet = new Dictionary<string, Tree>(StringComparer.Ordinal);
        var parser = new Parser(source, text, Lexer.Lex(text), hasFunction, treeSet, maxDepth);
        ListNode root = parser.ParseTop();
        parser.Add(new Tree(name, root), 0);
        return treeSet;
    }

    public static bool IsEmptyTree(Node? n) => n switch
    {
        null => true,
        CommentNode => true,
        ListNode list => list.Nodes.All(IsEmptyTree),
        TextNode t => string.IsNullOrWhiteSpace(t.Text) && t.Text.All(c => c is ' ' or '\t' or '\n' or '\r' or '\v' or '\f'),
        _ => false,
    };

    private void Add(Tree tree, int pos)
    {
        if (!treeSet.TryGetValue(tree.Name, out Tree? existing) || IsEmptyTree(existing.Root))
        {
            treeSet[tree.Name] = tree;
            return;
        }

        if (!IsEmptyTree(tree.Root))
        {
            throw Error(pos, $"template: multiple definition of template \"{tree.Name}\"");
        }
    }

    private TemplateParseException Error(int pos, string message)
    {
        (int line, int column) = LineColumn(text, pos);
        return new TemplateParseException(source, line, column, message);
    }

    internal static (int Line, int Column) LineColumn(string text, int pos)
    {
        pos = Math.Clamp(pos, 0, text.Length);
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < pos; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, pos - lineStart + 1);
    }

    private Token Next()
    {
        Token t = tokens[Math.Min(index, tokens.Count - 1)];
        index++;
        if (t.Type == TokenType.Error)
        {
            throw Error(t.Pos, t.Value);
        }

        return t;
    }

    private void Backup() => index--;

    private Token Peek()
    {
        Token t = Next();
        Backup();
        return t;
    }

    private Token NextNonSpace()
    {
        Token t;
        do
        {
            t = Next();
        }
        while (t.Type == TokenType.Space);
        return t;
    }

    private Token PeekNonSpace()
    {
        Token t = NextNonSpace();
        Backup();
        return t;
    }

    private Token Expect(TokenType expected, string context)
    {
        Token t = NextNonSpace();
        if (t.Type != expected)
        {
            throw Unexpected(t, context);
        }

        return t;
    }

    private TemplateParseException Unexpected(Token t, string context) => Error(t.Pos, $"unexpected {Describe(t)} in {context}");

    private static string Describe(Token t)
    {
        if (t.Type == TokenType.Eof)
        {
            return "EOF";
        }

        if (t.Type >= TokenType.Block || t.Type is TokenType.Nil or TokenType.Dot)
        {
            return t.Type is TokenType.Dot ? "\".\"" : $"<{t.Value}>";
        }

        return t.Value.Length > 10 ? Lookout.Values.GoFmt.Quote(t.Value[..10]) + "..." : Lookout.Values.GoFmt.Quote(t.Value);
    }

    private ListNode ParseTop()
    {
        var root = new ListNode(Peek().Pos);
        while (Peek().Type != TokenType.Eof)
        {
            if (Peek().Type == TokenType.LeftDelim)
            {
                int saved = index;
                Token delim = Next();
                if (NextNonSpace().Type == TokenType.Define)
                {
                    ParseDefinition(delim.Pos);
                    continue;
                }

                index = saved;
            }

            Node n = TextOrAction();
            if (n is EndNode or ElseNode)
            {
                throw Error(n.Pos, $"unexpected {n}");
            }

            root.Nodes.Add(n);
        }

        return root;
    }

    private void ParseDefinition(int pos)
    {
        const string context = "define clause";
        Token nameToken = NextNonSpace();
        if (nameToken.Type is not (TokenType.String or TokenType.RawString))
        {
            throw Unexpected(nameToken, context);
        }

        string name = Unquote(nameToken);
        Expect(TokenType.RightDelim, context);
        List<string> savedVars = vars;
        int savedRange = rangeDepth;
        vars = ["$"];
        rangeDepth = 0;
        (ListNode list, Node end) = ItemList();
        if (end is not EndNode)
        {
            throw Error(end.Pos, $"unexpected {end} in {context}");
        }

        vars = savedVars;
        rangeDepth = savedRange;
        Add(new Tree(name, list), pos);
    }

    private (ListNode List, Node Next) ItemList()
    {
        var list = new ListNode(PeekNonSpace().Pos);
        while (PeekNonSpace().Type != TokenType.Eof)
        {
            Node n = TextOrAction();
            if (n is EndNode or ElseNode)
            {
                return (list, n);
            }

            list.Nodes.Add(n);
        }

        throw Error(text.Length, "unexpected EOF");
    }

    private Node TextOrAction()
    {
        Token t = NextNonSpace();
        return t.Type switch
        {
            TokenType.Text => new TextNode(t.Pos, t.Value),
            TokenType.LeftDelim => Action(),
            _ => throw Unexpected(t, "input"),
        };
    }

    private Node Action()
    {
        Token t = NextNonSpace();
        switch (t.Type)
        {
            case TokenType.Block:
                return BlockControl(t);
            case TokenType.Break:
                return LoopControl(t, "break", p => new BreakNode(p));
            case TokenType.Continue:
                return LoopControl(t, "continue", p => new ContinueNode(p));
            case TokenType.Else:
                return ElseControl(t);
            case TokenType.End:
                return new EndNode(Expect(TokenType.RightDelim, "end").Pos);
            case TokenType.If:
                return Control(t, BranchKind.If, allowElseIf: true, "if");
            case TokenType.Range:
                return Control(t, BranchKind.Range, allowElseIf: false, "range");
            case TokenType.Template:
                return TemplateControl(t);
            case TokenType.With:
                return Control(t, BranchKind.With, allowElseIf: false, "with");
            default:
                Backup();
                Token start = Peek();
                return new ActionNode(start.Pos, Pipeline("command", TokenType.RightDelim));
        }
    }

    private Node LoopControl(Token t, string word, Func<int, Node> create)
    {
        Token next = NextNonSpace();
        if (next.Type != TokenType.RightDelim)
        {
            throw Unexpected(next, "{{" + word + "}}");
        }

        if (rangeDepth == 0)
        {
            throw Error(t.Pos, $"{{{{{word}}}}} outside {{{{range}}}}");
        }

        return create(t.Pos);
    }

    private ElseNode ElseControl(Token t)
    {
        Token peek = PeekNonSpace();
        if (peek.Type is TokenType.If or TokenType.With)
        {
            // "{{else if …" and "{{else with …" (Go 1.23) are {{else}}{{if …: the caller parses the if or with.
            return new ElseNode(peek.Pos);
        }

        Expect(TokenType.RightDelim, "else");
        return new ElseNode(t.Pos);
    }

    private BranchNode Control(Token t, BranchKind kind, bool allowElseIf, string context)
    {
        int varCount = vars.Count;
        Enter(t, "max block depth exceeded");
        try
        {
            PipeNode pipe = Pipeline(context, TokenType.RightDelim);
            if (kind == BranchKind.Range)
            {
                rangeDepth++;
            }

            (ListNode list, Node next) = ItemList();
            if (kind == BranchKind.Range)
            {
                rangeDepth--;
            }

            ListNode? elseList = null;
            if (next is ElseNode)
            {
                if (allowElseIf && PeekNonSpace().Type == TokenType.If)
                {
                    Token ifToken = NextNonSpace();
                    elseList = new ListNode(next.Pos);
                    elseList.Nodes.Add(Control(ifToken, BranchKind.If, allowElseIf: true, "if"));
                }
                else if (kind == BranchKind.With && PeekNonSpace().Type == TokenType.With)
                {
                    Token withToken = NextNonSpace();
                    elseList = new ListNode(next.Pos);
                    elseList.Nodes.Add(Control(withToken, BranchKind.With, allowElseIf: false, "with"));
                }
                else
                {
                    (elseList, Node end) = ItemList();
                    if (end is not EndNode)
                    {
                        throw Error(end.Pos, $"expected end; found {end}");
                    }
                }
            }

            return new BranchNode(t.Pos, kind, pipe, list, elseList);
        }
        finally
        {
            depth--;
            vars.RemoveRange(varCount, vars.Count - varCount);
        }
    }

    // One level deeper (a block, an else-if, a parenthesized pipeline); the caller decrements when it is done.
    private void Enter(Token t, string message)
    {
        if (depth >= maxDepth)
        {
            throw Error(t.Pos, $"{message} (limit {maxDepth}, EvaluationLimits.MaxDepth)");
        }

        depth++;
    }

    private TemplateNode TemplateControl(Token t)
    {
        const string context = "template clause";
        Token nameToken = NextNonSpace();
        string name = TemplateName(nameToken, context);
        PipeNode? pipe = null;
        if (NextNonSpace().Type != TokenType.RightDelim)
        {
            Backup();
            pipe = Pipeline(context, TokenType.RightDelim);
        }

        return new TemplateNode(t.Pos, name, pipe);
    }

    private TemplateNode BlockControl(Token t)
    {
        const string context = "block clause";
        Token nameToken = NextNonSpace();
        string name = TemplateName(nameToken, context);
        PipeNode pipe = Pipeline(context, TokenType.RightDelim);
        List<string> savedVars = vars;
        int savedRange = rangeDepth;
        vars = ["$"];
        rangeDepth = 0;
        Enter(t, "max block depth exceeded");
        try
        {
            (ListNode list, Node end) = ItemList();
            if (end is not EndNode)
            {
                throw Error(end.Pos, $"unexpected {end} in {context}");
            }

            Add(new Tree(name, list), t.Pos);
        }
        finally
        {
            depth--;
            vars = savedVars;
            rangeDepth = savedRange;
        }

        return new TemplateNode(t.Pos, name, pipe);
    }

    private string TemplateName(Token token, string context)
    {
        if (token.Type is TokenType.String or TokenType.RawString)
        {
            return Unquote(token);
        }

        throw Unexpected(token, context);
    }

    private PipeNode Pipeline(string context, TokenType end)
    {
        Token first = PeekNonSpace();
        var pipe = new PipeNode(first.Pos);
    Decls:
        Token v = PeekNonSpace();
        if (v.Type == TokenType.Variable)
        {
            int afterVariableIndex;
            NextNonSpace();
            afterVariableIndex = index;
            Token tokenAfterVariable = Peek();
            Token next = PeekNonSpace();
            if (next.Type is TokenType.Assign or TokenType.Declare)
            {
                pipe.IsAssign = next.Type == TokenType.Assign;
                NextNonSpace();
                pipe.Decl.Add(new VariableNode(v.Pos, [v.Value]));
                vars.Add(v.Value);
            }
            else if (next.Type == TokenType.Char && next.Value == ",")
            {
                NextNonSpace();
                pipe.Decl.Add(new VariableNode(v.Pos, [v.Value]));
                vars.Add(v.Value);
                if (context == "range" && pipe.Decl.Count < 2)
                {
                    Token peek = PeekNonSpace();
                    if (peek.Type is TokenType.Variable or TokenType.RightDelim or TokenType.RightParen)
                    {
                        goto Decls;
                    }

                    throw Error(peek.Pos, "range can only initialize variables");
                }

                throw Error(next.Pos, $"too many declarations in {context}");
            }
            else
            {
                // Not a declaration: back up to the variable, which starts the first command.
                index = afterVariableIndex - 1;
                _ = tokenAfterVariable;
            }
        }

        while (true)
        {
            Token token = NextNonSpace();
            if (token.Type == end)
            {
                CheckPipeline(pipe, context, token.Pos);
                return pipe;
            }

            switch (token.Type)
            {
                case TokenType.Bool or TokenType.CharConstant or TokenType.Dot or TokenType.Field or TokenType.Identifier
                    or TokenType.Number or TokenType.Nil or TokenType.RawString or TokenType.String or TokenType.Variable
                    or TokenType.LeftParen:
                    Backup();
                    pipe.Cmds.Add(Command());
                    break;
                default:
                    throw Unexpected(token, context);
            }
        }
    }

    private void CheckPipeline(PipeNode pipe, string context, int pos)
    {
        if (pipe.Cmds.Count == 0)
        {
            throw Error(pos, $"missing value for {context}");
        }

        for (int i = 1; i < pipe.Cmds.Count; i++)
        {
            if (pipe.Cmds[i].Args[0] is BoolNode or DotNode or NilNode or NumberNode or StringNode)
            {
                throw Error(pipe.Cmds[i].Pos, $"non executable command in pipeline stage {i + 1}");
            }
        }
    }

    private CommandNode Command()
    {
        var cmd = new CommandNode(PeekNonSpace().Pos);
        while (true)
        {
            PeekNonSpace();
            Node? operand = Operand();
            if (operand is not null)
            {
                cmd.Args.Add(operand);
            }

            Token token = Next();
            if (token.Type == TokenType.Space)
            {
                continue;
            }

            if (token.Type is TokenType.RightDelim or TokenType.RightParen)
            {
                Backup();
            }
            else if (token.Type != TokenType.Pipe)
            {
                throw Unexpected(token, "operand");
            }

            break;
        }

        if (cmd.Args.Count == 0)
        {
            throw Error(cmd.Pos, "empty command");
        }

        return cmd;
    }

    private Node? Operand()
    {
        Node? node = Term();
        if (node is null)
        {
            return null;
        }

        if (Peek().Type == TokenType.Field)
        {
            var chain = new ChainNode(Peek().Pos, node);
            while (Peek().Type == TokenType.Field)
            {
                chain.Field.Add(Next().Value[1..]);
            }

            switch (node)
            {
                case FieldNode field:
                    return new FieldNode(chain.Pos, [.. field.Ident, .. chain.Field]);
                case VariableNode variable:
                    return new VariableNode(chain.Pos, [.. variable.Ident, .. chain.Field]);
                case BoolNode or StringNode or NumberNode or NilNode or DotNode:
                    throw Error(node.Pos, $"unexpected . after term \"{node}\"");
                default:
                    return chain;
            }
        }

        return node;
    }

    private Node? Term()
    {
        Token token = NextNonSpace();
        switch (token.Type)
        {
            case TokenType.Identifier:
                if (!hasFunction(token.Value))
                {
                    throw Error(token.Pos, $"function \"{token.Value}\" not defined");
                }

                return new IdentifierNode(token.Pos, token.Value);
            case TokenType.Dot:
                return new DotNode(token.Pos);
            case TokenType.Nil:
                return new NilNode(token.Pos);
            case TokenType.Variable:
                return UseVar(token);
            case TokenType.Field:
                return new FieldNode(token.Pos, [token.Value[1..]]);
            case TokenType.Bool:
                return new BoolNode(token.Pos, token.Value == "true");
            case TokenType.CharConstant or TokenType.Number:
                return NewNumber(token);
            case TokenType.LeftParen:
                Enter(token, "max expression depth exceeded");
                try
                {
                    return Pipeline("parenthesized pipeline", TokenType.RightParen);
                }
                finally
                {
                    depth--;
                }

            case TokenType.String or TokenType.RawString:
                return new StringNode(token.Pos, token.Value, Unquote(token));
            default:
                Backup();
                return null;
        }
    }

    private VariableNode UseVar(Token token)
    {
        string name = token.Value.Split('.')[0];
        if (!vars.Contains(name))
        {
            throw Error(token.Pos, $"undefined variable \"{name}\"");
        }

        return new VariableNode(token.Pos, [name]);
    }

    private NumberNode NewNumber(Token token)
    {
        var n = new NumberNode(token.Pos, token.Value);
        string s = token.Value;
        if (token.Type == TokenType.CharConstant)
        {
            int rune = UnquoteChar(token);
            n.IsChar = true;
            n.IsInt = n.IsUint = n.IsFloat = true;
            n.Int64 = rune;
            n.Uint64 = (ulong)rune;
            n.Float64 = rune;
            return n;
        }

        if (s.EndsWith('i'))
        {
            throw Error(token.Pos, $"complex constants are not supported: {s}");
        }

        if (TryParseInteger(s, out BigInteger value))
        {
            if (value >= ulong.MinValue && value <= ulong.MaxValue)
            {
                n.IsUint = true;
                n.Uint64 = (ulong)value;
            }

            if (value >= long.MinValue && value <= long.MaxValue)
            {
                n.IsInt = true;
                n.Int64 = (long)value;
                if (n.Int64 == 0)
                {
                    n.IsUint = true;
                    n.Uint64 = 0;
                }
            }
        }

        if (n.IsInt)
        {
            n.IsFloat = true;
            n.Float64 = n.Int64;
        }
        else if (n.IsUint)
        {
            n.IsFloat = true;
            n.Float64 = n.Uint64;
        }
        else if (TryParseFloat(s, out double f))
        {
            if (s.IndexOfAny(['.', 'e', 'E', 'p', 'P']) < 0 || (IsHexPrefixed(s) && s.IndexOfAny(['p', 'P', '.']) < 0))
            {
                throw Error(token.Pos, $"integer overflow: \"{s}\"");
            }

            n.IsFloat = true;
            n.Float64 = f;
            if (!n.IsInt && f >= long.MinValue && f < 9.2233720368547758e18 && (double)(long)f == f)
            {
                n.IsInt = true;
                n.Int64 = (long)f;
            }

            if (!n.IsUint && f >= 0 && f < 1.8446744073709552e19 && (double)(ulong)f == f)
            {
                n.IsUint = true;
                n.Uint64 = (ulong)f;
            }
        }

        if (!n.IsInt && !n.IsUint && !n.IsFloat)
        {
            throw Error(token.Pos, $"illegal number syntax: \"{s}\"");
        }

        return n;
    }

    private static bool IsHexPrefixed(string s)
    {
        string t = s.TrimStart('+', '-');
        return t.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
    }

    // strconv.ParseInt/ParseUint with base 0: sign, 0x/0o/0b/0 prefixes, underscores only after a prefix.
    private static bool TryParseInteger(string s, out BigInteger value)
    {
        value = BigInteger.Zero;
        bool negative = false;
        int i = 0;
        if (i < s.Length && (s[i] == '+' || s[i] == '-'))
        {
            negative = s[i] == '-';
            i++;
        }

        int @base = 10;
        bool prefixed = false;
        if (s.Length - i >= 2 && s[i] == '0')
        {
            char p = char.ToLowerInvariant(s[i + 1]);
            if (p == 'x')
            {
                @base = 16;
                i += 2;
                prefixed = true;
            }
            else if (p == 'o')
            {
                @base = 8;
                i += 2;
                prefixed = true;
            }
            else if (p == 'b')
            {
                @base = 2;
                i += 2;
                prefixed = true;
            }
            else
            {
                @base = 8;
                i += 1;
                prefixed = true;
            }
        }

        if (i >= s.Length && !(prefixed && @base == 8))
        {
            return false;
        }

        bool sawDigit = prefixed && @base == 8 && i >= s.Length;
        bool lastUnderscore = false;
        bool afterDigitOrPrefix = prefixed;
        for (; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '_')
            {
                // Go's underscoreOK: an underscore separates digits (or follows a base prefix).
                if (!afterDigitOrPrefix)
                {
                    return false;
                }

                lastUnderscore = true;
                afterDigitOrPrefix = false;
                continue;
            }

            int d = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => 99,
            };
            if (d >= @base)
            {
                return false;
            }

            value = (value * @base) + d;
            sawDigit = true;
            lastUnderscore = false;
            afterDigitOrPrefix = true;
        }

        if (lastUnderscore || !sawDigit)
        {
            return false;
        }

        if (negative)
        {
            value = -value;
        }

        return true;
    }

    private static bool TryParseFloat(string s, out double value)
    {
        value = 0;
        string t = s.Replace("_", string.Empty, StringComparison.Ordinal);
        if (s.Contains("__", StringComparison.Ordinal) || s.EndsWith('_'))
        {
            return false;
        }

        bool negative = t.StartsWith('-');
        string body = t.TrimStart('+', '-');
        if (body.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            // Hex float: 0x1.8p3.
            string h = body[2..];
            int p = h.IndexOfAny(['p', 'P']);
            if (p < 0)
            {
                return false;
            }

            string mant = h[..p];
            if (!int.TryParse(h[(p + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int exp))
            {
                return false;
            }

            int dot = mant.IndexOf('.', StringComparison.Ordinal);
            string digits = dot < 0 ? mant : mant[..dot] + mant[(dot + 1)..];
            int fracDigits = dot < 0 ? 0 : mant.Length - dot - 1;
            if (digits.Length == 0 || !BigInteger.TryParse("0" + digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out BigInteger m))
            {
                return false;
            }

            value = (double)m * Math.Pow(2, exp - (4 * fracDigits));
            value = negative ? -value : value;
            return true;
        }

        if (body.Length == 0 || !(char.IsAsciiDigit(body[0]) || body[0] == '.'))
        {
            return false;
        }

        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            return false;
        }

        return true;
    }

    private string Unquote(Token token)
    {
        if (token.Type == TokenType.RawString)
        {
            string raw = token.Value[1..^1];
            if (raw.Contains('\r', StringComparison.Ordinal))
            {
                raw = raw.Replace("\r", string.Empty, StringComparison.Ordinal);
            }

            return raw;
        }

        string s = token.Value;
        var b = new StringBuilder();
        int i = 1;
        while (i < s.Length - 1)
        {
            char c = s[i];
            if (c != '\\')
            {
                b.Append(c);
                i++;
                continue;
            }

            (int rune, int consumed) = Escape(s, i + 1, '"', token.Pos);
            if (rune < 0)
            {
                throw Error(token.Pos, "invalid syntax");
            }

            AppendRune(b, rune, s, i);
            i += 1 + consumed;
        }

        return b.ToString();
    }

    private static void AppendRune(StringBuilder b, int rune, string s, int at)
    {
        _ = s;
        _ = at;
        if (rune > 0x10FFFF || rune is >= 0xD800 and <= 0xDFFF)
        {
            b.Append('\uFFFD');
        }
        else
        {
            b.Append(char.ConvertFromUtf32(rune));
        }
    }

    private int UnquoteChar(Token token)
    {
        string s = token.Value;
        string body = s[1..^1];
        if (body.Length == 0)
        {
            throw Error(token.Pos, "invalid syntax");
        }

        if (body[0] != '\\')
        {
            int r = char.IsHighSurrogate(body[0]) && body.Length == 2 ? char.ConvertToUtf32(body[0], body[1]) : body[0];
            if ((r > 0xFFFF ? 2 : 1) != body.Length || r == '\'')
            {
                throw Error(token.Pos, "invalid syntax");
            }

            return r;
        }

        (int rune, int consumed) = Escape(body, 1, '\'', token.Pos);
        if (rune < 0 || 1 + consumed != body.Length)
        {
            throw Error(token.Pos, "invalid syntax");
        }

        return rune;
    }

    // One escape sequence after a backslash at s[i]; returns the rune and the characters consumed.
    private static (int Rune, int Consumed) Escape(string s, int i, char quote, int pos)
    {
        _ = pos;
        if (i >= s.Length)
        {
            return (-1, 0);
        }

        char c = s[i];
        switch (c)
        {
            case 'a': return (7, 1);
            case 'b': return (8, 1);
            case 'f': return (12, 1);
            case 'n': return (10, 1);
            case 'r': return (13, 1);
            case 't': return (9, 1);
            case 'v': return (11, 1);
            case '\\': return ('\\', 1);
            case '\'' or '"':
                return c == quote ? (c, 1) : (-1, 0);
            case 'x':
                return Hex(s, i + 1, 2);
            case 'u':
                return Hex(s, i + 1, 4);
            case 'U':
                return Hex(s, i + 1, 8);
            case >= '0' and <= '7':
                {
                    if (i + 3 > s.Length)
                    {
                        return (-1, 0);
                    }

                    int v = 0;
                    for (int k = 0; k < 3; k++)
                    {
                        char d = s[i + k];
                        if (d is < '0' or > '7')
                        {
                            return (-1, 0);
                        }

                        v = (v * 8) + (d - '0');
                    }

                    return v > 255 ? (-1, 0) : (v, 3);
                }

            default:
                return (-1, 0);
        }

        static (int, int) Hex(string s, int at, int n)
        {
            if (at + n > s.Length)
            {
                return (-1, 0);
            }

            if (!int.TryParse(s.AsSpan(at, n), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int v) && n < 8)
            {
                return (-1, 0);
            }

            if (n == 8 && !long.TryParse(s.AsSpan(at, n), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out long lv))
            {
                return (-1, 0);
            }
            else if (n == 8)
            {
                v = (int)Math.Min(long.Parse(s.AsSpan(at, n), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture), int.MaxValue);
                if (v > 0x10FFFF || v is >= 0xD800 and <= 0xDFFF)
                {
                    return (-1, 0);
                }
            }

            if (n == 4 && v is >= 0xD800 and <= 0xDFFF)
            {
                return (-1, 0);
            }

            return (v, 1 + n);
        }
    }
}
