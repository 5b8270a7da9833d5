using static Lookout.Hostile.Tests.HostileCase;

namespace Lookout.Hostile.Tests;

/// <summary>
/// The hostile corpus: the cases of issue 16 and more, one for every function that allocates and every recursive
/// walk. Each must end with a value or a clear error, quickly, in little memory, and the process must survive.
/// </summary>
public static class HostileCorpus
{
    // A value nested 100,000 deep, built at run time (no recursion in the text).
    private const string DeepDict = "{{$x := dict}}{{range until 100000}}{{$x = dict \"a\" $x}}{{end}}";
    private const string DeepList = "{{$x := list}}{{range until 100000}}{{$x = list $x}}{{end}}";
    private const string DeepExprList = "reduce(1..100000, [#acc], [])";
    private const string DeepExprMap = "reduce(1..100000, {'a': #acc}, {})";

    public static IEnumerable<HostileCase> Templates()
    {
        // The text: parser, compiler and executor depth.
        yield return Template("100,000 nested parentheses", "{{" + Times("(", 100_000) + "1" + Times(")", 100_000) + "}}", error: "max expression depth exceeded");
        yield return Template("50,000 nested ifs", Times("{{if 1}}", 50_000) + "x" + Times("{{end}}", 50_000), error: "max block depth exceeded");
        yield return Template("50,000 nested ranges", Times("{{range until 1}}", 50_000) + "x" + Times("{{end}}", 50_000), error: "max block depth exceeded");
        yield return Template("50,000 nested withs", Times("{{with 1}}", 50_000) + "x" + Times("{{end}}", 50_000), error: "max block depth exceeded");
        yield return Template("50,000 else-ifs", "{{if 0}}" + Times("{{else if 0}}", 50_000) + "{{end}}", error: "max block depth exceeded");
        yield return Template("100,000 parentheses in an argument", "{{print " + Times("(print ", 100_000) + "1" + Times(")", 100_000) + "}}", error: "max expression depth exceeded");
        yield return Template("100,000 piped commands", "{{1" + Times(" | print", 100_000) + "}}", ok: "1");
        yield return Template("999 nested ifs still render", Times("{{if 1}}", 999) + "x" + Times("{{end}}", 999), ok: "x");
        yield return Template("unbounded template recursion", "{{define \"r\"}}{{template \"r\" .}}{{end}}{{template \"r\" .}}", error: "exceeded maximum template depth");
        yield return Template("template recursion growing its argument", "{{define \"r\"}}{{template \"r\" (dict \"a\" .)}}{{end}}{{template \"r\" 1}}", error: "exceeded maximum template depth");
        yield return Template("recursion inside nested blocks", "{{define \"r\"}}" + Times("{{if 1}}", 900) + "{{template \"r\" .}}" + Times("{{end}}", 900) + "{{end}}{{template \"r\" .}}");

        // Values nested 100,000 deep, then walked.
        foreach (string walk in new[] { "{{$x}}", "{{print $x}}", "{{printf \"%v\" $x}}", "{{printf \"%#v\" $x}}", "{{toJson $x}}", "{{toPrettyJson $x}}", "{{toRawJson $x}}", "{{toString $x}}", "{{deepCopy $x | len}}", "{{deepEqual $x $x}}", "{{cat $x | len}}", "{{merge (dict) $x | len}}", "{{mergeOverwrite $x $x | len}}", "{{html $x}}", "{{js $x}}", "{{urlquery $x}}", "{{list $x | toJson}}", "{{has $x (list $x)}}", "{{uniq (list $x $x) | len}}", "{{without (list $x) $x | len}}", "{{quote $x}}", "{{eq $x $x}}" })
        {
            yield return Template($"deep dict, {walk}", DeepDict + walk);
            yield return Template($"deep list, {walk}", DeepList + walk);
        }

        // Serialisers charge what they write as they write it, and stop at the limit.
        yield return Template("toPrettyJson of a value 1,000 deep", "{{$x := 1}}{{range until 1000}}{{$x = dict \"a\" $x \"b\" 1}}{{end}}{{toPrettyJson $x}}", error: "budget exceeded");
        foreach (string walk in new[] { "{{toJson $x}}", "{{toPrettyJson $x}}", "{{toRawJson $x}}", "{{mustToJson $x}}", "{{mustToPrettyJson $x}}", "{{mustToRawJson $x}}", "{{$x}}", "{{print $x}}", "{{printf \"%v\" $x}}", "{{toString $x}}", "{{cat $x}}", "{{toStrings $x}}", "{{join \",\" $x}}", "{{quote $x}}", "{{html $x}}" })
        {
            // A list of a long string, holding itself twice, doubled 500 times: each walk stops at a budget.
            yield return Template($"shared list, {walk}", "{{$x := list (repeat 1000 \"x\")}}{{range until 500}}{{$x = list $x $x}}{{end}}" + walk, error: "budget exceeded");
        }

        yield return Template("printf width applied to every element", "{{printf \"%1000000v\" (until 1000)}}", error: "memory budget exceeded");
        yield return Template("deep JSON decoded by fromJson", "{{fromJson (printf \"%s1%s\" (repeat 100000 \"[\") (repeat 100000 \"]\")) | toJson}}");

        // Regexes: linear time, answering as RE2.
        yield return Template("catastrophic regexMatch", "{{regexMatch \"(a+)+$\" (printf \"%s!\" (repeat 100000 \"a\"))}}", ok: "false");
        yield return Template("catastrophic regexFind", "{{regexFind \"(x+x+)+y\" (repeat 50000 \"x\")}}", ok: string.Empty);
        yield return Template("catastrophic regexReplaceAll", "{{regexReplaceAll \"(a|aa)+$\" (printf \"%sb\" (repeat 50000 \"a\")) \"x\" | len}}", ok: "50001");
        yield return Template("catastrophic regexMatch with a word boundary on ASCII text", "{{regexMatch \"(a+)+\\\\b!\" (repeat 100000 \"a\")}}", ok: "false");
        yield return Template("catastrophic regexMatch with a word boundary on other text", "{{regexMatch \"(a+)+\\\\b!\" (printf \"é%s\" (repeat 100000 \"a\"))}}", error: "regexp: match did not finish within 250 ms");
        yield return Template("regexFindAll over a large string", "{{regexFindAll \"a\" (repeat 1000000 \"a\") -1 | len}}");
        yield return Template("regexSplit over a large string", "{{regexSplit \"a\" (repeat 1000000 \"a\") -1 | len}}");
        yield return Template("regexReplaceAll amplifying", "{{regexReplaceAll \"\" (repeat 100000 \"a\") (repeat 1000 \"b\") | len}}", error: "memory budget exceeded");

        // Allocation: checked before allocating.
        yield return Template("range over until 100,000,000", "{{range $i := until 100000000}}{{end}}", error: "budget exceeded");
        yield return Template("range over until, broken early", "{{range $i := until 1000000000}}{{if eq $i 3}}{{break}}{{end}}{{$i}}{{end}}", ok: "012");
        yield return Template("until 100,000,000 as a value", "{{until 100000000 | len}}", error: "memory budget exceeded");
        yield return Template("untilStep 2,000,000,000", "{{untilStep 0 2000000000 1 | len}}", error: "memory budget exceeded");
        yield return Template("seq 100,000,000", "{{seq 100000000 | len}}", error: "memory budget exceeded");
        yield return Template("repeat 1,000,000,000", "{{repeat 1000000000 \"x\"}}", error: "memory budget exceeded");
        yield return Template("repeat a long string", "{{repeat 100000 (repeat 100000 \"x\")}}", error: "memory budget exceeded");
        yield return Template("concat doubling", "{{$l := list 1}}{{range until 40}}{{$l = concat $l $l}}{{end}}{{len $l}}", error: "memory budget exceeded");
        yield return Template("append doubling", "{{$l := list 1}}{{range until 100000}}{{$l = append $l $l}}{{end}}{{len $l}}", error: "budget exceeded");
        yield return Template("append in a long loop", "{{$l := list}}{{range until 1000000}}{{$l = append $l .}}{{end}}{{len $l}}", error: "budget exceeded");
        yield return Template("prepend in a long loop", "{{$l := list}}{{range until 1000000}}{{$l = prepend $l .}}{{end}}{{len $l}}", error: "budget exceeded");
        yield return Template("list doubling", "{{$l := list 1}}{{range until 40}}{{$l = list $l $l}}{{end}}{{len $l}}");
        yield return Template("cat doubling", "{{$s := \"x\"}}{{range until 40}}{{$s = cat $s $s}}{{end}}{{len $s}}", error: "memory budget exceeded");
        yield return Template("print doubling", "{{$s := \"x\"}}{{range until 40}}{{$s = print $s $s}}{{end}}{{len $s}}", error: "memory budget exceeded");
        yield return Template("printf doubling", "{{$s := \"x\"}}{{range until 40}}{{$s = printf \"%s%s\" $s $s}}{{end}}{{len $s}}", error: "memory budget exceeded");
        yield return Template("println doubling", "{{$s := \"x\"}}{{range until 40}}{{$s = println $s $s}}{{end}}{{len $s}}", error: "memory budget exceeded");
        yield return Template("quote doubling", "{{$s := \"x\"}}{{range until 40}}{{$s = quote $s $s}}{{end}}{{len $s}}", error: "memory budget exceeded");
        yield return Template("join doubling", "{{$s := \"x\"}}{{range until 40}}{{$s = join $s (list $s $s)}}{{end}}{{len $s}}", error: "memory budget exceeded");
        yield return Template("html escaping doubling", "{{$s := \"<\"}}{{range until 40}}{{$s = html $s $s}}{{end}}{{len $s}}", error: "memory budget exceeded");
        yield return Template("js escaping doubling", "{{$s := \"<\"}}{{range until 40}}{{$s = js $s $s}}{{end}}{{len $s}}", error: "memory budget exceeded");
        yield return Template("urlquery doubling", "{{$s := \"<\"}}{{range until 40}}{{$s = urlquery $s $s}}{{end}}{{len $s}}", error: "memory budget exceeded");
        yield return Template("b64enc growth", "{{$s := \"xxxx\"}}{{range until 100}}{{$s = b64enc $s}}{{end}}{{len $s}}", error: "memory budget exceeded");
        yield return Template("b32enc growth", "{{$s := \"xxxx\"}}{{range until 100}}{{$s = b32enc $s}}{{end}}{{len $s}}", error: "memory budget exceeded");
        yield return Template("toJson growth", "{{$s := \"<\"}}{{range until 100}}{{$s = toJson (list $s $s)}}{{end}}{{len $s}}", error: "budget exceeded");
        yield return Template("printf width", "{{printf \"%1000000000d\" 1}}", error: "memory budget exceeded");
        yield return Template("printf precision", "{{printf \"%.1000000000f\" 1.0}}", error: "memory budget exceeded");
        yield return Template("printf star width", "{{printf \"%*d\" 1000000000 1}}", error: "memory budget exceeded");
        yield return Template("indent 1,000,000,000", "{{indent 1000000000 \"a\"}}", error: "memory budget exceeded");
        yield return Template("nindent over many lines", "{{nindent 100000 (repeat 100000 \"\\n\")}}", error: "memory budget exceeded");
        yield return Template("replace amplifying", "{{replace \"\" (repeat 1000 \"x\") (repeat 100000 \"a\")}}", error: "memory budget exceeded");
        yield return Template("wrapWith amplifying", "{{wrapWith 1 (repeat 10000 \"x\") (repeat 100000 \"a\")}}", error: "memory budget exceeded");
        yield return Template("randAlpha 1,000,000,000", "{{randAlpha 1000000000}}", error: "memory budget exceeded");
        yield return Template("randAscii 1,000,000,000", "{{randAscii 1000000000}}", error: "memory budget exceeded");
        yield return Template("splitList of a large string", "{{splitList \"\" (repeat 3000000 \"a\") | len}}", error: "memory budget exceeded");
        yield return Template("sortAlpha of a large list", "{{until 1000000 | sortAlpha | len}}");
        yield return Template("uniq of a large list", "{{until 100000 | uniq | len}}", error: "steps");
        yield return Template("dict with a million keys", "{{$d := dict}}{{range until 1000000}}{{$_ := set $d (toString .) .}}{{end}}{{len $d}}", error: "budget exceeded");
        yield return Template("output limit", "{{range until 1000000}}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx{{end}}", error: "output exceeds the limit");
        yield return Template("output of a large value", "{{range until 1000}}{{repeat 10000 \"x\"}}{{end}}", error: "budget exceeded");
        yield return Template("a long loop of cheap work", "{{range until 10000000}}{{$x := add 1 2}}{{end}}", error: "budget exceeded");
        yield return Template("nested ranges", "{{range until 100000}}{{range until 100000}}{{end}}{{end}}", error: "budget exceeded");
        yield return Template("range over a large integer", "{{range 1000000000}}{{end}}", error: "budget exceeded");
        yield return Template("substr and trunc of a large string", "{{substr 0 1000000000 (repeat 1000 \"a\") | trunc 1000000000 | len}}", ok: "1000");
    }

