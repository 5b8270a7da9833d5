using System.Security.Cryptography;
using System.Text;

namespace Lookout.Notifications;

/// <summary>The deterministic id of one notification (see the <c>NotificationRequested</c> contract).</summary>
public static class NotificationIds
{
    /// <summary>
    /// SHA-256 over "uid/trigger/conditionKey/(oncePer or resourceVersion)/service/recipient", first 16 bytes. With a
    /// oncePer value the id is the same for every version of the object, so the same revision is sent once.
    /// </summary>
    public static Guid For(string uid, string trigger, string conditionKey, string oncePer, string resourceVersion, Destination destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        string scope = oncePer.Length > 0 ? "oncePer=" + oncePer : "rv=" + resourceVersion;
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{uid}/{trigger}/{conditionKey}/{scope}/{destination.Service}/{destination.Recipient}"), hash);
        return new Guid(hash[..16]);
    }

    /// <summary>
    /// The id of a notification from one occurrence of a Kubernetes Event (Argo Rollouts' event-driven triggers):
    /// SHA-256 over "event/uid/count/trigger/conditionKey/service/recipient", first 16 bytes.
    /// </summary>
    public static Guid ForEvent(string eventUid, int count, string trigger, string conditionKey, Destination destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"event/{eventUid}/{count}/{trigger}/{conditionKey}/{destination.Service}/{destination.Recipient}"), hash);
        return new Guid(hash[..16]);
    }
}
