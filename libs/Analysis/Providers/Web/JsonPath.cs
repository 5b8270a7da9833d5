using System.Globalization;
using System.Text;
using Lookout.Values;

namespace Lookout.Analysis.Providers.Web;

/// <summary>
/// Kubernetes JSONPath as client-go's <c>util/jsonpath</c> parses and evaluates it (<c>{$.data.ok}</c>,
/// <c>{.items[0].value}</c>, <c>{$..name}</c>, <c>{.items[?(@.status=="up")].value}</c>, slices, unions and
/// wildcards), over JSON decoded as Go decodes it (numbers are float64). Missing keys are errors, as there.
/// <c>range</c>/<c>end</c> are not supported. Parsing has no recursion without bound: nesting only comes from
/// filters and unions, each parsed from a strictly shorter text.
/// </summary>
public sealed class JsonPath
{
    private readonly List<Node> root;

    private JsonPath(List<Node> root) => this.root = root;

    /// <summary>Parses a template such as <c>{$.status}</c>.</summary>
    /// <exception cref="FormatException">The template is not valid JSONPath (client-go's messages).</exception>
    public static JsonPath Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var nodes = new List<Node>();
        int pos = 0;
        while (pos < text.Length)
        {
            int open = text.IndexOf('{', pos);
            if (open < 0)
            {
                nodes.Add(new TextNode(text[pos..]));
                break;
            }

            if (open > pos)
            {
                nodes.Add(new TextNode(text[pos..open]));
            }

            int close = text.IndexOf('}', open + 1);
            if (close < 0 || text.AsSpan(open, close - open).IndexOfAny('\r', '\n') >= 0)
            {
                throw new FormatException("unclosed action");
            }

            nodes.Add(new ListNode(ParseAction(text[(open + 1)..close])));
            pos = close + 1;
        }

