using System.Text.Json;

namespace Lookout.Lang;

/// <summary>The loop the line tools share: one JSON case per input line, one JSON answer per output line.</summary>
internal static class JsonLines
{
    private static readonly JsonSerializerOptions Output = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Answers every non-blank line with <paramref name="answer"/>; returns 0, or 2 when a line is not JSON.</summary>
    public static async Task<int> RunAsync(TextReader input, TextWriter output, Func<string, int, string> answer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        int status = 0;
        int lineNumber = 0;
        while (await input.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            string result;
            try
            {
                result = answer(line, lineNumber);
            }
            catch (JsonException ex)
            {
                status = 2;
                result = Error($"line {lineNumber}: not a JSON case: {ex.Message}");
            }

            await output.WriteLineAsync(result.AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return status;
    }

    /// <summary><c>{"err": message}</c>.</summary>
    public static string Error(string message) => JsonSerializer.Serialize(new Dictionary<string, string> { ["err"] = message }, Output);

    /// <summary><c>{"ok": text}</c>.</summary>
    public static string OkText(string text) => JsonSerializer.Serialize(new Dictionary<string, string> { ["ok"] = text }, Output);
}
