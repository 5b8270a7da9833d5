using System.Text;
using Lookout.Templates.Parse;
using Lookout.Values;

namespace Lookout.Templates.Exec;

/// <summary>A compiled statement: writes to the state's output, given dot.</summary>
internal delegate void Stmt(State s, object? dot);

/// <summary>A compiled value: evaluates given dot.</summary>
internal delegate object? Eval(State s, object? dot);

/// <summary>A compiled command: evaluates given dot and the previous command's value (or <see cref="NoFinal"/>).</summary>
internal delegate object? Command(State s, object? dot, object? final);

/// <summary>How far a <c>break</c> or <c>continue</c> is unwinding.</summary>
internal enum Jump
{
    None,
    Break,
    Continue,
}

/// <summary>The state of one execution: output, variables, depth and budgets.</summary>
internal sealed class State(StringBuilder output)
{
    public CompiledTemplates Set { get; private set; } = null!;

    public StringBuilder Output { get; } = output;

    public List<(string Name, object? Value)> Vars { get; set; } = [];

    /// <summary>Prepares a (reused) state for a new execution.</summary>
    public void Reset(CompiledTemplates set, string executing)
    {
        Set = set;
        Output.Clear();
        Vars.Clear();
        Depth = 0;
        Budget.Reset(set.Options.Limits);
        Jump = Jump.None;
        Executing = executing;
    }

    public int Depth { get; set; }

    /// <summary>The execution's budget, current on the thread while it runs so the functions it calls charge it too.</summary>
    public EvaluationBudget Budget { get; } = new();

    public Jump Jump { get; set; }

    public string Executing { get; set; } = string.Empty;

    public object? VarValue(string name, Node node)
    {
        for (int i = Vars.Count - 1; i >= 0; i--)
        {
            if (Vars[i].Name == name)
            {
                return Vars[i].Value;
            }
        }

        throw Set.Error(this, node, $"undefined variable: {name}");
    }

    public void SetVar(string name, object? value, Node node)
    {
        for (int i = Vars.Count - 1; i >= 0; i--)
        {
            if (Vars[i].Name == name)
            {
                Vars[i] = (name, value);
                return;
            }
        }

        throw Set.Error(this, node, $"undefined variable: {name}");
    }

    public void Write(string text)
    {
        if (text.Length > Budget.Limits.MaxOutputChars - Output.Length)
        {
            throw new TemplateExecException($"template: {Set.Source}: executing \"{Executing}\": output exceeds the limit of {Budget.Limits.MaxOutputChars} characters (EvaluationLimits.MaxOutputChars)");
        }

        Output.Append(text);
    }
}

/// <summary>The compiled templates of one text: the main one and its definitions, sharing options.</summary>
internal sealed class CompiledTemplates
{
    private readonly Dictionary<string, Stmt> bodies = new(StringComparer.Ordinal);
    private readonly string text;

    public CompiledTemplates(TemplateOptions options, string source, string text)
    {
        Options = options;
        Source = source;
        this.text = text;
        // A template's own functions shadow the builtins of the same name, as in Go (Sprig's slice does).
        foreach ((string name, FunctionInfo f) in Builtins.All)
        {
            Functions[name] = f;
        }

        foreach ((string name, GoFunction f) in options.Functions)
        {
            Functions[name] = FunctionInfo.FromGoFunction(f);
        }
    }

    public TemplateOptions Options { get; }

    public string Source { get; }

    public Dictionary<string, FunctionInfo> Functions { get; } = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Names => bodies.Keys;

    public void Add(string name, Stmt body) => bodies[name] = body;

    public bool TryGet(string name, out Stmt body) => bodies.TryGetValue(name, out body!);