        return new JsonPath(nodes);
    }

    /// <summary>client-go's <c>FindResults</c>: one list of values per node of the template.</summary>
    /// <exception cref="FormatException">A key is missing, an index is out of range, or a filter cannot compare.</exception>
    public List<List<object?>> FindResults(object? data)
    {
        var all = new List<List<object?>>();
        foreach (Node node in root)
        {
            all.Add(Walk([data], node));
        }

        return all;
    }

    /// <summary>The first value found (what Argo's web provider takes), and whether there was one.</summary>
    public bool TryFirst(object? data, out object? value)
    {
        foreach (List<object?> results in FindResults(data))
        {
            if (results.Count > 0)
            {
                value = results[0];
                return true;
            }
        }

        value = null;
        return false;
    }

    private static List<Node> ParseAction(string s)
    {
        var nodes = new List<Node>();
        int i = 0;
        while (i < s.Length)
        {
            char c = s[i];
            if (s.AsSpan(i).StartsWith("[?("))
            {
                i = ParseFilter(s, i, nodes);
            }
            else if (s.AsSpan(i).StartsWith(".."))
            {
                if (nodes.Count > 0 && nodes[^1] is RecursiveNode)
                {
                    throw new FormatException("invalid multiple recursive descent");
                }

                nodes.Add(new RecursiveNode());
                i += 2;
                if (i < s.Length && IsAlphaNumeric(s[i]))
                {
                    i = ParseField(s, i, nodes);
                }
            }
            else if (c is ' ' or '@' or '$')
            {
                i++;
            }
            else if (c == '[')
            {
                int close = s.IndexOf(']', i);
                if (close < 0)
                {
                    throw new FormatException("unterminated array");
                }

                ParseArray(s[(i + 1)..close], nodes);
                i = close + 1;
            }
            else if (c is '"' or '\'')
            {
                int end = i + 1;
                while (end < s.Length && !(s[end] == c && s[end - 1] != '\\'))
                {
                    end++;
                }

                if (end >= s.Length)
                {
                    throw new FormatException("unterminated quoted string");
                }

                nodes.Add(new TextNode(Unquote(s[(i + 1)..end], c)));
                i = end + 1;
            }
            else if (c == '.')
            {
                i = ParseField(s, i + 1, nodes);
            }
            else if (c is '+' or '-' || char.IsDigit(c))
            {
                int end = i + 1;
                while (end < s.Length && (s[end] == '.' || char.IsDigit(s[end])))
                {
                    end++;
                }

                string number = s[i..end];
                nodes.Add(int.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n) ? new IntNode(n)
                    : double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? new FloatNode(d)
                    : throw new FormatException($"cannot parse number {number}"));
                i = end;
            }
            else if (IsAlphaNumeric(c))
            {
                int end = i;
                while (end < s.Length && !IsTerminator(s[end]))
                {
                    end++;
                }

                string word = s[i..end];
                nodes.Add(word switch
                {
                    "true" => new BoolNode(true),
                    "false" => new BoolNode(false),
                    "range" or "end" => throw new FormatException($"{word} is not supported here: a web metric takes the first value found"),
                    _ => throw new FormatException($"unrecognized identifier {word}"),
                });
                i = end;
            }
            else
            {
                throw new FormatException($"unrecognized character in action: U+{(int)c:X4} '{c}'");
            }
        }

        return nodes;
    }

    private static int ParseField(string s, int i, List<Node> nodes)
    {
        var sb = new StringBuilder();
        while (i < s.Length && !IsTerminator(s[i]))
        {
            if (s[i] == '\\' && i + 1 < s.Length)
            {
                i++;
            }

            sb.Append(s[i++]);
        }

        nodes.Add(sb.ToString() == "*" ? new WildcardNode() : new FieldNode(sb.ToString()));
        return i;
    }

    private static void ParseArray(string text, List<Node> nodes)
    {
        if (text == "*")
        {
            text = ":";
        }

        string[] parts = text.Split(',');
        if (parts.Length > 1)
        {
            nodes.Add(new UnionNode(parts.Select(p => ParseAction($"[{p.Trim(' ')}]")).ToList()));
            return;
        }

        if (text.Length >= 2 && text[0] == '\'' && text[^1] == '\'' && text.IndexOf('\'', 1) == text.Length - 1)
        {
            nodes.AddRange(ParseAction("." + text[1..^1]));
            return;
        }

        string[] slice = text.Split(':');
        if (slice.Length > 3 || slice.Any(p => p.Length > 0 && !int.TryParse(p, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)))
        {
            throw new FormatException($"invalid array index {text}");
        }

        var p = new Param[3];
        p[0] = slice[0].Length > 0 ? new Param(true, int.Parse(slice[0], CultureInfo.InvariantCulture), false) : new Param(false, 0, false);
        p[1] = slice.Length > 1
            ? (slice[1].Length > 0 ? new Param(true, int.Parse(slice[1], CultureInfo.InvariantCulture), false) : new Param(false, 0, false))
            : (slice[0].Length > 0 ? new Param(true, p[0].Value + 1, true) : new Param(false, 0, false));
        p[2] = slice.Length > 2 && slice[2].Length > 0 ? new Param(true, int.Parse(slice[2], CultureInfo.InvariantCulture), false) : new Param(false, 0, false);
        nodes.Add(new ArrayNode(p));
    }

    private static int ParseFilter(string s, int start, List<Node> nodes)
    {
        int i = start + 3;
        bool begin = false, end = false;
        char pair = '\0';
        for (; ; i++)
        {
            if (i >= s.Length)
            {
                throw new FormatException("unterminated filter");
            }

            char r = s[i];
            if (r is '"' or '\'')
            {
                if (!begin)
                {
                    begin = true;
                    pair = r;
                }
                else if (s[i - 1] != '\\' && r == pair)
                {
                    end = true;
                }
            }
            else if (r == ')' && begin == end)
            {
                break;
            }
        }

        if (i + 1 >= s.Length || s[i + 1] != ']')
        {
            throw new FormatException("unclosed array expect ]");
        }

        string body = s[(start + 3)..i];
        int opStart = body.IndexOfAny(['!', '<', '>', '=']);
        if (opStart <= 0)
        {
            nodes.Add(new FilterNode(ParseAction(body), [], "exists"));
        }
        else
        {
            int opEnd = opStart;
            while (opEnd < body.Length && body[opEnd] is '!' or '<' or '>' or '=')
            {
                opEnd++;
            }

            nodes.Add(new FilterNode(ParseAction(body[..opStart]), ParseAction(body[opEnd..]), body[opStart..opEnd]));
        }

        return i + 2;
    }

    private static List<object?> Walk(List<object?> input, Node node) => node switch
    {
        TextNode t => [t.Text],
        ListNode l => WalkAll(input, l.Nodes),
        FieldNode f => EvalField(input, f.Name),
        ArrayNode a => EvalArray(input, a.Params),
        FilterNode f => EvalFilter(input, f),
        IntNode n => input.Select(_ => (object?)(long)n.Value).ToList(),
        FloatNode n => input.Select(_ => (object?)n.Value).ToList(),
        BoolNode n => input.Select(_ => (object?)n.Value).ToList(),
        WildcardNode => input.SelectMany(Children).ToList(),
        RecursiveNode => Recursive(input),
        UnionNode u => u.Lists.SelectMany(l => WalkAll(input, l)).ToList(),
        _ => throw new FormatException($"unexpected node {node}"),
    };

    private static List<object?> WalkAll(List<object?> input, List<Node> nodes)
    {
        foreach (Node n in nodes)
        {
            input = Walk(input, n);
        }

        return input;
    }

    private static List<object?> EvalField(List<object?> input, string name)
    {
        if (input.Count == 0)
        {
            return [];
        }

        var results = new List<object?>();
        foreach (object? v in input)
        {
            if (v is ObjectMap m && m.TryGetValue(name, out object? found))
            {
                results.Add(found);
            }
        }

        return results.Count > 0 ? results : throw new FormatException($"{name} is not found");
    }

    private static List<object?> EvalArray(List<object?> input, Param[] p)
    {
        var result = new List<object?>();
        foreach (object? v in input)
        {
            if (v is null)
            {
                continue;
            }

            if (v is not List<object?> list)
            {
                throw new FormatException($"{GoFmt.TypeName(v)} is not array or slice");
            }

            int len = list.Count;
            int start = p[0].Known ? p[0].Value : 0;
            if (start < 0)
            {
                start += len;
            }

            int stop = p[1].Known ? p[1].Value : len;
            if (stop < 0 || (stop == 0 && p[1].Derived))
            {
                stop += len;
            }

            if (stop == start)
            {
                return result;
            }

            if (start >= len || start < 0)
            {
                throw new FormatException($"array index out of bounds: index {start}, length {len}");
            }

            if (stop > len || stop < 0)
            {
                throw new FormatException($"array index out of bounds: index {stop - 1}, length {len}");
            }

            if (start > stop)
            {
                throw new FormatException($"starting index {start} is greater than ending index {stop}");
            }

            int step = 1;
            if (p[2].Known)
            {
                step = p[2].Value > 0 ? p[2].Value : throw new FormatException("step must be > 0");
            }

            for (int i = start; i < stop; i += step)
            {
                result.Add(list[i]);
            }
        }

        return result;
    }

    private static List<object?> EvalFilter(List<object?> input, FilterNode f)
    {
        var results = new List<object?>();
        foreach (object? v in input)
        {
            if (v is not List<object?> list)
            {
                throw new FormatException($"{GoFmt.ToString(v)} is not array or slice and cannot be filtered");
            }

            foreach (object? item in list)
            {
                if (f.Operator == "exists")
                {
                    try
                    {
                        if (WalkAll([item], f.Left).Count > 0)
                        {
                            results.Add(item);
                        }
                    }
                    catch (FormatException)
                    {
                        // A missing key means the element does not have it.
                    }

                    continue;
                }

                List<object?> lefts = WalkAll([item], f.Left);
                if (lefts.Count == 0)
                {
                    continue;
                }

                if (lefts.Count > 1)
                {
                    throw new FormatException("can only compare one element at a time");
                }

                List<object?> rights = WalkAll([item], f.Right);
                if (rights.Count == 0)
                {
                    continue;
                }

                if (rights.Count > 1)
                {
                    throw new FormatException("can only compare one element at a time");
                }

                if (Compare(lefts[0], rights[0], f.Operator))
                {
                    results.Add(item);
                }
            }
        }

        return results;
    }

    /// <summary>Go's text/template comparisons (<c>eq</c>, <c>lt</c>…): same basic kind, else an error.</summary>
    private static bool Compare(object? left, object? right, string op)
    {
        int? order = (left, right) switch
        {
            (string a, string b) => string.CompareOrdinal(a, b),
            (long a, long b) => a.CompareTo(b),
            (double a, double b) => a.CompareTo(b),
            (bool a, bool b) when op is "==" or "!=" => a == b ? 0 : 1,
            (bool, bool) => throw new FormatException("invalid type for comparison"),
            _ => throw new FormatException("incompatible types for comparison"),
        };
        return op switch
        {
            "==" => order == 0,
            "!=" => order != 0,
            "<" => order < 0,
            ">" => order > 0,
            "<=" => order <= 0,
            ">=" => order >= 0,
            _ => throw new FormatException($"unrecognized filter operator {op}"),
        };
    }

    private static IEnumerable<object?> Children(object? v) => v switch
    {
        ObjectMap m => m.Values,
        List<object?> l => l,
        _ => [],
    };

    private static List<object?> Recursive(List<object?> input)
    {
        // Breadth-first with an explicit stack (no recursion on user data), in client-go's order: a node, then its descendants.
        var result = new List<object?>();
        foreach (object? v in input)
        {
            var stack = new Stack<object?>();
            stack.Push(v);
            while (stack.Count > 0)
            {
                object? cur = stack.Pop();
                var children = Children(cur).ToList();
                if (children.Count == 0)
                {
                    continue;
                }

                result.Add(cur);
                for (int i = children.Count - 1; i >= 0; i--)
                {
                    stack.Push(children[i]);
                }
            }
        }

        return result;
    }

    private static string Unquote(string s, char quote)
    {
        if (!s.Contains('\\', StringComparison.Ordinal))
        {
            return s;
        }

        var sb = new StringBuilder();
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 1 < s.Length)
            {
                i++;
                sb.Append(s[i] switch { 'n' => '\n', 't' => '\t', 'r' => '\r', _ => s[i] });
            }
            else
            {
                sb.Append(s[i]);
            }
        }

        return sb.ToString();
    }

    private static bool IsAlphaNumeric(char c) => c == '_' || char.IsLetterOrDigit(c);

    private static bool IsTerminator(char c) => c is ' ' or '\t' or '\r' or '\n' or '.' or ',' or '[' or ']' or '$' or '@' or '{' or '}';

    private abstract record Node;

    private sealed record TextNode(string Text) : Node;

    private sealed record ListNode(List<Node> Nodes) : Node;

    private sealed record FieldNode(string Name) : Node;

    private sealed record ArrayNode(Param[] Params) : Node;

    private sealed record FilterNode(List<Node> Left, List<Node> Right, string Operator) : Node;

    private sealed record IntNode(int Value) : Node;

    private sealed record FloatNode(double Value) : Node;

    private sealed record BoolNode(bool Value) : Node;

    private sealed record WildcardNode : Node;

    private sealed record RecursiveNode : Node;

    private sealed record UnionNode(List<List<Node>> Lists) : Node;

    private readonly record struct Param(bool Known, int Value, bool Derived);
}
