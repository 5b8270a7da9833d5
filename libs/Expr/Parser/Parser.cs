namespace Lookout.Expr;

/// <summary>expr-lang's grammar (v1.17): precedence climbing with expr's operator table, chained comparisons,
/// predicates, <c>let</c>, <c>if/else</c>, ternaries and the elvis operator, pipes, optional chains.</summary>
internal sealed class Parser
{
    /// <summary>expr's default limit on the number of nodes in one expression.</summary>
    public const int MaxNodes = 10_000;

    /// <summary>Nesting deeper than this is refused rather than risking the stack.</summary>
    public const int MaxNesting = 400;

    private static readonly Dictionary<string, (int Prec, bool Right)> Binary = new(StringComparer.Ordinal)
    {
        ["|"] = (0, false),
        ["or"] = (10, false),
        ["||"] = (10, false),
        ["and"] = (15, false),
        ["&&"] = (15, false),
        ["=="] = (20, false),
        ["!="] = (20, false),
        ["<"] = (20, false),
        [">"] = (20, false),
        [">="] = (20, false),
        ["<="] = (20, false),
        ["in"] = (20, false),
        ["matches"] = (20, false),
        ["contains"] = (20, false),
        ["startsWith"] = (20, false),
        ["endsWith"] = (20, false),
        [".."] = (25, false),
        ["+"] = (30, false),
        ["-"] = (30, false),
        ["*"] = (60, false),
        ["/"] = (60, false),
        ["%"] = (60, false),
        ["**"] = (100, true),
        ["^"] = (100, true),
        ["??"] = (500, false),
    };

    private static readonly Dictionary<string, int> Unary = new(StringComparer.Ordinal)
    {
        ["not"] = 50,
        ["!"] = 50,
        ["-"] = 90,
        ["+"] = 90,
    };

    private readonly List<Token> tokens;
    private readonly string text;
    private readonly string source;
    private int index;
    private int closureDepth;
    private int nesting;
    private int nodes;

    private Parser(List<Token> tokens, string text, string source)
    {
        this.tokens = tokens;
        this.text = text;
        this.source = source;
    }

    public static Node Parse(string text, string source)
    {
        var parser = new Parser(Lexer.Lex(text, source), text, source);
        Node node = parser.Sequence();
        if (parser.Current.Kind != Kind.Eof)
        {
            throw parser.Error($"unexpected token {Describe(parser.Current)}", parser.Current.Pos);
        }

        return node;
    }

    private Token Current => tokens[index];

    private Token Next() => tokens[index++];

    private bool Is(Kind kind, string value) => Current.Kind == kind && Current.Value == value;

    private bool IsOperator(string value) => IsOperatorToken(Current) && Current.Value == value;

    private static bool IsOperatorToken(Token t) =>
        t.Kind == Kind.Operator || (t.Kind == Kind.Identifier && IsWordOperator(t.Value));

    private static bool IsWordOperator(string v) => v is "and" or "or" or "not" or "in" or "matches" or "contains" or "startsWith" or "endsWith";

    private ExprException Error(string message, int pos) => new(message, source, text, pos);

    private static string Describe(Token t) => t.Kind == Kind.Eof ? "EOF" : $"{t.Kind} \"{t.Value}\"";

    private T Count<T>(T node)
        where T : Node
    {
        if (++nodes > MaxNodes)
        {
            throw Error("compilation failed: expression exceeds maximum allowed nodes", node.Pos);
        }

        return node;
    }

    private void Expect(Kind kind, string value)
    {
        if (!Is(kind, value))
        {
            throw Error($"unexpected token {Describe(Current)}", Current.Pos);
        }

        index++;
    }

    private Node Sequence()
    {
        var items = new List<Node> { Expression(0) };
        while (IsOperator(";"))
        {
            index++;
            if (Current.Kind == Kind.Eof)
            {
                break;
            }

            items.Add(Expression(0));
        }

        return items.Count == 1 ? items[0] : Count(new SequenceNode(items[0].Pos, items));
    }

    private Node Expression(int precedence)
    {
        if (++nesting > MaxNesting)
        {
            throw Error("expression is nested too deeply", Current.Pos);
        }

        try
        {
            return ExpressionCore(precedence);
        }
        finally
        {
            nesting--;
        }
    }

