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
}