    public static IEnumerable<HostileCase> Expressions()
    {
        yield return Expression("100,000 nested parentheses", Times("(", 100_000) + "1" + Times(")", 100_000), error: "nested too deeply");
        yield return Expression("100,000 nested unary minus", Times("-", 100_000) + "1");
        yield return Expression("100,000 nested not", Times("not ", 100_000) + "true");
        yield return Expression("100,000 nested arrays", Times("[", 100_000) + Times("]", 100_000), error: "nested too deeply");
        yield return Expression("100,000 nested maps", Times("{a:", 100_000) + "1" + Times("}", 100_000), error: "nested too deeply");
        yield return Expression("100,000 nested calls", Times("abs(", 100_000) + "1" + Times(")", 100_000), error: "nested too deeply");
        yield return Expression("100,000 chained additions", "1" + Times(" + 1", 100_000));
        yield return Expression("100,000 chained ternaries", Times("true ? 1 : ", 100_000) + "0");
        yield return Expression("100,000 nested closures", Times("map([1], ", 10_000) + "#" + Times(")", 10_000));
        yield return Expression("100,000 member accesses", "{}" + Times("?.a", 100_000));

        foreach (string walk in new[] { "toJSON(x)", "string(x)", "x == x", "x != y", "x in [x]", "fromJSON(toJSON(x))", "flatten(x)", "len(toJSON(x))", "max(x)", "sum(x)", "sort(x)", "concat(x, x)", "type(x)", "toPairs(x)", "keys(x)", "values(x)", "x[0]", "deepEqual(x, x)" })
        {
            yield return Expression($"deep list, {walk}", $"let x = {DeepExprList}; let y = {DeepExprList}; {walk}");
            yield return Expression($"deep map, {walk}", $"let x = {DeepExprMap}; let y = {DeepExprMap}; {walk}");
        }

        yield return Expression("toJSON of a list sharing its elements 500 times", "fromJSON(toJSON(reduce(1..500, [#acc, #acc], 1)))", error: "budget exceeded");
        foreach (string walk in new[] { "toJSON(x)", "string(x)", "x", "{'a': x}", "len(toJSON(x))", "toPairs({'a': x})" })
        {
            yield return Expression($"shared list of a long string, {walk}", $"let x = reduce(1..500, [#acc, #acc], repeat('x', 1000)); {walk}", error: "budget exceeded");
        }

        yield return Expression("fromJSON of deep JSON", "fromJSON(repeat('[', 100000) + repeat(']', 100000))");
        yield return Expression("catastrophic matches", "repeat('a', 100000) + '!' matches '(a+)+$'", ok: "false");
        yield return Expression("catastrophic matches with a word boundary on other text", "'é' + repeat('a', 100000) matches '(a+)+\\\\b!'", error: "regexp: match did not finish within 250 ms");
        yield return Expression("string doubling", "reduce(1..40, #acc + #acc, 'x')", error: "memory budget exceeded");
        yield return Expression("list doubling", "reduce(1..40, concat(#acc, #acc), [1])", error: "memory budget exceeded");
        yield return Expression("nested list doubling", "len(reduce(1..40, [#acc, #acc], 1))");
        yield return Expression("repeat 1,000,000,000", "repeat('x', 1000000000)", error: "memory budget exceeded");
        yield return Expression("range 1,000,000,000", "len(1..1000000000)", error: "memory budget exceeded");
        yield return Expression("map over a large range", "len(map(1..100000000, #))", error: "memory budget exceeded");
        yield return Expression("nested loops", "all(1..100000, {all(1..100000, {# > 0})})", error: "budget exceeded");
        yield return Expression("join growth", "reduce(1..40, join([#acc, #acc]), 'x')", error: "memory budget exceeded");
        yield return Expression("upper growth", "reduce(1..40, upper(#acc + #acc), 'x')", error: "memory budget exceeded");
        yield return Expression("sprintf-like growth through toJSON", "reduce(1..100, toJSON([#acc, #acc]), 'x')", error: "budget exceeded");
        yield return Expression("replace amplifying", "replace(repeat('a', 100000), '', repeat('b', 1000))", error: "memory budget exceeded");
        yield return Expression("split of a large string", "len(split(repeat('a', 200000), ''))");
        yield return Expression("sortBy of a large list", "len(sortBy(1..200000, -#))");
        yield return Expression("groupBy of a large list", "len(groupBy(1..200000, #))");
        yield return Expression("toPairs growth", "len(reduce(1..40, toPairs({'a': #acc, 'b': #acc}), 1))");
        yield return Expression("flatten of a wide list", "len(flatten(map(1..1000, 1..1000)))", error: "memory budget exceeded");
    }

    public static TheoryData<string> TemplateNames() => [.. Templates().Select(c => c.Name)];

    public static TheoryData<string> ExpressionNames() => [.. Expressions().Select(c => c.Name)];
}
