using System.Globalization;
using static Lookout.Hostile.Tests.HostileCase;

namespace Lookout.Hostile.Tests;

/// <summary>
/// Random deep and large inputs for both languages, from a seed: nesting of every construct at depths around and far
/// beyond the limit, values built deep at run time and then walked, allocating functions given huge sizes, and loops
/// doubling what they build. Each generated case must end like a corpus case: a value or a clear error.
/// </summary>
public sealed class HostileGenerator(int seed)
{
    private static readonly int[] Depths = [1, 10, 500, 999, 1000, 1001, 5000, 100_000];
    private static readonly long[] Sizes = [-1_000_000_000, -1, 0, 1, 1000, 1_000_000, 100_000_000, 1_000_000_000, int.MaxValue];
    private static readonly int[] Loops = [10, 40, 1000, 1_000_000, 100_000_000];

    private static readonly (string Open, string Close)[] TemplateNesting =
    [
        ("(", ")"), ("(print ", ")"), ("(list ", ")"), ("(dict \"a\" ", ")"), ("(toJson ", ")"), ("(len (list ", "))"),
    ];

    private static readonly (string Open, string Close)[] TemplateBlocks =
    [
        ("{{if 1}}", "{{end}}"), ("{{with 1}}", "{{end}}"), ("{{range until 1}}", "{{end}}"), ("{{if 0}}{{else}}", "{{end}}"),
        ("{{range $i, $v := list 1}}", "{{end}}"), ("{{block \"b\" .}}", "{{end}}"),
    ];

    private static readonly string[] TemplateBuilders = ["dict \"a\" $x", "list $x", "list $x $x", "dict \"a\" $x \"b\" 1", "append (list) $x"];

    private static readonly string[] TemplateWalkers =
    [
        "{{$x}}", "{{print $x}}", "{{printf \"%v|%+v|%#v\" $x $x $x}}", "{{toJson $x}}", "{{toPrettyJson $x}}", "{{toString $x}}",
        "{{deepCopy $x | len}}", "{{deepEqual $x $x}}", "{{cat $x | len}}", "{{eq $x $x}}", "{{html $x}}", "{{js $x}}", "{{urlquery $x}}",
        "{{merge (dict) (dict \"k\" $x) | len}}", "{{uniq (list $x $x) | len}}", "{{has $x (list $x)}}", "{{quote $x}}", "{{len $x}}",
        "{{fromJson (toJson $x) | len}}", "{{index $x 0}}",
    ];

    private static readonly string[] TemplateAllocators =
    [
        "{{{{repeat {0} \"xy\"}} | len}}", "{{{{until {0} | len}}}}", "{{{{untilStep 0 {0} 1 | len}}}}", "{{{{seq {0} | len}}}}",
        "{{{{randAlpha {0} | len}}}}", "{{{{indent {0} \"a\\nb\" | len}}}}", "{{{{printf \"%{0}d\" 1 | len}}}}", "{{{{printf \"%.{0}f\" 1.0 | len}}}}",
        "{{{{range $i := until {0}}}}}{{{{end}}}}", "{{{{range {0}}}}}{{{{end}}}}", "{{{{wrap {0} (repeat 1000 \"a \") | len}}}}",
        "{{{{substr 0 {0} \"abc\"}}}}", "{{{{trunc {0} \"abc\"}}}}", "{{{{abbrev {0} \"abcdef\"}}}}", "{{{{chunk {0} (list 1 2 3) | len}}}}",
    ];

    private static readonly string[] TemplateDoublers =
    [
        "$s = cat $s $s", "$s = print $s $s", "$s = printf \"%s%s\" $s $s", "$s = b64enc $s", "$s = quote $s $s", "$s = html $s $s",
        "$s = toJson (list $s $s)", "$s = join $s (list $s $s)", "$s = replace \"x\" \"xx\" $s", "$s = nindent 2 (cat $s $s)",
        "$l = concat $l $l", "$l = list $l $l", "$l = append $l $l", "$l = prepend $l 1", "$l = concat $l (until 1000)",
    ];

    private static readonly (string Open, string Close)[] ExprNesting =
    [
        ("(", ")"), ("-", string.Empty), ("not ", string.Empty), ("[", "]"), ("{a: ", "}"), ("abs(", ")"), ("len([", "])"),
        ("true ? ", " : 0"), ("map([1], ", ")"), ("string(", ")"),
    ];

