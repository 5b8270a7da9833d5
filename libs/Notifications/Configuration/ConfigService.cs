using System.Text.Json.Nodes;

namespace Lookout.Notifications.Configuration;

/// <summary>A configured service: <c>service.&lt;type&gt;[.&lt;name&gt;]</c> with its settings (secret references replaced).</summary>
/// <param name="Name">The name destinations use (the type when the key has no name).</param>
/// <param name="Type">The service type.</param>
/// <param name="Settings">The settings, with <c>$key</c> references replaced by the Secret's values.</param>
/// <param name="Service">The service built from them.</param>
public sealed record ConfigService(string Name, string Type, JsonObject Settings, Services.INotificationService Service);