    private Node ExpressionCore(int precedence)
    {
        if (precedence == 0 && Current.Kind == Kind.Identifier && Current.Value == "let")
        {
            return Let();
        }

        if (precedence == 0 && Current.Kind == Kind.Identifier && Current.Value == "if")
        {
            return If();
        }

        Node left = Primary();
        string previous = string.Empty;
        while (IsOperatorToken(Current))
        {
            Token t = Current;
            string op = t.Value;
            bool negate = false;
            if (op == "not")
            {
                Token next = tokens[index + 1];
                if (!(next.Kind == Kind.Identifier && next.Value is "in" or "matches" or "contains" or "startsWith" or "endsWith"))
                {
                    throw Error($"unexpected token {Describe(next)}", next.Pos);
                }

                if (Binary[next.Value].Prec < precedence)
                {
                    break;
                }

                negate = true;
                op = next.Value;
                t = next;
            }

            if (!Binary.TryGetValue(op, out (int Prec, bool Right) info) || info.Prec < precedence)
            {
                break;
            }

            index += negate ? 2 : 1;
            if (op == "|")
            {
                Token name = Next();
                if (name.Kind != Kind.Identifier)
                {
                    throw Error($"unexpected token {Describe(name)}", name.Pos);
                }

                left = Call(name, [left]);
                previous = op;
                continue;
            }

            if (previous == "??" && op != "??")
            {
                throw Error($"Operator ({op}) and coalesce expressions (??) cannot be mixed. Wrap either by parentheses.", t.Pos);
            }

            if (op is "<" or ">" or "<=" or ">=")
            {
                left = Comparison(left, t, info.Prec);
                previous = op;
                continue;
            }

            Node right = Expression(info.Right ? info.Prec : info.Prec + 1);
            left = Count(new BinaryNode(t.Pos, op, left, right));
            if (negate)
            {
                left = Count(new UnaryNode(t.Pos, "not", left));
            }

            previous = op;
        }

        if (precedence == 0)
        {
            left = Conditional(left);
        }

        return left;
    }

    private Node Comparison(Node left, Token op, int precedence)
    {
        Node? root = null;
        while (true)
        {
            Node right = Expression(precedence + 1);
            Node comparison = Count(new BinaryNode(op.Pos, op.Value, left, right));
            root = root is null ? comparison : Count(new BinaryNode(op.Pos, "&&", root, comparison));
            left = right;
            op = Current;
            if (!(op.Kind == Kind.Operator && op.Value is "<" or ">" or "<=" or ">="))
            {
                return root;
            }

            index++;
        }
    }

    private Node Conditional(Node node)
    {
        while (IsOperator("?"))
        {
            int pos = Current.Pos;
            index++;
            Node then, @else;
            if (IsOperator(":"))
            {
                index++;
                then = node;
                @else = Expression(0);
            }
            else
            {
                then = Expression(0);
                Expect(Kind.Operator, ":");
                @else = Expression(0);
            }

            node = Count(new ConditionalNode(pos, node, then, @else));
        }

        return node;
    }

    private LetNode Let()
    {
        index++;
        Token name = Next();
        if (name.Kind != Kind.Identifier)
        {
            throw Error($"unexpected token {Describe(name)}", name.Pos);
        }

        Expect(Kind.Operator, "=");
        Node value = Expression(0);
        Expect(Kind.Operator, ";");
        Node body = Sequence();
        return Count(new LetNode(name.Pos, name.Value, value, body));
    }

    private ConditionalNode If()
    {
        int pos = Next().Pos;
        Node cond = Expression(0);
        Expect(Kind.Bracket, "{");
        Node then = Sequence();
        Expect(Kind.Bracket, "}");
        if (!(Current.Kind == Kind.Identifier && Current.Value == "else"))
        {
            throw Error($"unexpected token {Describe(Current)}", Current.Pos);
        }

        index++;
        Node @else;
        if (Current.Kind == Kind.Identifier && Current.Value == "if")
        {
            @else = If();
        }
        else
        {
            Expect(Kind.Bracket, "{");
            @else = Sequence();
            Expect(Kind.Bracket, "}");
        }

        return Count(new ConditionalNode(pos, cond, then, @else));
    }

