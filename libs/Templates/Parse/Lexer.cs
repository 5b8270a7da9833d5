namespace Lookout.Templates.Parse;

/// <summary>The kinds of tokens of Go's text/template lexer.</summary>
internal enum TokenType
{
    Error,
    Bool,
    Char,
    CharConstant,
    Assign,
    Declare,
    Eof,
    Field,
    Identifier,
    LeftDelim,
    LeftParen,
    Number,
    Pipe,
    RawString,
    RightDelim,
    RightParen,
    Space,
    String,
    Text,
    Variable,
    Dot,
    Nil,
    Block,
    Break,
    Continue,
    Define,
    Else,
    End,
    If,
    Range,
    Template,
    With,
}

/// <summary>A lexer state: consumes some input and returns the next state, or null when done.</summary>
internal delegate StateFn? StateFn();

/// <summary>One token: its type, text and byte offset in the template.</summary>
internal readonly record struct Token(TokenType Type, int Pos, string Value);

/// <summary>
/// Go's text/template lexer (text/template/parse/lex.go), producing all tokens up front: text, delimiters with
/// trim markers, comments, and the words of actions.
/// </summary>
internal sealed class Lexer
{
    private const string LeftDelim = "{{";
    private const string RightDelim = "}}";
    private const string LeftComment = "/*";
    private const string RightComment = "*/";

    private static readonly Dictionary<string, TokenType> Keywords = new(StringComparer.Ordinal)
    {
        ["block"] = TokenType.Block,
        ["break"] = TokenType.Break,
        ["continue"] = TokenType.Continue,
        ["define"] = TokenType.Define,
        ["else"] = TokenType.Else,
        ["end"] = TokenType.End,
        ["if"] = TokenType.If,
        ["range"] = TokenType.Range,
        ["nil"] = TokenType.Nil,
        ["template"] = TokenType.Template,
        ["with"] = TokenType.With,
    };

    private readonly string input;
    private readonly List<Token> tokens = [];
    private int start;
    private int pos;
    private int parenDepth;

    private Lexer(string input) => this.input = input;

    /// <summary>Lexes a whole template; the last token is <see cref="TokenType.Eof"/> or <see cref="TokenType.Error"/>.</summary>
    public static List<Token> Lex(string input)
    {
        var lexer = new Lexer(input);
        lexer.Run();
        return lexer.tokens;
    }

    private void Run()
    {
        StateFn? state = LexText;
        while (state is not null)
        {
            state = state();
        }
    }

    private int Peek() => pos < input.Length ? input[pos] : -1;

    private int Next()
    {
        if (pos >= input.Length)
        {
            pos++;
            return -1;
        }

        return input[pos++];
    }

    private void Backup() => pos--;

    private void Emit(TokenType type)
    {
        tokens.Add(new Token(type, start, input[start..Math.Min(pos, input.Length)]));
        start = pos;
    }

    private void Ignore() => start = pos;

    private StateFn? Error(string message)
    {
        tokens.Add(new Token(TokenType.Error, start, message));
        return null;
    }

    private static bool IsSpace(int r) => r is ' ' or '\t' or '\r' or '\n';

    private static bool IsAlphaNumeric(int r) => r == '_' || (r >= 0 && (char.IsLetter((char)r) || char.IsDigit((char)r)));

    private bool HasLeftTrimMarker(int at) => at + 1 < input.Length && input[at] == '-' && IsSpace(input[at + 1]);

    private bool HasRightTrimMarker(int at) => at + 1 < input.Length && IsSpace(input[at]) && input[at + 1] == '-';

    private bool StartsWithAt(int at, string s) => at >= 0 && at <= input.Length && string.CompareOrdinal(input, at, s, 0, s.Length) == 0 && at + s.Length <= input.Length;

    private (bool Delim, bool Trim) AtRightDelim()
    {
        if (HasRightTrimMarker(pos) && StartsWithAt(pos + 2, RightDelim))
        {
            return (true, true);
        }

        return (StartsWithAt(pos, RightDelim), false);
    }

