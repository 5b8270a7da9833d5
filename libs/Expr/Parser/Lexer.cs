using System.Globalization;
using System.Numerics;
using System.Text;

namespace Lookout.Expr;

internal enum Kind
{
    Number,
    String,
    Identifier,
    Operator,
    Bracket,
    Eof,
}

internal readonly record struct Token(Kind Kind, string Value, int Pos, object? Literal = null);

/// <summary>expr-lang's lexer (v1.17): numbers with underscores and prefixes, three kinds of strings, operators.</summary>
internal static class Lexer
{
    private static readonly string[] Operators =
    [
        "...", "??", "?.", "..", "==", "!=", "<=", ">=", "&&", "||", "**", "|", "!", "<", ">", "+", "-", "*", "/", "%", "^", "?", ":", ".", ",", ";", "=", "#",
    ];

    public static List<Token> Lex(string text, string source)
    {
        var tokens = new List<Token>();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }

                continue;
            }

            if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                int end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    throw new ExprException("unclosed comment", source, text, i);
                }

                i = end + 2;
                continue;
            }

            if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]) && (tokens.Count == 0 || !IsValueEnd(tokens[^1]))))
            {
                int start = i;
                i = Number(text, i, source, tokens);
                if (i < text.Length && (char.IsLetter(text[i]) || text[i] == '_'))
                {
                    throw new ExprException($"bad number syntax: \"{text[start..(i + 1)]}\"", source, text, start);
                }

                continue;
            }

            if (c is '"' or '\'')
            {
                i = Quoted(text, i, source, tokens);
                continue;
            }

            if (c == '`')
            {
                // A raw string; two backquotes stand for one.
                var raw = new StringBuilder();
                int j = i + 1;
                while (true)
                {
                    if (j >= text.Length)
                    {
                        throw new ExprException("literal not terminated", source, text, i);
                    }

                    if (text[j] == '`')
                    {
                        if (j + 1 < text.Length && text[j + 1] == '`')
                        {
                            raw.Append('`');
                            j += 2;
                            continue;
                        }

                        break;
                    }

                    raw.Append(text[j]);
                    j++;
                }

                tokens.Add(new Token(Kind.String, text[i..(j + 1)], i, raw.ToString()));
                i = j + 1;
                continue;
            }

            if (char.IsLetter(c) || c == '_' || c == '$')
            {
                int start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_' || text[i] == '$'))
                {
                    i++;
                }

                tokens.Add(new Token(Kind.Identifier, text[start..i], start));
                continue;
            }

            if (c is '(' or ')' or '[' or ']' or '{' or '}')
            {
                tokens.Add(new Token(Kind.Bracket, c.ToString(), i));
                i++;
                continue;
            }

            string? op = Operators.FirstOrDefault(o => string.CompareOrdinal(text, i, o, 0, o.Length) == 0);
            if (op is not null)
            {
                if (op == "#")
                {
                    // #, #index, #acc: the closure's pointer.
                    int start = i;
                    i++;
                    while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                    {
                        i++;
                    }

                    tokens.Add(new Token(Kind.Identifier, text[start..i], start));
                    continue;
                }

                tokens.Add(new Token(Kind.Operator, op, i));
                i += op.Length;
                continue;
            }

            throw new ExprException($"unrecognized character: U+{(int)c:X4} '{c}'", source, text, i);
        }

        tokens.Add(new Token(Kind.Eof, string.Empty, text.Length));
        return tokens;
    }

    private static bool IsValueEnd(Token t) => t.Kind is Kind.Number or Kind.String or Kind.Identifier || (t.Kind == Kind.Bracket && t.Value is ")" or "]" or "}");

    private static int Number(string text, int i, string source, List<Token> tokens)
    {
        int start = i;
        bool isFloat = false;
        if (text[i] == '0' && i + 1 < text.Length && "xXoObB".Contains(text[i + 1], StringComparison.Ordinal))
        {
            char p = char.ToLowerInvariant(text[i + 1]);
            i += 2;
            while (i < text.Length && (char.IsAsciiHexDigit(text[i]) || text[i] == '_'))
            {
                i++;
            }

            string digits = text[(start + 2)..i].Replace("_", string.Empty, StringComparison.Ordinal);
            int radix = p == 'x' ? 16 : p == 'o' ? 8 : 2;
            try
            {
                long v = Convert.ToInt64(digits, radix);
                tokens.Add(new Token(Kind.Number, text[start..i], start, v));
            }
            catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
            {
                throw new ExprException($"invalid number literal {text[start..i]}", source, text, start);
            }

            return i;
        }

        while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '_'))
        {
            i++;
        }

        if (i < text.Length && text[i] == '.' && !(i + 1 < text.Length && text[i + 1] == '.'))
        {
            isFloat = true;
            i++;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '_'))
            {
                i++;
            }
        }

        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            int save = i;
            i++;
            if (i < text.Length && (text[i] == '+' || text[i] == '-'))
            {
                i++;
            }

            if (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                isFloat = true;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }
            }
            else
            {
                i = save;
            }
        }

        string raw = text[start..i];
        string clean = raw.Replace("_", string.Empty, StringComparison.Ordinal);
        if (isFloat)
        {
            if (!double.TryParse(clean, NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
            {
                throw new ExprException($"invalid float literal: {raw}", source, text, start);
            }

            tokens.Add(new Token(Kind.Number, raw, start, d));
        }
        else
        {
            if (!BigInteger.TryParse(clean, NumberStyles.None, CultureInfo.InvariantCulture, out BigInteger big) || big > long.MaxValue)
            {
                throw new ExprException($"integer literal is too large: {raw}", source, text, start);
            }

            tokens.Add(new Token(Kind.Number, raw, start, (long)big));
        }

        return i;
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';

    private static int Quoted(string text, int i, string source, List<Token> tokens)
    {
        char quote = text[i];
        int start = i;
        var b = new StringBuilder();
        i++;
        while (true)
        {
            if (i >= text.Length || text[i] == '\n')
            {
                throw new ExprException("literal not terminated", source, text, start);
            }

            char c = text[i];
            if (c == quote)
            {
                i++;
                break;
            }

            if (c != '\\')
            {
                b.Append(c);
                i++;
                continue;
            }

            i++;
            if (i >= text.Length)
            {
                throw new ExprException("literal not terminated", source, text, start);
            }

            char e = text[i];
            switch (e)
            {
                case 'a': b.Append('\a'); i++; break;
                case 'b': b.Append('\b'); i++; break;
                case 'f': b.Append('\f'); i++; break;
                case 'n': b.Append('\n'); i++; break;
                case 'r': b.Append('\r'); i++; break;
                case 't': b.Append('\t'); i++; break;
                case 'v': b.Append('\v'); i++; break;
                case '\\': b.Append('\\'); i++; break;
                case '\'' or '"' when e == quote: b.Append(e); i++; break;
                case 'u' when i + 1 < text.Length && text[i + 1] == '{':
                    {
                        int close = text.IndexOf('}', i + 2);
                        if (close < 0 || close - (i + 2) is < 1 or > 6 || !int.TryParse(text.AsSpan(i + 2, close - (i + 2)), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int v) || v > 0x10FFFF)
                        {
                            throw new ExprException("invalid char escape", source, text, i);
                        }

                        b.Append(char.ConvertFromUtf32(v is >= 0xD800 and <= 0xDFFF ? 0xFFFD : v));
                        i = close + 1;
                        break;
                    }

                case 'x' or 'u' or 'U':
                    {
                        int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                        if (i + 1 + n > text.Length || !int.TryParse(text.AsSpan(i + 1, n), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int v) || v > 0x10FFFF)
                        {
                            throw new ExprException("invalid char escape", source, text, i);
                        }

                        b.Append(char.ConvertFromUtf32(v is >= 0xD800 and <= 0xDFFF ? 0xFFFD : v));
                        i += 1 + n;
                        break;
                    }

                case >= '0' and <= '7':
                    {
                        if (i + 3 > text.Length || !IsOctal(text[i]) || !IsOctal(text[i + 1]) || !IsOctal(text[i + 2]))
                        {
                            throw new ExprException("invalid char escape", source, text, i);
                        }

                        int v = Convert.ToInt32(text.Substring(i, 3), 8);
                        if (v > 255)
                        {
                            throw new ExprException("octal escape value > 255", source, text, i);
                        }

                        b.Append((char)v);
                        i += 3;
                        break;
                    }

                default:
                    throw new ExprException("invalid char escape", source, text, i);
            }
        }

        tokens.Add(new Token(Kind.String, text[start..i], start, b.ToString()));
        return i;
    }
}