    private Node Primary()
    {
        Token t = Current;
        if (IsOperatorToken(t) && Unary.TryGetValue(t.Value, out int prec) && !(t.Kind == Kind.Identifier && t.Value != "not"))
        {
            index++;
            Node operand = Expression(prec);
            return Postfix(Count(new UnaryNode(t.Pos, t.Value, operand)));
        }

        if (t.Kind == Kind.Bracket && t.Value == "(")
        {
            index++;
            Node inner = Sequence();
            Expect(Kind.Bracket, ")");
            return Postfix(inner);
        }

        if (closureDepth > 0)
        {
            if (t.Kind == Kind.Identifier && t.Value.StartsWith('#'))
            {
                index++;
                return Postfix(Count(new PointerNode(t.Pos, t.Value[1..])));
            }

            if (t.Kind == Kind.Operator && t.Value == ".")
            {
                // .field inside a predicate reads a field of the current element.
                return Postfix(Count(new PointerNode(t.Pos, string.Empty)));
            }
        }
        else if (t.Kind == Kind.Identifier && t.Value.StartsWith('#'))
        {
            throw Error("cannot use pointer accessor outside predicate", t.Pos);
        }

        return Secondary();
    }

    private Node Secondary()
    {
        Token t = Next();
        switch (t.Kind)
        {
            case Kind.Number:
                return Count(new LiteralNode(t.Pos, t.Literal));
            case Kind.String:
                return Postfix(Count(new LiteralNode(t.Pos, t.Literal)));
            case Kind.Identifier when IsWordOperator(t.Value):
                throw Error($"unexpected token Operator \"{t.Value}\"", t.Pos);
            case Kind.Identifier:
                switch (t.Value)
                {
                    case "nil":
                        return Count(new LiteralNode(t.Pos, null));
                    case "true":
                        return Count(new LiteralNode(t.Pos, true));
                    case "false":
                        return Count(new LiteralNode(t.Pos, false));
                    default:
                        break;
                }

                if (Is(Kind.Bracket, "("))
                {
                    return Postfix(Call(t, []));
                }

                return Postfix(Count(new IdentNode(t.Pos, t.Value)));
            case Kind.Bracket when t.Value == "[":
                {
                    var items = new List<Node>();
                    while (!Is(Kind.Bracket, "]"))
                    {
                        if (items.Count > 0)
                        {
                            Expect(Kind.Operator, ",");
                            if (Is(Kind.Bracket, "]"))
                            {
                                break;
                            }
                        }

                        items.Add(Expression(0));
                    }

                    Expect(Kind.Bracket, "]");
                    return Postfix(Count(new ArrayNode(t.Pos, items)));
                }

            case Kind.Bracket when t.Value == "{":
                {
                    var pairs = new List<(Node, Node)>();
                    while (!Is(Kind.Bracket, "}"))
                    {
                        if (pairs.Count > 0)
                        {
                            Expect(Kind.Operator, ",");
                            if (Is(Kind.Bracket, "}"))
                            {
                                break;
                            }
                        }

                        Token k = Current;
                        Node key;
                        if ((k.Kind == Kind.Identifier && !IsWordOperator(k.Value)) || k.Kind is Kind.Number or Kind.String)
                        {
                            // A number or a name as a key is the string of its text, as in expr.
                            index++;
                            key = Count(new LiteralNode(k.Pos, k.Kind == Kind.String ? k.Literal : k.Value));
                        }
                        else if (k.Kind == Kind.Bracket && k.Value == "(")
                        {
                            key = Expression(0);
                        }
                        else
                        {
                            throw Error($"a map key must be a quoted string, a number, a identifier, or an expression enclosed in parentheses (unexpected token {Describe(k)})", k.Pos);
                        }

                        Expect(Kind.Operator, ":");
                        pairs.Add((key, Expression(0)));
                    }

                    Expect(Kind.Bracket, "}");
                    return Postfix(Count(new MapNode(t.Pos, pairs)));
                }

            default:
                throw Error($"unexpected token {Describe(t)}", t.Pos);
        }
    }

