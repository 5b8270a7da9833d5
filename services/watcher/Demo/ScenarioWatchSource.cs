using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lookout.Contracts;
using Lookout.Watcher.Kubernetes;
using Lookout.Watcher.Verdicts;

namespace Lookout.Watcher.Demo;

/// <summary>
/// Replays scenario folders (see README.md in this folder) as if they were a Kubernetes API server. Each scenario
/// plays on its own clock from the first list or watch: step <c>k</c> becomes visible <c>k × interval</c> later,
/// except that a step written to follow the analyzer's vote (<c>lookout.demo/after-verdict</c>) waits for that vote
/// (<see cref="ApplyVerdict"/>), plays only when the vote matches, and the steps after it follow from then on.
/// A list returns the state at that moment; a watch returns every later event as it plays, then stays open.
/// </summary>
public sealed class ScenarioWatchSource : IWatchSource
{
    /// <summary>The annotation that turns a snapshot into a DELETED event.</summary>
    public const string DeletedAnnotation = ScenarioFolder.DeletedAnnotation;

    private readonly IReadOnlyList<Scenario> scenarios;
    private readonly TimeSpan interval;
    private readonly TimeProvider timeProvider;
    private readonly Lock sync = new();
    private readonly List<ScenarioEvent> log = [];
    private readonly Dictionary<string, JsonObject> current = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> votes = new(StringComparer.Ordinal);
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long resourceVersion;
    private Task? playing;

    /// <summary>Loads the scenarios; the replay starts with the first list or watch.</summary>
    /// <exception cref="FormatException">A file is not valid YAML or JSON; the message names it.</exception>
    public ScenarioWatchSource(string folder, TimeSpan interval, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        scenarios = ScenarioFolder.Load(folder);
        this.interval = interval;
        this.timeProvider = timeProvider;
    }

    /// <summary>The scenarios being replayed.</summary>
    public IReadOnlyList<Scenario> Scenarios => scenarios;

    /// <summary>The events played so far, in resourceVersion order.</summary>
    public IReadOnlyList<ScenarioEvent> Played
    {
        get
        {
            lock (sync)
            {
                return [.. log];
            }
        }
    }

    /// <summary>
    /// Every event of a folder as it would play without votes (steps of the same index side by side, every
    /// after-verdict step included), for checking a scenario.
    /// </summary>
    public static IReadOnlyList<ScenarioEvent> Load(string folder)
    {
        var replay = new ScenarioWatchSource(folder, TimeSpan.Zero, TimeProvider.System);
        int longest = replay.scenarios.Count == 0 ? 0 : replay.scenarios.Max(s => s.Steps.Count);
        for (int k = 0; k < longest; k++)
        {
            foreach (Scenario s in replay.scenarios.Where(s => k < s.Steps.Count))
            {
                replay.Play(s, k);
            }
        }

        return replay.Played;
    }

    /// <summary>
    /// The analyzer's vote on a replayed Rollout (the demo's stand-in for patching it): checked against the
    /// replayed state as a cluster's Rollout would be, then handed to the scenario waiting for it.
    /// </summary>
    /// <returns>What was done, as <see cref="VerdictConsumer.ApplyAsync"/> reports it.</returns>
    public string ApplyVerdict(AnalysisVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        string key = $"{WatchedKind.Rollout.Kind}/{verdict.Rollout.Namespace}/{verdict.Rollout.Name}";
        lock (sync)
        {
            if (VerdictConsumer.Stale(verdict, current.GetValueOrDefault(key)) is { } stale)
            {
                return $"stale: {stale}";
            }

            if (verdict.Verdict == Verdict.Inconclusive)
            {
                return "left paused (inconclusive)";
            }

            votes[key] = verdict.Verdict == Verdict.Promote ? "promote" : "abort";
            Signal();
            return verdict.Verdict == Verdict.Promote ? "promoted" : "aborted";
        }
    }

