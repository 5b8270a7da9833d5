using Lookout.Contracts;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lookout.Notifier.Delivery;

/// <summary>The dead letters over HTTP: list them, replay one.</summary>
public static class DeliveryEndpoints
{
    /// <summary>Maps <c>GET /notifications/dead-letters</c> and <c>POST /notifications/dead-letters/{id}/replay</c>.</summary>
    public static IEndpointRouteBuilder MapNotifierEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/notifications/dead-letters", (DeadLetterStore store) => Results.Json(store.List()));
        endpoints.MapPost("/notifications/dead-letters/{id:guid}/replay", async (Guid id, DeadLetterStore store, IBus bus, CancellationToken ct) =>
        {
            NotificationDeliveryFailed? letter = store.Take(id);
            if (letter is null)
            {
                return Results.NotFound(new { error = $"no dead letter {id}" });
            }

            await bus.Publish(letter.Notification, c => c.MessageId = letter.Notification.Id, ct).ConfigureAwait(false);
            return Results.Accepted(value: new { replayed = id });
        });
        return endpoints;
    }
}