    private CallNode Call(Token name, List<Node> piped)
    {
        if (Builtins.Get(name.Value) is { Predicate: true, Arity: var arity })
        {
            Expect(Kind.Bracket, "(");
            var args = new List<Node>(piped);
            int first = args.Count;
            for (int position = first; position < arity.Max; position++)
            {
                if (Is(Kind.Bracket, ")"))
                {
                    if (position < arity.Required)
                    {
                        throw Error($"expected at least {arity.Max - first} arguments", Current.Pos);
                    }

                    break;
                }

                if (position > first)
                {
                    Expect(Kind.Operator, ",");
                }

                args.Add(position == 1 ? Closure() : Expression(0));
            }

            if (IsOperator(","))
            {
                index++;
            }

            Expect(Kind.Bracket, ")");
            return Count(new CallNode(name.Pos, name.Value, null, args, Builtin: true));
        }

        List<Node> arguments = Arguments(piped);
        bool builtin = Builtins.IsBuiltin(name.Value);
        return Count(new CallNode(name.Pos, name.Value, builtin ? null : new IdentNode(name.Pos, name.Value), arguments, builtin));
    }

    private List<Node> Arguments(List<Node> piped)
    {
        Expect(Kind.Bracket, "(");
        var args = new List<Node>(piped);
        int offset = args.Count;
        while (!Is(Kind.Bracket, ")"))
        {
            if (args.Count > offset)
            {
                Expect(Kind.Operator, ",");
                if (Is(Kind.Bracket, ")"))
                {
                    break;
                }
            }

            args.Add(Expression(0));
        }

        Expect(Kind.Bracket, ")");
        return args;
    }

    private ClosureNode Closure()
    {
        int pos = Current.Pos;
        closureDepth++;
        try
        {
            if (Is(Kind.Bracket, "{"))
            {
                index++;
                Node body = Sequence();
                Expect(Kind.Bracket, "}");
                return Count(new ClosureNode(pos, body));
            }

            Node expression = Expression(0);
            if (IsOperator(";"))
            {
                throw Error("wrap predicate with brackets { and }", Current.Pos);
            }

            return Count(new ClosureNode(pos, expression));
        }
        finally
        {
            closureDepth--;
        }
    }

    private Node Postfix(Node node)
    {
        while (true)
        {
            Token t = Current;
            bool optional = t.Kind == Kind.Operator && t.Value == "?.";
            if (t.Kind == Kind.Operator && (t.Value == "." || optional))
            {
                index++;
                if (optional && Is(Kind.Bracket, "["))
                {
                    // a?.[key] (or a?.[from:to], where the ? changes nothing).
                    node = Index(Next(), node, optional: true);
                    continue;
                }

                Token name = Next();
                if (name.Kind != Kind.Identifier || name.Value.StartsWith('#'))
                {
                    throw Error("expected name", name.Pos);
                }

                Node target = Unchain(node, out bool wasChain);
                var member = Count(new MemberNode(name.Pos, target, new LiteralNode(name.Pos, name.Value), optional));
                node = member;
                if (Is(Kind.Bracket, "("))
                {
                    node = Count(new CallNode(name.Pos, null, member, Arguments([]), Builtin: false));
                }

                if (wasChain || optional)
                {
                    node = Count(new ChainNode(name.Pos, node));
                }

                continue;
            }

            if (t.Kind == Kind.Bracket && t.Value == "[")
            {
                index++;
                node = Index(t, node, optional: false);
                continue;
            }

            return node;
        }
    }

    /// <summary>After <c>[</c>: an index (<c>[k]</c>) or a slice (<c>[a:b]</c>, <c>[:b]</c>, <c>[a:]</c>, <c>[:]</c>).</summary>
    private Node Index(Token bracket, Node target, bool optional)
    {
        Node? from = null;
        if (!IsOperator(":"))
        {
            from = Expression(0);
            if (!IsOperator(":"))
            {
                Expect(Kind.Bracket, "]");
                var member = Count(new MemberNode(bracket.Pos, target, from, optional));
                return optional ? Count(new ChainNode(bracket.Pos, member)) : member;
            }
        }

        index++;
        Node? to = Is(Kind.Bracket, "]") ? null : Expression(0);
        Expect(Kind.Bracket, "]");
        return Count(new SliceNode(bracket.Pos, target, from, to));
    }

    private static Node Unchain(Node node, out bool wasChain)
    {
        wasChain = node is ChainNode;
        return node is ChainNode chain ? chain.Inner : node;
    }
}