    private static readonly string[] ExprBuilders = ["[#acc]", "{'a': #acc}", "[#acc, #acc]", "{'a': #acc, 'b': [#acc]}"];

    private static readonly string[] ExprWalkers =
    [
        "toJSON(x)", "string(x)", "x == x", "x != y", "x in [x]", "fromJSON(toJSON(x))", "flatten([x])", "type(x)", "len(toJSON(x))",
        "max([x])", "toPairs({'a': x})", "sort([x])", "concat([x], [x])", "x?.a?.a?.a",
    ];

    private static readonly string[] ExprAllocators =
    [
        "repeat('xy', {0})", "len(1..{0})", "len(map(1..{0}, #))", "len(filter(1..{0}, # > 0))", "reduce(1..{0}, #acc + 1, 0)",
        "all(1..{0}, {{all(1..{0}, {{# > 0}})}})", "len(split(repeat('a,', {0}), ','))", "len(join(map(1..{0}, 'ab'), ''))",
        "len(sortBy(1..{0}, -#))", "len(groupBy(1..{0}, # % 7))", "len(toJSON(1..{0}))", "len(replace(repeat('a', {0}), 'a', 'bb'))",
    ];

    private static readonly string[] ExprDoublers =
    [
        "#acc + #acc", "concat(#acc, #acc)", "[#acc, #acc]", "toJSON([#acc, #acc])", "join([#acc, #acc])", "upper(#acc + #acc)",
        "replace(#acc, 'x', 'xx')", "trim(#acc + ' ' + #acc)", "repeat(#acc, 2)",
    ];

    private readonly Random random = new(seed);

    public HostileCase NextTemplate(int index)
    {
        string name = $"seed {seed.ToString(CultureInfo.InvariantCulture)} template #{index.ToString(CultureInfo.InvariantCulture)}";
        string text = random.Next(5) switch
        {
            0 => NestTemplate(),
            1 => $"{{{{$x := 1}}}}{{{{range until {Pick(Depths)}}}}}{{{{$x = {Pick(TemplateBuilders)}}}}}{{{{end}}}}{Pick(TemplateWalkers)}",
            2 => string.Format(CultureInfo.InvariantCulture, Pick(TemplateAllocators), Pick(Sizes)),
            3 => $"{{{{$s := \"x\"}}}}{{{{$l := list 1}}}}{{{{range until {Pick(Loops)}}}}}{{{{{Pick(TemplateDoublers)}}}}}{{{{end}}}}{{{{len $s}}}} {{{{len $l}}}}",
            _ => NestTemplate() + string.Format(CultureInfo.InvariantCulture, Pick(TemplateAllocators), Pick(Sizes)),
        };
        return Template(name, text);
    }

    public HostileCase NextExpression(int index)
    {
        string name = $"seed {seed.ToString(CultureInfo.InvariantCulture)} expression #{index.ToString(CultureInfo.InvariantCulture)}";
        string text = random.Next(4) switch
        {
            0 => NestExpression(),
            1 => $"let x = reduce(1..{Pick(Depths)}, {Pick(ExprBuilders)}, 1); let y = reduce(1..{Pick(Depths)}, {Pick(ExprBuilders)}, 1); {Pick(ExprWalkers)}",
            2 => string.Format(CultureInfo.InvariantCulture, Pick(ExprAllocators), Pick(Sizes)),
            _ => $"len(reduce(1..{Pick(Loops)}, {Pick(ExprDoublers)}, 'x'))",
        };
        return Expression(name, text);
    }

    private string NestTemplate()
    {
        int depth = Pick(Depths);
        if (random.Next(2) == 0)
        {
            (string open, string close) = Pick(TemplateNesting);
            return "{{" + Times(open, depth) + "1" + Times(close, depth) + "}}";
        }

        (string o, string c) = Pick(TemplateBlocks);
        return Times(o, depth) + "x" + Times(c, depth);
    }

    private string NestExpression()
    {
        (string open, string close) = Pick(ExprNesting);
        int depth = Pick(Depths);
        return Times(open, depth) + "1" + Times(close, depth);
    }

    private T Pick<T>(T[] choices) => choices[random.Next(choices.Length)];
}
