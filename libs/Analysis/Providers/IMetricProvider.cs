using Lookout.Analysis.Templates;

namespace Lookout.Analysis.Providers;

/// <summary>
/// A metric provider (<c>provider.prometheus</c>, <c>provider.web</c>): asks its source for the metric's current
/// value. A new provider is one class implementing this and one <see cref="ProviderRegistration.AddMetricProvider{T}"/>.
/// </summary>
public interface IMetricProvider
{
    /// <summary>The provider's key under a metric's <c>provider</c> (for example <c>prometheus</c>).</summary>
    string Name { get; }

    /// <summary>Takes one reading.</summary>
    /// <exception cref="ProviderException">The source is unreachable, too slow, misconfigured or answered something unreadable.</exception>
    Task<ProviderResult> QueryAsync(Metric metric, CancellationToken cancellationToken);
}

/// <summary>What a provider read.</summary>
/// <param name="Value">The value conditions see as <c>result</c>, in the object model (double, list of doubles, string…).</param>
/// <param name="Text">The value as Argo records it in the measurement.</param>
/// <param name="Metadata">Provider notes (Prometheus warnings), or null.</param>
public sealed record ProviderResult(object? Value, string Text, IReadOnlyDictionary<string, string>? Metadata = null);

/// <summary>A reading failed; the message becomes the Error measurement's message.</summary>
public sealed class ProviderException : Exception
{
    public ProviderException(string message)
        : base(message)
    {
    }

    public ProviderException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public ProviderException()
    {
    }
}
