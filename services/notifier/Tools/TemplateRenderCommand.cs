using System.Text.Json;
using Lookout.Templates;
using Lookout.Values;

namespace Lookout.Notifier.Tools;

/// <summary>
/// <c>notifier template render</c>: reads JSON lines <c>{"template", "data", "missingkey"?}</c> and writes one line
/// per case, <c>{"ok": "text"}</c> or <c>{"err": "message"}</c> (the protocol of the conformance files).
/// </summary>
public static class TemplateRenderCommand
{
    /// <summary>Runs until the input ends; returns 0, or 2 when a line is not a valid case.</summary>
    public static async Task<int> RunAsync(TextReader input, TextWriter output, CancellationToken cancellationToken)
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
                result = Render(line, lineNumber);
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

    /// <summary>Renders one case line and returns the result line.</summary>
    public static string Render(string line, int lineNumber = 1)
    {
        using JsonDocument doc = JsonDocument.Parse(line);
        JsonElement root = doc.RootElement;
        if (!root.TryGetProperty("template", out JsonElement templateElement) || templateElement.ValueKind != JsonValueKind.String)
        {
            return Error($"line {lineNumber}: \"template\" (a string) is required");
        }

        object? data = root.TryGetProperty("data", out JsonElement dataElement) ? ObjectModel.FromJsonElement(dataElement) : null;
        try
        {
            string? missingKey = root.TryGetProperty("missingkey", out JsonElement mk) && mk.ValueKind == JsonValueKind.String ? mk.GetString() : null;
            var options = new TemplateOptions { MissingKey = TemplateOptions.ParseMissingKey(missingKey) };
            GoTemplate template = GoTemplate.Parse("t", templateElement.GetString()!, options);
            return Ok(template.Execute(data));
        }
        catch (TemplateException ex)
        {
            return Error(ex.Message);
        }
        catch (ArgumentException ex)
        {
            return Error(ex.Message);
        }
    }

    private static string Ok(string text) => JsonSerializer.Serialize(new Dictionary<string, string> { ["ok"] = text });

    private static string Error(string message) => JsonSerializer.Serialize(new Dictionary<string, string> { ["err"] = message });
}