    private StateFn? LexText()
    {
        int x = input.IndexOf(LeftDelim, pos, StringComparison.Ordinal);
        if (x >= 0)
        {
            pos = x;
            int trimLength = 0;
            if (HasLeftTrimMarker(pos + LeftDelim.Length))
            {
                int end = pos;
                while (end > start && IsSpace(input[end - 1]))
                {
                    end--;
                }

                trimLength = pos - end;
            }

            pos -= trimLength;
            if (pos > start)
            {
                Emit(TokenType.Text);
            }

            pos += trimLength;
            Ignore();
            return LexLeftDelim;
        }

        pos = input.Length;
        if (pos > start)
        {
            Emit(TokenType.Text);
        }

        Emit(TokenType.Eof);
        return null;
    }

    private StateFn? LexLeftDelim()
    {
        pos += LeftDelim.Length;
        bool trim = HasLeftTrimMarker(pos);
        int afterMarker = trim ? 2 : 0;
        if (StartsWithAt(pos + afterMarker, LeftComment))
        {
            pos += afterMarker;
            Ignore();
            return LexComment;
        }

        Emit(TokenType.LeftDelim);
        pos += afterMarker;
        Ignore();
        parenDepth = 0;
        return LexInsideAction;
    }

    private StateFn? LexComment()
    {
        pos += LeftComment.Length;
        int i = input.IndexOf(RightComment, pos, StringComparison.Ordinal);
        if (i < 0)
        {
            return Error("unclosed comment");
        }

        pos = i + RightComment.Length;
        (bool delim, bool trim) = AtRightDelim();
        if (!delim)
        {
            return Error("comment ends before closing delimiter");
        }

        if (trim)
        {
            pos += 2;
        }

        pos += RightDelim.Length;
        if (trim)
        {
            while (pos < input.Length && IsSpace(input[pos]))
            {
                pos++;
            }
        }

        Ignore();
        return LexText;
    }

    private StateFn? LexRightDelim()
    {
        bool trim = HasRightTrimMarker(pos);
        if (trim)
        {
            pos += 2;
            Ignore();
        }

        pos += RightDelim.Length;
        Emit(TokenType.RightDelim);
        if (trim)
        {
            while (pos < input.Length && IsSpace(input[pos]))
            {
                pos++;
            }

            Ignore();
        }

        return LexText;
    }

    private StateFn? LexInsideAction()
    {
        (bool delim, _) = AtRightDelim();
        if (delim)
        {
            if (parenDepth == 0)
            {
                return LexRightDelim;
            }

            return Error("unclosed left paren");
        }

        int r = Next();
        switch (r)
        {
            case -1:
                return Error("unclosed action");
            case ' ' or '\t' or '\r' or '\n':
                Backup();
                return LexSpace;
            case '=':
                Emit(TokenType.Assign);
                break;
            case ':':
                if (Next() != '=')
                {
                    return Error("expected :=");
                }

                Emit(TokenType.Declare);
                break;
            case '|':
                Emit(TokenType.Pipe);
                break;
            case '"':
                return LexQuote;
            case '`':
                return LexRawQuote;
            case '$':
                return LexVariable;
            case '\'':
                return LexChar;
            case '.':
                if (pos < input.Length && (input[pos] < '0' || input[pos] > '9'))
                {
                    return LexField;
                }

                Backup();
                return LexNumber;
            case '+' or '-' or (>= '0' and <= '9'):
                Backup();
                return LexNumber;
            case '(':
                Emit(TokenType.LeftParen);
                parenDepth++;
                break;
            case ')':
                Emit(TokenType.RightParen);
                parenDepth--;
                if (parenDepth < 0)
                {
                    return Error("unexpected right paren U+0029 ')'");
                }

                break;
            default:
                if (IsAlphaNumeric(r))
                {
                    Backup();
                    return LexIdentifier;
                }

                if (r is > ' ' and < 0x7f)
                {
                    Emit(TokenType.Char);
                    break;
                }

                return Error($"unrecognized character in action: {Describe(r)}");
        }

        return LexInsideAction;
    }

    private static string Describe(int r) => $"U+{r:X4}" + (r is >= ' ' and < 0x7f ? $" '{(char)r}'" : string.Empty);

    private StateFn? LexSpace()
    {
        int numSpaces = 0;
        while (IsSpace(Peek()))
        {
            Next();
            numSpaces++;
        }

        if (HasRightTrimMarker(pos - 1) && StartsWithAt(pos - 1 + 2, RightDelim))
        {
            Backup();
            if (numSpaces == 1)
            {
                return LexRightDelim;
            }
        }

        Emit(TokenType.Space);
        return LexInsideAction;
    }

