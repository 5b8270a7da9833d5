using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http;
using System.Text.Json.Nodes;
using Lookout.Analysis.Providers.Prometheus;
using Lookout.Analysis.Templates;
using Lookout.Values;
using Lookout.Values.Yaml;

namespace Lookout.Analysis.Providers.Recorded;

/// <summary>
/// Values a metric's queries gave when a scenario was recorded (<c>measurements.yaml</c>:
/// <c>prometheus: {metric-name: [v1, v2, …]}</c>), handed out one per measurement in order, the last repeating.
/// A number is a scalar result, a list a vector.
/// </summary>
public sealed class RecordedMeasurements
{
    private readonly Dictionary<string, IReadOnlyList<JsonNode?>> values = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> taken = new(StringComparer.Ordinal);

    /// <summary>Every <c>measurements.yaml</c> under a folder (recursively); none when the folder is missing.</summary>
    /// <exception cref="FormatException">A file is not valid YAML or not a map of lists; the message names it.</exception>
    public static RecordedMeasurements Load(string? folder)
    {
        var recorded = new RecordedMeasurements();
        if (string.IsNullOrWhiteSpace(folder) || !Directory.Exists(folder))
        {
            return recorded;
        }

        foreach (string file in Directory.EnumerateFiles(folder, "measurements.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            foreach (JsonNode doc in YamlDocuments.Parse(File.ReadAllText(file), file))
            {
                if (doc["prometheus"] is not JsonObject metrics)
                {
                    throw new FormatException($"{file}: expected 'prometheus:' with a list of values per metric name");
                }

                foreach ((string metric, JsonNode? list) in metrics)
                {
                    recorded.values[metric] = list is JsonArray array && array.Count > 0
                        ? [.. array]
                        : throw new FormatException($"{file}: prometheus.{metric} must be a non-empty list of values");
                    foreach (JsonNode? value in array.SelectMany(v => v is JsonArray vector ? [.. vector] : new[] { v }))
                    {
                        if (!TryNumber(value, out _))
                        {
                            throw new FormatException($"{file}: prometheus.{metric}: a recorded measurement must be a number (or a list of numbers), not {value?.ToJsonString() ?? "null"}");
                        }
                    }
                }
            }
        }

        return recorded;
    }

    /// <summary>Whether a metric has recorded values.</summary>
    public bool Has(string metric) => values.ContainsKey(metric);

    /// <summary>The next recorded value of a metric, as the Prometheus provider would give it.</summary>
    public ProviderResult Next(string metric)
    {
        IReadOnlyList<JsonNode?> list = values[metric];
        int i = taken.AddOrUpdate(metric, 0, (_, n) => n + 1);
        JsonNode? node = list[Math.Min(i, list.Count - 1)];
        if (node is JsonArray vector)
        {
            List<object?> items = [.. vector.Select(v => (object?)Number(v))];
            return new ProviderResult(items, "[" + string.Join(",", items.Select(v => Text((double)v!))) + "]");
        }

        double scalar = Number(node);
        return new ProviderResult(scalar, Text(scalar));
    }

    private static double Number(JsonNode? node) =>
        TryNumber(node, out double d) ? d : throw new FormatException($"a recorded measurement must be a number, not {node?.ToJsonString() ?? "null"}");

    private static bool TryNumber(JsonNode? node, out double value)
    {
        value = 0;
        return node is JsonValue v && double.TryParse(v.ToJsonString().Trim('"'), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    private static string Text(double d) => d.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>
/// The demo's <c>provider.prometheus</c>: asks the Prometheus the demo points at (<paramref name="address"/>, in place
/// of the template's in-cluster address) and, when nothing listens there, answers with the scenario's recorded
/// measurements for that metric (a metric without any fails as the real provider did).
/// </summary>
public sealed class RecordedPrometheusProvider(PrometheusProvider prometheus, RecordedMeasurements recorded, string? address) : IMetricProvider
{
    /// <inheritdoc/>
    public string Name => prometheus.Name;

    /// <inheritdoc/>
    public async Task<ProviderResult> QueryAsync(Metric metric, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metric);
        Metric asked = metric;
        if (!string.IsNullOrWhiteSpace(address))
        {
            asked = metric with { Provider = new ObjectMap(metric.Provider) { ["address"] = address } };
        }

        try
        {
            return await prometheus.QueryAsync(asked, cancellationToken).ConfigureAwait(false);
        }
        catch (ProviderException ex) when (Unreachable(ex) && recorded.Has(metric.Name))
        {
            return recorded.Next(metric.Name);
        }
    }

    private static bool Unreachable(ProviderException ex) =>
        ex.InnerException is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };
}
