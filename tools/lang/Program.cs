using Lookout.Lang;

// lookout-lang: the engines' line-oriented tools over stdin/stdout, the protocol of tests/conformance/*.jsonl.
return await LangCommands.RunAsync(args, Console.In, Console.Out, CancellationToken.None) ?? Usage();

static int Usage()
{
    Console.Error.WriteLine("usage: lookout-lang expr eval | lookout-lang template render  (JSON lines on stdin, one answer per line on stdout)");
    return 2;
}
