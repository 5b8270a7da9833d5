using System.ComponentModel.DataAnnotations;

namespace Lookout.Hosting;

/// <summary>Where a service serves <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c> (configuration section <c>Service</c>).</summary>
public sealed class ServiceOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Service";

    /// <summary>The address to listen on. The default keeps a developer's machine closed; the Helm chart sets <c>0.0.0.0</c>.</summary>
    [Required]
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>The HTTP port; 0 picks a free port (tests).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 8080;

    /// <summary>Logs as JSON lines (for log collectors; the default) or as single readable lines.</summary>
    public LogFormat LogFormat { get; set; } = LogFormat.Json;

    /// <summary>The problems of these options beyond their annotations, as (setting, problem) pairs below <c>Service</c>.</summary>
    public static IEnumerable<(string Setting, string Problem)> Check(ServiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!System.Net.IPAddress.TryParse(options.Address, out _) && options.Address != "localhost" && options.Address != "*")
        {
            yield return (nameof(Address), "must be an IP address (127.0.0.1, 0.0.0.0), localhost or *");
        }
    }
}

/// <summary>How a service writes its logs.</summary>
public enum LogFormat
{
    /// <summary>One JSON object per line, with scopes.</summary>
    Json,

    /// <summary>One readable line per entry.</summary>
    Simple,
}
