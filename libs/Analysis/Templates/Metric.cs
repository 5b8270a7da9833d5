using System.Globalization;
using Lookout.Values;
using Lookout.Values.Time;

namespace Lookout.Analysis.Templates;

/// <summary>
/// A metric with its arguments substituted and its fields read as Argo reads them (<c>Metric</c> in Argo's
/// analysis_types.go). Integer fields accept an integer or a string (Kubernetes' IntOrString: a string that is
/// not a number counts as 0).
/// </summary>
public sealed record Metric
{
    /// <summary>Argo's <c>DefaultConsecutiveErrorLimit</c>.</summary>
    public const int DefaultConsecutiveErrorLimit = 4;

    public required string Name { get; init; }

    public TimeSpan? Interval { get; init; }

    public TimeSpan? InitialDelay { get; init; }

    public int? Count { get; init; }

    public string SuccessCondition { get; init; } = string.Empty;

    public string FailureCondition { get; init; } = string.Empty;

    public int? FailureLimit { get; init; }

    public int? InconclusiveLimit { get; init; }

    public int? ConsecutiveErrorLimit { get; init; }

    public int? ConsecutiveSuccessLimit { get; init; }

    /// <summary>The provider's key under <c>provider</c> (<c>prometheus</c>, <c>web</c>).</summary>
    public required string ProviderName { get; init; }

    /// <summary>The provider's object (<c>provider.prometheus</c>), arguments substituted.</summary>
    public required ObjectMap Provider { get; init; }

    /// <summary>Argo's <c>EffectiveCount</c>: the count, or 1 when neither count nor interval is set, or null (unbounded).</summary>
    public int? EffectiveCount => Count is null or 0 ? (Interval is null ? 1 : null) : Count;

    /// <summary>Argo's <c>GetConsecutiveErrorLimitOrDefault</c>.</summary>
    public int EffectiveConsecutiveErrorLimit => ConsecutiveErrorLimit ?? DefaultConsecutiveErrorLimit;

    /// <summary>Reads a metric whose arguments have been substituted.</summary>
    /// <exception cref="TemplateException">A duration does not parse or the provider is missing or ambiguous.</exception>
    public static Metric FromBody(ObjectMap body, IReadOnlyCollection<string> knownProviders)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(knownProviders);
        string name = body.TryGetValue("name", out object? n) && n is string s ? s : string.Empty;
        ObjectMap provider = body.TryGetValue("provider", out object? p) && p is ObjectMap pm ? pm : new ObjectMap();
        var named = provider.Where(kv => kv.Value is not null).Select(kv => kv.Key).ToList();
        if (named.Count == 0)
        {
            throw new TemplateException("no provider specified");
        }

        if (named.Count > 1)
        {
            throw new TemplateException("multiple providers specified");
        }

        string providerName = named[0];
        if (!knownProviders.Contains(providerName))
        {
            throw new TemplateException($"provider {providerName} is not supported here (supported: {string.Join(", ", knownProviders)})");
        }

        return new Metric
        {
            Name = name,
            Interval = Duration(body, "interval", "invalid interval string"),
            InitialDelay = Duration(body, "initialDelay", "invalid startDelay string"),
            Count = IntOrString(body, "count"),
            SuccessCondition = body.TryGetValue("successCondition", out object? sc) && sc is string scs ? scs : string.Empty,
            FailureCondition = body.TryGetValue("failureCondition", out object? fc) && fc is string fcs ? fcs : string.Empty,
            FailureLimit = IntOrString(body, "failureLimit"),
            InconclusiveLimit = IntOrString(body, "inconclusiveLimit"),
            ConsecutiveErrorLimit = IntOrString(body, "consecutiveErrorLimit"),
            ConsecutiveSuccessLimit = IntOrString(body, "consecutiveSuccessLimit"),
            ProviderName = providerName,
            Provider = provider[providerName] as ObjectMap ?? throw new TemplateException($"provider.{providerName} must be an object"),
        };
    }

    /// <summary>Argo's <c>ValidateMetric</c>, with its messages.</summary>
    /// <returns>The problem, or null when the metric is valid.</returns>
    public string? Validate()
    {
        int count = Count ?? 0;
        int failureLimit = FailureLimit ?? 0;
        int consecutiveSuccessLimit = ConsecutiveSuccessLimit ?? 0;
        int inconclusiveLimit = InconclusiveLimit ?? 0;
        if (consecutiveSuccessLimit < 0)
        {
            return "consecutiveSuccessLimit must be >= 0";
        }

        if (failureLimit < -1)
        {
            return "failureLimit must be >= 0, or -1 to be disabled";
        }

        if (consecutiveSuccessLimit == 0 && failureLimit == -1)
        {
            return "failureLimit and consecutiveSuccessLimit cannot both be disabled";
        }

        if (inconclusiveLimit < 0)
        {
            return "inconclusiveLimit must be >= 0";
        }

        if (ConsecutiveErrorLimit is < 0)
        {
            return "consecutiveErrorLimit must be >= 0";
        }

        if (count > 0)
        {
            if (failureLimit >= 0 && count < failureLimit + consecutiveSuccessLimit)
            {
                return $"count ({count}) must be >= failureLimit + consecutiveSuccessLimit ({failureLimit} + {consecutiveSuccessLimit}) if both >= 0";
            }

            if (failureLimit < 0 && count < consecutiveSuccessLimit)
            {
                return "count must be >= consecutiveSuccessLimit";
            }

            if (count < inconclusiveLimit)
            {
                return "count must be >= inconclusiveLimit";
            }
        }

        if (count > 1 && Interval is null)
        {
            return "interval must be specified when count > 1";
        }

        return null;
    }

    private static TimeSpan? Duration(ObjectMap body, string key, string what)
    {
        if (!body.TryGetValue(key, out object? v) || v is null or "")
        {
            return null;
        }

        if (v is not string s)
        {
            throw new TemplateException($"{what}: {key} must be a duration string such as \"30s\"");
        }

        try
        {
            return TimeSpan.FromTicks(GoDuration.Parse(s).Nanoseconds / 100);
        }
        catch (GoFunctionException ex)
        {
            throw new TemplateException($"{what}: {ex.Message}", ex);
        }
    }

    private static int? IntOrString(ObjectMap body, string key) =>
        !body.TryGetValue(key, out object? v) || v is null ? null
        : v switch
        {
            long l => (int)Math.Clamp(l, int.MinValue, int.MaxValue),
            string s => int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int i) ? i : 0,
            double d => (int)d,
            _ => throw new TemplateException($"{key} must be an integer or a string"),
        };
}