    public string Execute(string name, object? data)
    {
        if (!bodies.TryGetValue(name, out Stmt? body))
        {
            throw new TemplateExecException($"template: no template \"{name}\" associated with template \"{Source}\"");
        }

        // One state per thread is reused (taken while in use, so a nested execution gets its own).
        State state = cachedState ?? new State(new StringBuilder(256));
        cachedState = null;
        state.Reset(this, name);
        object? dot = data;
        state.Vars.Add(("$", dot));
        EvaluationBudget? outer = state.Budget.Enter();
        try
        {
            body(state, dot);
            return state.Output.ToString();
        }
        catch (InsufficientExecutionStackException)
        {
            throw new TemplateExecException($"template: {Source}: executing \"{state.Executing}\": nested too deeply for the stack");
        }
        catch (EvaluationLimitException ex)
        {
            throw new TemplateExecException($"template: {Source}: executing \"{state.Executing}\": {ex.Message}", ex);
        }
        finally
        {
            EvaluationBudget.Exit(outer);
            if (state.Output.Capacity <= 64 * 1024)
            {
                cachedState = state;
            }
        }
    }

    // One execution state per thread is reused (its output buffer, variables and budget). Safe because Execute takes it
    // (sets this to null) and gives it back in finally, and an execution is synchronous from start to end: no engine
    // or template function may await, so no other execution interleaves on this thread; a nested execution finds none.
    [ThreadStatic]
    private static State? cachedState;

    public TemplateExecException Error(State s, Node node, string message)
    {
        (int line, int column) = Parser.LineColumn(text, node.Pos);
        return new TemplateExecException($"template: {Source}:{line}:{column}: executing \"{s.Executing}\" at <{Context(node)}>: {message}");
    }

    private static string Context(Node node)
    {
        string context = node.ToString() ?? string.Empty;
        return context.Length > 20 ? context[..20] + "..." : context;
    }
}

/// <summary>Compiles parsed trees to delegates (Go's exec.go semantics, decided once per node).</summary>
internal sealed class Compiler
{
    private static readonly Eval[] NoArgs = [];
    private readonly CompiledTemplates set;

    private Compiler(CompiledTemplates set) => this.set = set;

    public static CompiledTemplates Compile(Dictionary<string, Tree> trees, TemplateOptions options, string source, string text)
    {
        var set = new CompiledTemplates(options, source, text);
        var compiler = new Compiler(set);
        foreach ((string name, Tree tree) in trees)
        {
            set.Add(name, compiler.List(tree.Root));
        }

        return set;
    }

    private Stmt List(ListNode list)
    {
        Stmt[] statements = [.. list.Nodes.Select(Statement).Where(s => s is not null).Select(s => s!)];
        if (statements.Length == 1)
        {
            return statements[0];
        }

        return (s, dot) =>
        {
            foreach (Stmt statement in statements)
            {
                statement(s, dot);
                if (s.Jump != Jump.None)
                {
                    return;
                }
            }
        };
    }

    private Stmt? Statement(Node node)
    {
        switch (node)
        {
            case TextNode t:
                string text = t.Text;
                return (s, _) => s.Write(text);
            case CommentNode:
                return null;
            case ActionNode { Pipe: { Decl.Count: 0, Cmds: [{ Args: [FieldNode field] }] } } a:
                {
                    // The commonest action, {{.a.b.c}}: the field chain without the pipeline machinery.
                    FieldPath path = new(field.Ident);
                    return (s, dot) =>
                    {
                        object? value = dot;
                        string[] names = path.Names;
                        for (int i = 0; i < names.Length; i++)
                        {
                            value = value is ObjectMap map && map.TryGetField(names[i], ref path.Hints[i], out object? found)
                                ? found
                                : Field(s, dot, names[i], field, NoArgs, NoFinal.Value, value);
                        }

                        s.Write(Printable(s, a, value));
                    };
                }

            case ActionNode a:
                {
                    Eval pipe = Pipeline(a.Pipe);
                    if (a.Pipe.Decl.Count > 0)
                    {
                        return (s, dot) => pipe(s, dot);
                    }

                    return (s, dot) => s.Write(Printable(s, a, pipe(s, dot)));
                }

            case BranchNode { Kind: BranchKind.Range } r:
                return Range(r);
            case BranchNode b:
                return IfOrWith(b);
            case TemplateNode t:
                return TemplateCall(t);
            case BreakNode:
                return (s, _) => s.Jump = Jump.Break;
            case ContinueNode:
                return (s, _) => s.Jump = Jump.Continue;
            default:
                throw new InvalidOperationException($"unknown node {node.GetType().Name}");
        }
    }