    private StateFn? LexIdentifier()
    {
        while (IsAlphaNumeric(Peek()))
        {
            Next();
        }

        if (!AtTerminator())
        {
            return Error($"bad character {Describe(Peek())}");
        }

        string word = input[start..pos];
        if (Keywords.TryGetValue(word, out TokenType keyword))
        {
            Emit(keyword);
        }
        else if (word is "true" or "false")
        {
            Emit(TokenType.Bool);
        }
        else
        {
            Emit(TokenType.Identifier);
        }

        return LexInsideAction;
    }

    private StateFn? LexField() => LexFieldOrVariable(TokenType.Field);

    private StateFn? LexVariable() => LexFieldOrVariable(TokenType.Variable);

    private StateFn? LexFieldOrVariable(TokenType type)
    {
        if (AtTerminator())
        {
            Emit(type == TokenType.Variable ? TokenType.Variable : TokenType.Dot);
            return LexInsideAction;
        }

        int r;
        while (true)
        {
            r = Next();
            if (!IsAlphaNumeric(r))
            {
                Backup();
                break;
            }
        }

        if (!AtTerminator())
        {
            return Error($"bad character {Describe(Peek())}");
        }

        Emit(type);
        return LexInsideAction;
    }

    private bool AtTerminator()
    {
        int r = Peek();
        if (IsSpace(r))
        {
            return true;
        }

        return r switch
        {
            -1 or '.' or ',' or '|' or ':' or ')' or '(' => true,
            _ => StartsWithAt(pos, RightDelim),
        };
    }

    private StateFn? LexChar()
    {
        while (true)
        {
            int r = Next();
            if (r == '\\')
            {
                r = Next();
                if (r != -1 && r != '\n')
                {
                    continue;
                }

                return Error("unterminated character constant");
            }

            if (r is -1 or '\n')
            {
                return Error("unterminated character constant");
            }

            if (r == '\'')
            {
                break;
            }
        }

        Emit(TokenType.CharConstant);
        return LexInsideAction;
    }

    private StateFn? LexNumber()
    {
        if (!ScanNumber())
        {
            return Error($"bad number syntax: \"{input[start..Math.Min(pos, input.Length)]}\"");
        }

        Emit(TokenType.Number);
        return LexInsideAction;
    }

    private bool Accept(string valid)
    {
        if (pos < input.Length && valid.Contains(input[pos], StringComparison.Ordinal))
        {
            pos++;
            return true;
        }

        return false;
    }

    private void AcceptRun(string valid)
    {
        while (pos < input.Length && valid.Contains(input[pos], StringComparison.Ordinal))
        {
            pos++;
        }
    }

    private bool ScanNumber()
    {
        Accept("+-");
        string digits = "0123456789_";
        if (Accept("0"))
        {
            if (Accept("xX"))
            {
                digits = "0123456789abcdefABCDEF_";
            }
            else if (Accept("oO"))
            {
                digits = "01234567_";
            }
            else if (Accept("bB"))
            {
                digits = "01_";
            }
        }

        AcceptRun(digits);
        if (Accept("."))
        {
            AcceptRun(digits);
        }

        if (digits.Length == 11 && Accept("eE"))
        {
            Accept("+-");
            AcceptRun("0123456789_");
        }

        if (digits.Length == 23 && Accept("pP"))
        {
            Accept("+-");
            AcceptRun("0123456789_");
        }

        Accept("i");
        if (IsAlphaNumeric(Peek()))
        {
            Next();
            return false;
        }

        return true;
    }

    private StateFn? LexQuote()
    {
        while (true)
        {
            int r = Next();
            if (r == '\\')
            {
                r = Next();
                if (r != -1 && r != '\n')
                {
                    continue;
                }

                return Error("unterminated quoted string");
            }

            if (r is -1 or '\n')
            {
                return Error("unterminated quoted string");
            }

            if (r == '"')
            {
                break;
            }
        }

        Emit(TokenType.String);
        return LexInsideAction;
    }

    private StateFn? LexRawQuote()
    {
        while (true)
        {
            int r = Next();
            if (r == -1)
            {
                return Error("unterminated raw quoted string");
            }

            if (r == '`')
            {
                break;
            }
        }

        Emit(TokenType.RawString);
        return LexInsideAction;
    }
}
