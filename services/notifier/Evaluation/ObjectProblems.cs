using System.Collections.Concurrent;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Lookout.Contracts;

namespace Lookout.Notifier.Evaluation;

/// <summary>
/// Where a trigger that failed to evaluate, or a template that failed to render, for one object is told beside the
/// log line and the metric: as a Warning Event on the object, which <c>kubectl describe</c> shows to the team that
/// owns it. A budget exceeded by a hostile expression is such a failure; it costs that trigger for that object only.
/// </summary>
public interface IObjectProblems
{
    /// <summary>Records the errors of one evaluation of <paramref name="identity"/>; best effort, never throws for the API.</summary>
    Task RecordAsync(string kind, ObjectIdentity identity, IReadOnlyList<string> errors, CancellationToken cancellationToken);
}

/// <summary>The embedded mode: the log line and the metric are all there is.</summary>
public sealed class NoObjectProblems : IObjectProblems
{
    /// <inheritdoc/>
    public Task RecordAsync(string kind, ObjectIdentity identity, IReadOnlyList<string> errors, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// Warning Events (reason <c>NotificationError</c>, component <c>lookout-notifier</c>) on Applications and Rollouts.
/// The same error on the same object is recorded once per <see cref="Repeat"/>: a broken trigger fails on every
/// change of every object, and the events must not flood the API server. At most <see cref="Remembered"/> recent
/// (object, error) pairs are remembered.
/// </summary>
public sealed class KubernetesObjectProblems(IKubernetes client, TimeProvider clock) : IObjectProblems
{
    /// <summary>How long an (object, error) pair stays quiet after it was recorded.</summary>
    public static readonly TimeSpan Repeat = TimeSpan.FromMinutes(10);

    /// <summary>The most (object, error) pairs remembered; beyond it the oldest are forgotten.</summary>
    public const int Remembered = 10_000;

    /// <summary>The Kubernetes API's limit on an Event's message.</summary>
    private const int MaxMessage = 1024;

    private readonly ConcurrentDictionary<(string Uid, string Error), DateTimeOffset> recorded = new();

    /// <inheritdoc/>
    public async Task RecordAsync(string kind, ObjectIdentity identity, IReadOnlyList<string> errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(errors);
        DateTimeOffset now = clock.GetUtcNow();
        foreach (string error in errors)
        {
            if (recorded.TryGetValue((identity.Uid, error), out DateTimeOffset last) && now - last < Repeat)
            {
                continue;
            }

            Forget(now);
            recorded[(identity.Uid, error)] = now;
            var e = new Corev1Event
            {
                Metadata = new V1ObjectMeta { GenerateName = identity.Name + ".", NamespaceProperty = identity.Namespace },
                InvolvedObject = new V1ObjectReference
                {
                    ApiVersion = "argoproj.io/v1alpha1",
                    Kind = kind,
                    Name = identity.Name,
                    NamespaceProperty = identity.Namespace,
                    Uid = identity.Uid,
                },
                Reason = "NotificationError",
                Message = error.Length <= MaxMessage ? error : error[..(MaxMessage - 1)] + "…",
                Type = "Warning",
                Source = new V1EventSource { Component = "lookout-notifier" },
                FirstTimestamp = now.UtcDateTime,
                LastTimestamp = now.UtcDateTime,
                Count = 1,
            };
            try
            {
                await client.CoreV1.CreateNamespacedEventAsync(e, identity.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException)
            {
                // Best effort: the log line and the metric already carry the error.
            }
            catch (HttpRequestException)
            {
                // The API server is unreachable: the same.
            }
        }
    }

    private void Forget(DateTimeOffset now)
    {
        if (recorded.Count < Remembered)
        {
            return;
        }

        foreach (var entry in recorded)
        {
            if (now - entry.Value >= Repeat || recorded.Count >= Remembered)
            {
                recorded.TryRemove(entry.Key, out _);
            }
        }
    }
}