    /// <inheritdoc/>
    public Task<ObjectList> ListAsync(WatchScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        Start();
        var state = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        lock (sync)
        {
            foreach (ScenarioEvent e in log.Where(e => Matches(scope, e)))
            {
                string uid = e.Object.GetProperty("metadata").GetProperty("uid").GetString()!;
                if (e.Type == WatchEventType.Deleted)
                {
                    state.Remove(uid);
                }
                else
                {
                    state[uid] = e.Object;
                }
            }

            return Task.FromResult(new ObjectList(resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), [.. state.Values]));
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<WatchEvent> WatchAsync(WatchScope scope, string resourceVersion, Action opened, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(opened);
        Start();
        opened();
        long from = long.TryParse(resourceVersion, out long rv) ? rv : 0;
        while (true)
        {
            ScenarioEvent[] due;
            Task next;
            lock (sync)
            {
                due = [.. log.Where(e => e.ResourceVersion > from)];
                next = changed.Task;
            }

            foreach (ScenarioEvent e in due)
            {
                from = e.ResourceVersion;
                if (Matches(scope, e))
                {
                    yield return new WatchEvent(e.Type, e.Object);
                }
            }

            if (due.Length == 0)
            {
                // Nothing new: wait for the next step (after the last one, forever, as a quiet cluster would).
                await next.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void Start()
    {
        lock (sync)
        {
            if (playing is not null)
            {
                return;
            }

            // The first step of each scenario is there for the first list; the others follow on the scenario's clock.
            var tasks = new List<Task>();
            foreach (Scenario s in scenarios)
            {
                int first = s.Steps.Count > 0 && s.Steps[0].AfterVerdict is null ? 1 : 0;
                if (first == 1)
                {
                    Play(s, 0);
                }

                tasks.Add(Task.Run(() => PlayAsync(s, first)));
            }

            playing = Task.WhenAll(tasks);
        }
    }

    private async Task PlayAsync(Scenario scenario, int first)
    {
        DateTimeOffset due = timeProvider.GetUtcNow() + (interval * first);
        string? vote = null;
        for (int k = first; k < scenario.Steps.Count; k++)
        {
            ScenarioStep step = scenario.Steps[k];
            if (step.AfterVerdict is (string rollout, string wanted))
            {
                if (vote is null)
                {
                    vote = await VoteAsync(rollout).ConfigureAwait(false);
                    DateTimeOffset now = timeProvider.GetUtcNow();
                    due = now > due ? now : due;
                }

                if (vote != wanted)
                {
                    continue;
                }
            }
            else
            {
                vote = null;
            }

            TimeSpan wait = due - timeProvider.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, timeProvider).ConfigureAwait(false);
            }

            Play(scenario, k);
            due += interval;
        }
    }

    private async Task<string> VoteAsync(string rollout)
    {
        while (true)
        {
            Task next;
            lock (sync)
            {
                if (votes.Remove(rollout, out string? vote))
                {
                    return vote;
                }

                next = changed.Task;
            }

            await next.ConfigureAwait(false);
        }
    }

    private void Play(Scenario scenario, int step)
    {
        lock (sync)
        {
            foreach (ScenarioObject o in scenario.Steps[step].Objects)
            {
                var obj = (JsonObject)o.Object.DeepClone();
                obj["metadata"]!["resourceVersion"] = (++resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);
                WatchEventType type = o.Deleted ? WatchEventType.Deleted : current.ContainsKey(o.Key) ? WatchEventType.Modified : WatchEventType.Added;
                if (o.Deleted)
                {
                    current.Remove(o.Key);
                }
                else
                {
                    // As a client would read it back (numbers from YAML become plain JSON numbers).
                    current[o.Key] = JsonNode.Parse(obj.ToJsonString())!.AsObject();
                }

                log.Add(new ScenarioEvent(scenario.Name, step, resourceVersion, o.Kind, o.Namespace, type, JsonSerializer.SerializeToElement(obj)));
            }

            Signal();
        }
    }

    private void Signal()
    {
        TaskCompletionSource done = changed;
        changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.TrySetResult();
    }

    private static bool Matches(WatchScope scope, ScenarioEvent e)
    {
        if (e.Kind != scope.Kind || (scope.Namespace is not null && scope.Namespace != e.Namespace))
        {
            return false;
        }

        if (string.IsNullOrWhiteSpace(scope.LabelSelector))
        {
            return true;
        }

        // Equality requirements only (team=payments,env=prod), which is what a demo needs.
        JsonElement labels = e.Object.GetProperty("metadata").TryGetProperty("labels", out JsonElement l) ? l : default;
        foreach (string requirement in scope.LabelSelector.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] parts = requirement.Split('=', 2, StringSplitOptions.TrimEntries);
            string? value = labels.ValueKind == JsonValueKind.Object && labels.TryGetProperty(parts[0], out JsonElement v) ? v.GetString() : null;
            if (parts.Length == 2 ? value != parts[1].TrimStart('=') : value is null)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>One replayed event: its scenario and step, its resourceVersion, and the object.</summary>
public sealed record ScenarioEvent(string Scenario, int Step, long ResourceVersion, WatchedKind Kind, string Namespace, WatchEventType Type, JsonElement Object);