    private string Printable(State s, Node node, object? value) => value switch
    {
        string text => text,
        Missing or null => "<no value>",
        long l => l.ToString(System.Globalization.CultureInfo.InvariantCulture),
        int i => i.ToString(System.Globalization.CultureInfo.InvariantCulture),
        nint i => i.ToString(System.Globalization.CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        GoFunction => throw set.Error(s, node, $"can't print {node} of type {GoFmt.TypeName(value)}"),
        _ => Print(s, node, value),
    };

    private string Print(State s, Node node, object? value)
    {
        try
        {
            return GoFmt.ToString(value);
        }
        catch (EvaluationLimitException ex)
        {
            throw set.Error(s, node, ex.Message);
        }
    }

    private Stmt IfOrWith(BranchNode b)
    {
        Eval pipe = Pipeline(b.Pipe);
        Stmt list = List(b.List);
        Stmt? elseList = b.ElseList is null ? null : List(b.ElseList);
        bool with = b.Kind == BranchKind.With;
        return (s, dot) =>
        {
            int mark = s.Vars.Count;
            try
            {
                object? value = pipe(s, dot);
                if (GoValues.Truth(value))
                {
                    list(s, with ? value : dot);
                }
                else
                {
                    elseList?.Invoke(s, dot);
                }
            }
            finally
            {
                s.Vars.RemoveRange(mark, s.Vars.Count - mark);
            }
        };
    }

    private Stmt Range(BranchNode r)
    {
        Eval pipe = Pipeline(r.Pipe);
        Stmt list = List(r.List);
        Stmt? elseList = r.ElseList is null ? null : List(r.ElseList);
        int decls = r.Pipe.Decl.Count;
        bool overInt = set.Options.RangeOverInt;
        if (UntilArgument(r.Pipe) is Eval until)
        {
            return RangeUntil(r, until, list, elseList, decls);
        }

        return (s, dot) =>
        {
            int outer = s.Vars.Count;
            try
            {
                object? value = pipe(s, dot);
                int mark = s.Vars.Count;
                bool iterated = false;
                switch (value)
                {
                    case IList<object?> items:
                        for (int i = 0; i < items.Count; i++)
                        {
                            iterated = true;
                            if (Iterate(s, r, list, decls, mark, i, items[i]))
                            {
                                break;
                            }
                        }

                        break;
                    case IDictionary<string, object?> map:
                        {
                            string[] keys = [.. map.Keys];
                            Array.Sort(keys, StringComparer.Ordinal);
                            foreach (string key in keys)
                            {
                                iterated = true;
                                if (Iterate(s, r, list, decls, mark, key, map[key]))
                                {
                                    break;
                                }
                            }

                            break;
                        }

                    case null or Missing:
                        break;
                    case long or int or nint when overInt:
                        {
                            long n = GoValues.ToInt64(value);
                            if (decls > 1)
                            {
                                throw set.Error(s, r, "can't use two iteration variables ranging over an integer");
                            }

                            for (long i = 0; i < n; i++)
                            {
                                iterated = true;
                                object boxed = value is long ? i : GoTypes.Int(i);
                                if (Iterate(s, r, list, decls, mark, boxed, boxed))
                                {
                                    break;
                                }
                            }

                            break;
                        }

                    default:
                        throw set.Error(s, r, $"range can't iterate over {GoFmt.ToString(value)}");
                }

                if (!iterated)
                {
                    elseList?.Invoke(s, dot);
                }
            }
            finally
            {
                s.Vars.RemoveRange(outer, s.Vars.Count - outer);
            }
        };
    }

    // range over Sprig's until without building the list: {{range $i := until 100000000}}{{if ...}}{{break}}...
    // runs as in Go, in constant memory; the step budget bounds the iterations.
    private Eval? UntilArgument(PipeNode pipe) =>
        !pipe.IsAssign && pipe.Cmds is [{ Args: [IdentifierNode { Ident: "until" }, Node count] }]
            && set.Functions.TryGetValue("until", out FunctionInfo? f) && !f.IsBuiltin && f.Name == "until" && f is { Fixed: [GoParamType.Int], Variadic: null }
            ? Arg(count, GoParamType.Int)
            : null;

    private Stmt RangeUntil(BranchNode r, Eval count, Stmt list, Stmt? elseList, int decls) => (s, dot) =>
    {
        int outer = s.Vars.Count;
        try
        {
            int n = (int)count(s, dot)!;
            if (r.Pipe.Decl.Count > 0)
            {
                // The declared variables, as the pipeline would have added them (holding the list until the first iteration).
                foreach (VariableNode v in r.Pipe.Decl)
                {
                    s.Vars.Add((v.Ident[0], null));
                }
            }

            int mark = s.Vars.Count;
            int step = n < 0 ? -1 : 1;
            for (int i = 0, position = 0; i != n; i += step, position++)
            {
                if (Iterate(s, r, list, decls, mark, position, i))
                {
                    break;
                }
            }

            if (n == 0)
            {
                elseList?.Invoke(s, dot);
            }
        }
        finally
        {
            s.Vars.RemoveRange(outer, s.Vars.Count - outer);
        }
    };

    // One iteration: sets the range variables, runs the body, drops its variables; true when a break ends the loop.
    private bool Iterate(State s, BranchNode r, Stmt list, int decls, int mark, object? index, object? element)
    {
        try
        {
            s.Budget.Step();
        }
        catch (EvaluationLimitException ex)
        {
            throw set.Error(s, r, ex.Message);
        }

        if (decls > 0)
        {
            s.Vars[mark - 1] = (s.Vars[mark - 1].Name, element);
        }

        if (decls > 1)
        {
            s.Vars[mark - 2] = (s.Vars[mark - 2].Name, index);
        }

        list(s, element);
        if (s.Vars.Count > mark)
        {
            s.Vars.RemoveRange(mark, s.Vars.Count - mark);
        }

        return Unwind(s);
    }

    // After one iteration: a continue is consumed; a break stops the loop (and is consumed).
    private static bool Unwind(State s)
    {
        Jump jump = s.Jump;
        s.Jump = Jump.None;
        return jump == Jump.Break;
    }

    private Stmt TemplateCall(TemplateNode t)
    {
        Eval? pipe = t.Pipe is null ? null : Pipeline(t.Pipe);
        string name = t.Name;
        return (s, dot) =>
        {
            if (!set.TryGet(name, out Stmt body))
            {
                throw set.Error(s, t, $"template \"{name}\" not defined");
            }

            if (s.Depth >= s.Budget.Limits.MaxDepth)
            {
                throw set.Error(s, t, $"exceeded maximum template depth ({s.Budget.Limits.MaxDepth}, EvaluationLimits.MaxDepth)");
            }

            try
            {
                s.Budget.Step();
            }
            catch (EvaluationLimitException ex)
            {
                throw set.Error(s, t, ex.Message);
            }

            object? newDot = pipe is null ? Missing.Value : pipe(s, dot);
            List<(string, object?)> saved = s.Vars;
            string savedName = s.Executing;
            s.Vars = [("$", newDot)];
            s.Depth++;
            s.Executing = name;
            try
            {
                System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
                body(s, newDot);
            }
            finally
            {
                s.Depth--;
                s.Vars = saved;
                s.Executing = savedName;
                s.Jump = Jump.None;
            }
        };
    }

    /// <summary>A pipeline: its commands in turn, the value unwrapped (nil becomes invalid), then the declarations.</summary>
    private Eval Pipeline(PipeNode pipe)
    {
        Command[] commands = [.. pipe.Cmds.Select(CompileCommand)];
        string[] decl = [.. pipe.Decl.Select(d => d.Ident[0])];
        bool assign = pipe.IsAssign;
        return (s, dot) =>
        {
            object? value = NoFinal.Value;
            foreach (Command command in commands)
            {
                value = command(s, dot, value);
                value ??= Missing.Value;
            }

            foreach (string name in decl)
            {
                if (assign)
                {
                    s.SetVar(name, value, pipe);
                }
                else
                {
                    s.Vars.Add((name, value));
                }
            }

            return value;
        };
    }

    private Command CompileCommand(CommandNode cmd)
    {
        Node first = cmd.Args[0];
        switch (first)
        {
            case FieldNode field:
                {
                    Eval[] args = CompileArgs(cmd.Args, GoParamType.Any);
                    FieldPath path = new(field.Ident);
                    return (s, dot, final) => FieldChain(s, dot, dot, field, path, args, final);
                }

            case ChainNode chain:
                {
                    if (chain.Node is NilNode)
                    {
                        return (s, _, _) => throw set.Error(s, chain, $"indirection through explicit nil in {chain}");
                    }

                    Eval receiver = Arg(chain.Node, null);
                    Eval[] args = CompileArgs(cmd.Args, GoParamType.Any);
                    FieldPath fields = new([.. chain.Field]);
                    return (s, dot, final) => FieldChain(s, dot, receiver(s, dot), chain, fields, args, final);
                }

            case IdentifierNode id:
                return Function(id, cmd.Args, cmd);
            case PipeNode inner:
                {
                    Eval pipe = Pipeline(inner);
                    int count = cmd.Args.Count;
                    return (s, dot, final) =>
                    {
                        NotAFunction(s, cmd, count, final);
                        return pipe(s, dot);
                    };
                }

            case VariableNode variable:
                {
                    Eval[] args = CompileArgs(cmd.Args, GoParamType.Any);
                    string name = variable.Ident[0];
                    FieldPath fields = new(variable.Ident[1..]);
                    int count = cmd.Args.Count;
                    return (s, dot, final) =>
                    {
                        object? value = s.VarValue(name, variable);
                        if (fields.Names.Length == 0)
                        {
                            NotAFunction(s, cmd, count, final);
                            return value;
                        }

                        return FieldChain(s, dot, value, variable, fields, args, final);
                    };
                }

            default:
                {
                    int count = cmd.Args.Count;
                    switch (first)
                    {
                        case BoolNode b:
                            {
                                object value = b.Value;
                                return (s, _, final) =>
                                {
                                    NotAFunction(s, cmd, count, final);
                                    return value;
                                };
                            }

                        case DotNode:
                            return (s, dot, final) =>
                            {
                                NotAFunction(s, cmd, count, final);
                                return dot;
                            };
                        case NilNode:
                            return (s, _, final) =>
                            {
                                NotAFunction(s, cmd, count, final);
                                throw set.Error(s, first, "nil is not a command");
                            };
                        case NumberNode n:
                            return (s, _, final) =>
                            {
                                NotAFunction(s, cmd, count, final);
                                return IdealConstant(s, n);
                            };
                        case StringNode str:
                            {
                                string value = str.Text;
                                return (s, _, final) =>
                                {
                                    NotAFunction(s, cmd, count, final);
                                    return value;
                                };
                            }

                        default:
                            return (s, _, _) => throw set.Error(s, first, $"can't evaluate command \"{first}\"");
                    }
                }
        }
    }

    private void NotAFunction(State s, CommandNode cmd, int argCount, object? final)
    {
        if (argCount > 1 || final is not NoFinal)
        {
            throw set.Error(s, cmd, $"can't give argument to non-function {cmd.Args[0]}");
        }
    }

    // Arguments after the first word, for a field or method: each as interface{}.
    private Eval[] CompileArgs(List<Node> args, GoParamType kind) =>
        args.Count <= 1 ? NoArgs : [.. args.Skip(1).Select(a => Arg(a, kind))];

    private object? IdealConstant(State s, NumberNode n)
    {
        bool hexInt = n.Text.Length > 2 && n.Text[0] == '0' && (n.Text[1] == 'x' || n.Text[1] == 'X') && n.Text.IndexOfAny(['p', 'P']) < 0;
        if (n.IsFloat && !hexInt && !n.IsChar && n.Text.IndexOfAny(['.', 'e', 'E', 'p', 'P']) >= 0)
        {
            return n.Float64;
        }

        if (n.IsInt)
        {
            return GoTypes.Int(n.Int64);
        }

        if (n.IsUint)
        {
            throw set.Error(s, n, $"{n.Text} overflows int");
        }

        return Missing.Value;
    }

    /// <summary>An argument evaluated for a parameter of the given kind (null kind: evalArg with a nil type).</summary>
    private Eval Arg(Node node, GoParamType? kind)
    {
        switch (node)
        {
            case DotNode:
                return (s, dot) => Validate(s, node, dot, kind);
            case NilNode:
                // interface{} and reflect.Value can hold nil (Go's canBeNil); a string cannot.
                return kind switch
                {
                    GoParamType.String or GoParamType.Int or GoParamType.Bool or GoParamType.Time or GoParamType.Float64 or GoParamType.UInt32 =>
                        (s, _) => throw set.Error(s, node, $"cannot assign nil to {GoType(kind.Value)}"),
                    _ => (_, _) => null,
                };
            case FieldNode field:
                {
                    FieldPath path = new(field.Ident);
                    return (s, dot) => Validate(s, node, FieldChain(s, dot, dot, field, path, NoArgs, NoFinal.Value), kind);
                }

            case VariableNode variable:
                {
                    string name = variable.Ident[0];
                    FieldPath fields = new(variable.Ident[1..]);
                    return (s, dot) =>
                    {
                        object? value = s.VarValue(name, variable);
                        if (fields.Names.Length > 0)
                        {
                            value = FieldChain(s, dot, value, variable, fields, NoArgs, NoFinal.Value);
                        }

                        return Validate(s, node, value, kind);
                    };
                }

            case PipeNode pipe:
                {
                    Eval eval = Pipeline(pipe);
                    return (s, dot) => Validate(s, node, eval(s, dot), kind);
                }

            case IdentifierNode id:
                {
                    Command call = Function(id, [id], id);
                    return (s, dot) => Validate(s, node, call(s, dot, NoFinal.Value), kind);
                }

            case ChainNode chain:
                {
                    Command command = CompileCommand(NewCommand(chain));
                    return (s, dot) => Validate(s, node, command(s, dot, NoFinal.Value), kind);
                }

            case BoolNode b when kind is null or GoParamType.Any or GoParamType.Value or GoParamType.Bool:
                {
                    object value = b.Value;
                    return (_, _) => value;
                }

            case NumberNode n when kind is GoParamType.Int:
                return (s, _) => n.IsInt
                    ? GoTypes.ClampedInt(GoTypes.Int(n.Int64))
                    : throw set.Error(s, node, $"expected integer; found {node}");
            case NumberNode n when kind is GoParamType.Float64:
                return (s, _) => n.IsFloat ? n.Float64 : throw set.Error(s, node, $"expected float; found {node}");
            case NumberNode n when kind is GoParamType.UInt32:
                return (s, _) => n.IsUint ? unchecked((uint)n.Uint64) : throw set.Error(s, node, $"expected unsigned integer; found {node}");
            case NumberNode n when kind is null or GoParamType.Any or GoParamType.Value:
                return (s, _) => IdealConstant(s, n);
            case StringNode str when kind is null or GoParamType.Any or GoParamType.Value or GoParamType.String:
                {
                    string value = str.Text;
                    return (_, _) => value;
                }

            case not NilNode when kind is GoParamType.List:
                return (s, _) => throw set.Error(s, node, $"can't handle {node} for arg of type {GoType(GoParamType.List)}");
            default:
                string expected = kind switch
                {
                    GoParamType.Int => "integer",
                    GoParamType.Bool => "bool",
                    GoParamType.String => "string",
                    _ => "value",
                };
                return (s, _) => throw set.Error(s, node, $"expected {expected}; found {node}");
        }
    }

    private static CommandNode NewCommand(Node node)
    {
        var cmd = new CommandNode(node.Pos);
        cmd.Args.Add(node);
        return cmd;
    }

    private object? Validate(State s, Node node, object? value, GoParamType? kind)
    {
        if (value is Missing)
        {
            return kind switch
            {
                null => Missing.Value,
                GoParamType.Any or GoParamType.Value or GoParamType.Map or GoParamType.List => null,
                _ => throw set.Error(s, node, $"invalid value; expected {GoType(kind.Value)}"),
            };
        }

        bool fits = kind switch
        {
            GoParamType.String => value is string,
            GoParamType.Int => value is int or nint,
            GoParamType.Bool => value is bool,
            GoParamType.Map => value is null or IDictionary<string, object?>,
            GoParamType.Time => value is Lookout.Values.Time.GoTime,
            GoParamType.Float64 => value is double,
            GoParamType.UInt32 => value is uint,
            GoParamType.List => value is null or IList<object?>,
            _ => true,
        };
        if (!fits)
        {
            throw set.Error(s, node, $"wrong type for value; expected {GoType(kind!.Value)}; got {GoValues.TypeForError(value)}");
        }

        return value is nint ? GoTypes.ClampedInt(value) : value;
    }

    private static string GoType(GoParamType kind) => kind switch
    {
        GoParamType.String => "string",
        GoParamType.Int => "int",
        GoParamType.Bool => "bool",
        GoParamType.Map => "map[string]interface {}",
        GoParamType.Time => "time.Time",
        GoParamType.Float64 => "float64",
        GoParamType.UInt32 => "uint32",
        GoParamType.List => "[]interface {}",
        GoParamType.Value => "reflect.Value",
        _ => "interface {}",
    };

    private Command Function(IdentifierNode id, List<Node> cmdArgs, Node at)
    {
        if (!set.Functions.TryGetValue(id.Ident, out FunctionInfo? f))
        {
            return (s, _, _) => throw set.Error(s, at, $"\"{id.Ident}\" is not a defined function");
        }

        int given = cmdArgs.Count - 1;
        Eval[] args = [.. cmdArgs.Skip(1).Select((a, i) => Arg(a, f.KindAt(i)))];
        bool andOr = f.IsBuiltin && (f.Name == "and" || f.Name == "or");
        bool isOr = f.Name == "or";
        return (s, dot, final) =>
        {
            bool hasFinal = final is not NoFinal;
            int numIn = given + (hasFinal ? 1 : 0);
            if (f.Variadic is not null)
            {
                if (numIn < f.Fixed.Length)
                {
                    throw set.Error(s, at, $"wrong number of args for {f.Name}: want at least {f.Fixed.Length} got {given}");
                }
            }
            else if (numIn != f.Fixed.Length)
            {
                throw set.Error(s, at, $"wrong number of args for {f.Name}: want {f.Fixed.Length} got {numIn}");
            }

            if (andOr)
            {
                object? v = null;
                foreach (Eval arg in args)
                {
                    v = arg(s, dot);
                    if (GoValues.Truth(v) == isOr)
                    {
                        return v;
                    }
                }

                if (hasFinal)
                {
                    v = Validate(s, at, final, GoParamType.Value);
                }

                return v;
            }

            object?[] argv = new object?[numIn];
            for (int i = 0; i < args.Length; i++)
            {
                argv[i] = args[i](s, dot);
            }

            if (hasFinal)
            {
                argv[numIn - 1] = Validate(s, at, final, f.KindAt(numIn - 1));
            }

            try
            {
                return f.Invoke(argv);
            }
            catch (FuncError ex)
            {
                throw set.Error(s, at, $"error calling {f.Name}: {ex.Message}");
            }
            catch (EvaluationLimitException ex)
            {
                throw set.Error(s, at, $"error calling {f.Name}: {ex.Message}");
            }
        };
    }

    private object? FieldChain(State s, object? dot, object? receiver, Node node, FieldPath path, Eval[] args, object? final)
    {
        string[] names = path.Names;
        int n = names.Length;
        for (int i = 0; i < n - 1; i++)
        {
            receiver = receiver is ObjectMap map && map.TryGetField(names[i], ref path.Hints[i], out object? found)
                ? found
                : Field(s, dot, names[i], node, NoArgs, NoFinal.Value, receiver);
        }

        if (args.Length == 0 && final is NoFinal && receiver is ObjectMap last && last.TryGetField(names[n - 1], ref path.Hints[n - 1], out object? value))
        {
            return value;
        }

        return Field(s, dot, names[n - 1], node, args, final, receiver);
    }

    /// <summary>
    /// The keys of a field chain (<c>.a.b.c</c>), shared with decoded objects' keys, and per key the position where
    /// it was found last time (objects of one kind share a shape, so the next read is usually one comparison).
    /// </summary>
    private sealed class FieldPath(string[] names)
    {
        public string[] Names { get; } = [.. names.Select(ObjectModel.InternKey)];

        public int[] Hints { get; } = new int[names.Length];
    }

    private object? Field(State s, object? dot, string name, Node node, Eval[] args, object? final, object? receiver)
    {
        if (receiver is Missing)
        {
            if (set.Options.MissingKey == MissingKey.Error)
            {
                throw set.Error(s, node, $"nil data; no entry for key \"{name}\"");
            }

            return Missing.Value;
        }

        if (receiver is null)
        {
            throw set.Error(s, node, $"nil pointer evaluating interface {{}}.{name}");
        }

        bool hasArgs = args.Length > 0 || final is not NoFinal;
        if (!hasArgs && receiver is ObjectMap dictionary)
        {
            if (dictionary.TryGetValue(name, out object? found))
            {
                return found;
            }

            return set.Options.MissingKey switch
            {
                MissingKey.Zero => null,
                MissingKey.Error => throw set.Error(s, node, $"map has no entry for key \"{name}\""),
                _ => Missing.Value,
            };
        }

        if (receiver is IGoObject goObject && goObject.TryGetMethod(name, out GoFunction? method))
        {
            object?[] argv = new object?[args.Length + (final is NoFinal ? 0 : 1)];
            for (int i = 0; i < args.Length; i++)
            {
                argv[i] = args[i](s, dot);
            }

            if (final is not NoFinal)
            {
                argv[^1] = Validate(s, node, final, GoParamType.Any);
            }

            try
            {
                return method.Call(argv);
            }
            catch (GoFunctionException ex)
            {
                throw set.Error(s, node, $"error calling {name}: {ex.Message}");
            }
        }

        if (receiver is IDictionary<string, object?> map)
        {
            if (hasArgs)
            {
                throw set.Error(s, node, $"{name} is not a method but has arguments");
            }

            if (map.TryGetValue(name, out object? value))
            {
                return value;
            }

            return set.Options.MissingKey switch
            {
                MissingKey.Zero => null,
                MissingKey.Error => throw set.Error(s, node, $"map has no entry for key \"{name}\""),
                _ => Missing.Value,
            };
        }

        throw set.Error(s, node, $"can't evaluate field {name} in type {GoFmt.TypeName(receiver)}");
    }
}
