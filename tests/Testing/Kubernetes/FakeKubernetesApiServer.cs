using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lookout.Testing.Kubernetes;

/// <summary>
/// A local HTTP server on 127.0.0.1 that speaks enough of the Kubernetes API for the unmodified KubernetesClient:
/// list and watch of namespaced objects (resourceVersion, label selectors, bookmarks, 410 Gone after compaction),
/// get, merge/JSON patch, and create/replace with optimistic concurrency (Leases for leader election). Tests
/// change objects with <see cref="Upsert(string, string)"/> and <see cref="Delete"/> and misbehave on purpose with
/// <see cref="DropWatches"/>, <see cref="Compact"/>, <see cref="SendBookmarks"/>, <see cref="Pause"/>.
/// </summary>
public sealed class FakeKubernetesApiServer : IAsyncDisposable
{
    private readonly object gate = new();
    private readonly Dictionary<(string Plural, string Namespace, string Name), JsonObject> objects = new();
    private readonly Dictionary<(string Plural, string Namespace, string Name), string> rawObjects = new();
    private readonly List<HistoryEntry> history = [];
    private readonly List<WatchConnection> connections = [];
    private readonly ConcurrentDictionary<string, int> requestCounts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedPatch> patches = new();
    private readonly WebApplication app;
    private TaskCompletionSource resumed = CompletedSource();
    private long resourceVersion = 100;
    private long compactedBelow;
    private long uidCounter;

    private FakeKubernetesApiServer(WebApplication app)
    {
        this.app = app;
    }

    /// <summary>The base address, such as <c>http://127.0.0.1:41234</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The current (latest) resourceVersion.</summary>
    public string CurrentResourceVersion
    {
        get
        {
            lock (gate)
            {
                return resourceVersion.ToString(CultureInfo.InvariantCulture);
            }
        }
    }

    /// <summary>When true, an expired resourceVersion is answered with HTTP 410 instead of a 200 stream holding an ERROR event.</summary>
    public bool ExpiredAsHttpStatus { get; set; }

    /// <summary>Patches received, in order.</summary>
    public IReadOnlyCollection<RecordedPatch> Patches => patches.ToArray();

    /// <summary>How many watch connections are open.</summary>
    public int OpenWatchCount
    {
        get
        {
            lock (gate)
            {
                return connections.Count;
            }
        }
    }

    /// <summary>Starts a server on a free port of 127.0.0.1.</summary>
    public static async Task<FakeKubernetesApiServer> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        WebApplication app = builder.Build();
        var server = new FakeKubernetesApiServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address);
        return server;
    }

    /// <summary>How many requests of a verb (<c>list</c>, <c>watch</c>, <c>get</c>, <c>patch</c>, <c>create</c>, <c>update</c>) reached a resource plural.</summary>
    public int RequestCount(string verb, string plural) => requestCounts.GetValueOrDefault($"{verb} {plural}");

    /// <summary>Waits until at least <paramref name="count"/> requests of a verb (list, watch, get, create, update, patch, delete) on a resource have arrived.</summary>
    public async Task WaitForRequestsAsync(string verb, string plural, int count, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (RequestCount(verb, plural) < count)
        {
            try
            {
                await Task.Delay(20, cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{RequestCount(verb, plural)} {verb} {plural} requests after {timeout}, expected {count}");
            }
        }
    }

    /// <summary>Creates or replaces an object given as JSON; fills uid, namespace and resourceVersion; emits ADDED or MODIFIED.</summary>
    /// <returns>The new resourceVersion.</returns>
    public string Upsert(string plural, string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonObject obj = JsonNode.Parse(json)?.AsObject() ?? throw new ArgumentException("not a JSON object", nameof(json));
        return Upsert(plural, obj);
    }

    /// <summary>Creates or replaces an object; see <see cref="Upsert(string, string)"/>.</summary>
    public string Upsert(string plural, JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        lock (gate)
        {
            JsonObject metadata = obj["metadata"] as JsonObject ?? throw new ArgumentException("metadata missing", nameof(obj));
            string ns = (string?)metadata["namespace"] ?? "default";
            string name = (string?)metadata["name"] ?? throw new ArgumentException("metadata.name missing", nameof(obj));
            metadata["namespace"] = ns;
            var key = (plural, ns, name);
            bool exists = objects.TryGetValue(key, out JsonObject? previous);
            if (metadata["uid"] is null)
            {
                metadata["uid"] = exists ? previous!["metadata"]!["uid"]!.DeepClone() : NewUid();
            }

            metadata["creationTimestamp"] ??= "2026-01-01T00:00:00Z";
            string rv = Bump();
            metadata["resourceVersion"] = rv;
            objects[key] = obj;
            Emit(plural, exists ? "MODIFIED" : "ADDED", obj);
            return rv;
        }
    }

    /// <summary>
    /// Changes a stored object under the server's lock, as a controller's update does (nothing written meanwhile, such
    /// as another client's annotation patch, is lost), bumps its resourceVersion and emits MODIFIED.
    /// </summary>
    /// <returns>A copy of the stored object, or null when there is none.</returns>
    public JsonObject? Modify(string plural, string ns, string name, Action<JsonObject> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (gate)
        {
            if (!objects.TryGetValue((plural, ns, name), out JsonObject? current))
            {
                return null;
            }

            var changed = (JsonObject)current.DeepClone();
            change(changed);
            Upsert(plural, changed);
            return (JsonObject)objects[(plural, ns, name)].DeepClone();
        }
    }

    /// <summary>Deletes an object and emits DELETED; returns false when there was none.</summary>
    public bool Delete(string plural, string ns, string name)
    {
        lock (gate)
        {
            if (!objects.Remove((plural, ns, name), out JsonObject? obj))
            {
                return false;
            }

            obj["metadata"]!["resourceVersion"] = Bump();
            Emit(plural, "DELETED", obj);
            return true;
        }
    }

    /// <summary>The stored object, or null.</summary>
    public JsonObject? Get(string plural, string ns, string name)
    {
        lock (gate)
        {
            return objects.TryGetValue((plural, ns, name), out JsonObject? obj) ? (JsonObject)obj.DeepClone() : null;
        }
    }

    /// <summary>
    /// Emits a watch event whose object is raw JSON that a watcher cannot decode (for example <c>"spec": "garbage"</c>
    /// or a numeric <c>metadata.name</c>). It gets the next resourceVersion but is not stored.
    /// </summary>
    public string InjectRaw(string plural, string type, string rawObjectJson)
    {
        lock (gate)
        {
            JsonNode node = JsonNode.Parse(rawObjectJson) ?? throw new ArgumentException("null JSON", nameof(rawObjectJson));
            string rv = Bump();
            if (node is JsonObject { } o && o["metadata"] is JsonObject metadata)
            {
                metadata["resourceVersion"] = rv;
            }

            history.Add(new HistoryEntry(long.Parse(rv, CultureInfo.InvariantCulture), plural, null, null, EventLine(type, node)));
            Broadcast(history[^1]);
            return rv;
        }
    }

    /// <summary>
    /// Stores an object kept as raw text (never parsed here, so it may be nested as deep as the API server allows):
    /// lists include it and watches get an ADDED or MODIFIED event with it. <c>__RV__</c> in the text is replaced
    /// by its resourceVersion; metadata must name <paramref name="ns"/> and <paramref name="name"/>.
    /// </summary>
    /// <returns>The new resourceVersion.</returns>
    public string UpsertRaw(string plural, string ns, string name, string rawObjectJson)
    {
        ArgumentNullException.ThrowIfNull(rawObjectJson);
        lock (gate)
        {
            string rv = Bump();
            string text = rawObjectJson.Replace("__RV__", rv, StringComparison.Ordinal);
            bool exists = rawObjects.ContainsKey((plural, ns, name));
            rawObjects[(plural, ns, name)] = text;
            history.Add(new HistoryEntry(long.Parse(rv, CultureInfo.InvariantCulture), plural, ns, null, $"{{\"type\":\"{(exists ? "MODIFIED" : "ADDED")}\",\"object\":{text}}}"));
            Broadcast(history[^1]);
            return rv;
        }
    }

    /// <summary>Closes every open watch (cleanly, or by aborting the connection), as an API server restart does.</summary>
    public void DropWatches(bool abort = false)
    {
        // Cancelling runs the handlers' clean-up (which removes the connection) synchronously: drop a snapshot,
        // outside the lock.
        WatchConnection[] open;
        lock (gate)
        {
            open = [.. connections];
        }

        foreach (WatchConnection connection in open)
        {
            connection.Drop(abort);
        }
    }

    /// <summary>Forgets history older than now, so a watch from any earlier resourceVersion gets 410 Gone.</summary>
    public void Compact()
    {
        lock (gate)
        {
            compactedBelow = resourceVersion;
            history.Clear();
        }
    }

    /// <summary>Sends a BOOKMARK with the current resourceVersion on every open watch.</summary>
    public void SendBookmarks()
    {
        lock (gate)
        {
            foreach (WatchConnection connection in connections)
            {
                var obj = new JsonObject
                {
                    ["kind"] = connection.Kind,
                    ["apiVersion"] = connection.ApiVersion,
                    ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) },
                };
                connection.Lines.Writer.TryWrite(EventLine("BOOKMARK", obj));
            }
        }
    }

    /// <summary>Holds back watch delivery (events queue up) until <see cref="Resume"/>.</summary>
    public void Pause()
    {
        lock (gate)
        {
            if (resumed.Task.IsCompleted)
            {
                resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>Delivers held events again.</summary>
    public void Resume()
    {
        lock (gate)
        {
            resumed.TrySetResult();
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> watches are open.</summary>
    public async Task WaitForWatchesAsync(int count, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (OpenWatchCount < count)
        {
            Task changed;
            lock (gate)
            {
                changed = watchesChanged.Task;
            }

            if (OpenWatchCount >= count)
            {
                return;
            }

            await changed.WaitAsync(cts.Token).ConfigureAwait(false);
        }
    }

    private TaskCompletionSource watchesChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        DropWatches();
        Resume();
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    private static TaskCompletionSource CompletedSource()
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.SetResult();
        return source;
    }

    private static string EventLine(string type, JsonNode obj) =>
        new JsonObject { ["type"] = type, ["object"] = obj.DeepClone() }.ToJsonString();

    private string NewUid() => $"00000000-0000-4000-8000-{Interlocked.Increment(ref uidCounter):D12}";

    private string Bump() => (++resourceVersion).ToString(CultureInfo.InvariantCulture);

    private void Emit(string plural, string type, JsonObject obj)
    {
        var metadata = (JsonObject)obj["metadata"]!;
        var entry = new HistoryEntry(
            long.Parse((string)metadata["resourceVersion"]!, CultureInfo.InvariantCulture),
            plural,
            (string?)metadata["namespace"],
            Labels(obj),
            EventLine(type, obj),
            plural == "events" ? (JsonObject)obj.DeepClone() : null); // field selectors are served for Events only
        history.Add(entry);
        Broadcast(entry);
    }

    private void Broadcast(HistoryEntry entry)
    {
        foreach (WatchConnection connection in connections)
        {
            if (connection.Matches(entry))
            {
                connection.Lines.Writer.TryWrite(entry.Line);
            }
        }
    }

    private static Dictionary<string, string> Labels(JsonObject obj)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj["metadata"]?["labels"] is JsonObject l)
        {
            foreach (var (k, v) in l)
            {
                labels[k] = v?.ToString() ?? string.Empty;
            }
        }

        return labels;
    }

    private async Task HandleAsync(HttpContext context)
    {
        // /apis/{group}/{version}[/namespaces/{ns}]/{plural}[/{name}] or /api/v1/...
        string[] parts = context.Request.Path.Value!.Trim('/').Split('/');
        int start = parts.Length > 0 && parts[0] == "api" ? 2 : 3;
        if (parts.Length < start + 1 || (parts[0] != "apis" && parts[0] != "api"))
        {
            await WriteStatus(context, 404, "NotFound", $"no route for {context.Request.Path}").ConfigureAwait(false);
            return;
        }

        string apiVersion = parts[0] == "api" ? parts[1] : $"{parts[1]}/{parts[2]}";
        string? ns = null;
        int i = start;
        if (parts[i] == "namespaces" && parts.Length > i + 2)
        {
            ns = parts[i + 1];
            i += 2;
        }

        string plural = parts[i];
        string? name = parts.Length > i + 1 ? parts[i + 1] : null;
        string method = context.Request.Method;
        switch (method, name)
        {
            case ("GET", null) when context.Request.Query["watch"] is var w && (w == "true" || w == "1"):
                Count("watch", plural);
                await WatchAsync(context, apiVersion, plural, ns).ConfigureAwait(false);
                break;
            case ("GET", null):
                Count("list", plural);
                await ListAsync(context, apiVersion, plural, ns).ConfigureAwait(false);
                break;
            case ("GET", { } one):
                Count("get", plural);
                await GetAsync(context, plural, ns ?? string.Empty, one).ConfigureAwait(false);
                break;
            case ("POST", null):
                Count("create", plural);
                await CreateAsync(context, plural, ns ?? string.Empty).ConfigureAwait(false);
                break;
            case ("PUT", { } replaced):
                Count("update", plural);
                await ReplaceAsync(context, plural, ns ?? string.Empty, replaced).ConfigureAwait(false);
                break;
            case ("PATCH", { } patched):
                Count("patch", plural);
                await PatchAsync(context, plural, ns ?? string.Empty, patched).ConfigureAwait(false);
                break;
            case ("DELETE", { } deletedName):
                Count("delete", plural);
                bool deleted = Delete(plural, ns ?? string.Empty, deletedName);
                await WriteStatus(context, deleted ? 200 : 404, deleted ? "Success" : "NotFound", $"{plural} {deletedName}").ConfigureAwait(false);
                break;
            default:
                await WriteStatus(context, 405, "MethodNotAllowed", method).ConfigureAwait(false);
                break;
        }
    }

    private void Count(string verb, string plural) => requestCounts.AddOrUpdate($"{verb} {plural}", 1, (_, n) => n + 1);

    private async Task ListAsync(HttpContext context, string apiVersion, string plural, string? ns)
    {
        LabelSelector selector = LabelSelector.Parse(context.Request.Query["labelSelector"]);
        FieldSelector fields = FieldSelector.Parse(context.Request.Query["fieldSelector"]);
        JsonObject list;
        string[] raw;
        lock (gate)
        {
            raw = [.. rawObjects.Where(r => r.Key.Plural == plural && (ns is null || r.Key.Namespace == ns)).Select(r => r.Value)];
            var items = new JsonArray();
            string kind = "Unknown";
            foreach (var ((p, n, _), obj) in objects.OrderBy(o => o.Key.Namespace, StringComparer.Ordinal).ThenBy(o => o.Key.Name, StringComparer.Ordinal))
            {
                if (p == plural && (ns is null || n == ns) && selector.Matches(Labels(obj)) && fields.Matches(obj))
                {
                    kind = (string?)obj["kind"] ?? kind;
                    items.Add(obj.DeepClone());
                }
            }

            list = new JsonObject
            {
                ["apiVersion"] = apiVersion,
                ["kind"] = KindOf(plural, kind) + "List",
                ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) },
                ["items"] = items,
            };
        }

        if (raw.Length == 0)
        {
            await WriteJson(context, 200, list).ConfigureAwait(false);
            return;
        }

        // Raw items are spliced into the text ("items" is the last property), never parsed.
        string text = list.ToJsonString();
        string head = text[..^2];
        string spliced = string.Join(',', raw);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(head + (head.EndsWith('[') ? spliced : "," + spliced) + "]}").ConfigureAwait(false);
    }

    private static string KindOf(string plural, string fallback) => plural switch
    {
        "applications" => "Application",
        "rollouts" => "Rollout",
        "leases" => "Lease",
        "events" => "Event",
        _ => fallback,
    };

    private async Task WatchAsync(HttpContext context, string apiVersion, string plural, string? ns)
    {
        IQueryCollection query = context.Request.Query;
        LabelSelector selector = LabelSelector.Parse(query["labelSelector"]);
        FieldSelector fields = FieldSelector.Parse(query["fieldSelector"]);
        long from = long.TryParse(query["resourceVersion"], CultureInfo.InvariantCulture, out long v) ? v : 0;
        int timeoutSeconds = int.TryParse(query["timeoutSeconds"], CultureInfo.InvariantCulture, out int t) ? t : 1800;
        var connection = new WatchConnection(plural, ns, selector, KindOf(plural, "Unknown"), apiVersion, fields);
        bool expired;
        lock (gate)
        {
            expired = from != 0 && from < compactedBelow;
            if (!expired)
            {
                if (from == 0)
                {
                    // Like the API server: a watch without resourceVersion starts with synthetic ADDED events.
                    foreach (var ((p, n, _), obj) in objects)
                    {
                        if (p == plural && (ns is null || n == ns) && selector.Matches(Labels(obj)) && fields.Matches(obj))
                        {
                            connection.Lines.Writer.TryWrite(EventLine("ADDED", obj));
                        }
                    }
                }
                else
                {
                    foreach (HistoryEntry entry in history)
                    {
                        if (entry.ResourceVersion > from && connection.Matches(entry))
                        {
                            connection.Lines.Writer.TryWrite(entry.Line);
                        }
                    }
                }

                connections.Add(connection);
                SignalWatchesChanged();
            }
        }

        if (expired)
        {
            string message = $"too old resource version: {from} ({compactedBelow})";
            if (ExpiredAsHttpStatus)
            {
                await WriteStatus(context, 410, "Expired", message).ConfigureAwait(false);
                return;
            }

            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(EventLine("ERROR", StatusObject(410, "Expired", message)) + "\n").ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.Body.FlushAsync().ConfigureAwait(false);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, connection.Dropped);
        cts.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
        long unflushed = 0;
        try
        {
            while (true)
            {
                string line = await connection.Lines.Reader.ReadAsync(cts.Token).ConfigureAwait(false);
                Task gateTask;
                lock (gate)
                {
                    gateTask = resumed.Task;
                }

                await gateTask.WaitAsync(cts.Token).ConfigureAwait(false);

                // A completed gate does not observe the token: a watch dropped meanwhile must not deliver the line.
                cts.Token.ThrowIfCancellationRequested();
                unflushed += System.Text.Encoding.UTF8.GetBytes(line + "\n", context.Response.BodyWriter);

                // Under load, send what is queued in one chunk (as the API server's buffered writer does).
                if (connection.Lines.Reader.Count == 0 || unflushed > 64 * 1024)
                {
                    await context.Response.BodyWriter.FlushAsync(cts.Token).ConfigureAwait(false);
                    unflushed = 0;
                }
            }
        }
        catch (OperationCanceledException)
        {
            if (connection.Aborted)
            {
                context.Abort();
            }
        }
        finally
        {
            lock (gate)
            {
                connections.Remove(connection);
                SignalWatchesChanged();
            }
        }
    }

    private void SignalWatchesChanged()
    {
        TaskCompletionSource previous = watchesChanged;
        watchesChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        previous.TrySetResult();
    }

    private async Task GetAsync(HttpContext context, string plural, string ns, string name)
    {
        JsonObject? obj = Get(plural, ns, name);
        if (obj is null)
        {
            await WriteStatus(context, 404, "NotFound", $"{plural} \"{name}\" not found").ConfigureAwait(false);
            return;
        }

        await WriteJson(context, 200, obj).ConfigureAwait(false);
    }

    private async Task CreateAsync(HttpContext context, string plural, string ns)
    {
        JsonObject obj = await ReadObject(context).ConfigureAwait(false);
        JsonObject metadata = obj["metadata"] as JsonObject ?? [];
        obj["metadata"] = metadata;
        metadata["namespace"] = ns;
        string name = (string?)metadata["name"] ?? string.Empty;
        if (name.Length == 0 && (string?)metadata["generateName"] is { Length: > 0 } generateName)
        {
            // As the API server does: the prefix and five random characters.
            name = generateName + Guid.NewGuid().ToString("N")[..5];
            metadata["name"] = name;
        }

        lock (gate)
        {
            if (objects.ContainsKey((plural, ns, name)))
            {
                obj = null!;
            }
            else
            {
                metadata.Remove("resourceVersion");
                metadata.Remove("uid");
                Upsert(plural, obj);
                obj = (JsonObject)objects[(plural, ns, name)].DeepClone();
            }
        }

        if (obj is null)
        {
            await WriteStatus(context, 409, "AlreadyExists", $"{plural} \"{name}\" already exists").ConfigureAwait(false);
            return;
        }

        await WriteJson(context, 201, obj).ConfigureAwait(false);
    }

    private async Task ReplaceAsync(HttpContext context, string plural, string ns, string name)
    {
        JsonObject obj = await ReadObject(context).ConfigureAwait(false);
        JsonObject metadata = obj["metadata"] as JsonObject ?? [];
        obj["metadata"] = metadata;
        metadata["namespace"] = ns;
        metadata["name"] = name;
        string? expected = (string?)metadata["resourceVersion"];
        string? conflict = null;
        lock (gate)
        {
            if (!objects.TryGetValue((plural, ns, name), out JsonObject? current))
            {
                conflict = "NotFound";
            }
            else if (expected is not null && expected != (string?)current["metadata"]!["resourceVersion"])
            {
                conflict = "Conflict";
            }
            else
            {
                metadata["uid"] = current["metadata"]!["uid"]!.DeepClone();
                Upsert(plural, obj);
                obj = (JsonObject)objects[(plural, ns, name)].DeepClone();
            }
        }

        switch (conflict)
        {
            case "NotFound":
                await WriteStatus(context, 404, "NotFound", $"{plural} \"{name}\" not found").ConfigureAwait(false);
                break;
            case "Conflict":
                await WriteStatus(context, 409, "Conflict", $"Operation cannot be fulfilled on {plural} \"{name}\": the object has been modified; please apply your changes to the latest version and try again").ConfigureAwait(false);
                break;
            default:
                await WriteJson(context, 200, obj).ConfigureAwait(false);
                break;
        }
    }

    private async Task PatchAsync(HttpContext context, string plural, string ns, string name)
    {
        string contentType = context.Request.ContentType ?? string.Empty;
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        string body = await reader.ReadToEndAsync().ConfigureAwait(false);
        patches.Enqueue(new RecordedPatch(plural, ns, name, contentType, body));
        JsonObject? result;
        bool conflict = false;
        lock (gate)
        {
            JsonNode? patch = JsonNode.Parse(body);

            // A merge patch carrying metadata.resourceVersion is optimistic concurrency, as on a real API server.
            string? precondition = contentType.StartsWith("application/json-patch+json", StringComparison.Ordinal) ? null : (string?)(patch as JsonObject)?["metadata"]?["resourceVersion"];
            if (!objects.TryGetValue((plural, ns, name), out JsonObject? current))
            {
                result = null;
            }
            else if (precondition is not null && precondition != (string?)current["metadata"]!["resourceVersion"])
            {
                conflict = true;
                result = null;
            }
            else
            {
                var patched = (JsonObject)current.DeepClone();
                if (contentType.StartsWith("application/json-patch+json", StringComparison.Ordinal))
                {
                    JsonPatch.Apply(patched, patch!.AsArray());
                }
                else
                {
                    patched = (JsonObject)MergePatch.Apply(patched, patch)!;
                }

                Upsert(plural, patched);
                result = (JsonObject)objects[(plural, ns, name)].DeepClone();
            }
        }

        if (conflict)
        {
            await WriteStatus(context, 409, "Conflict", $"Operation cannot be fulfilled on {plural} \"{name}\": the object has been modified; please apply your changes to the latest version and try again").ConfigureAwait(false);
            return;
        }

        if (result is null)
        {
            await WriteStatus(context, 404, "NotFound", $"{plural} \"{name}\" not found").ConfigureAwait(false);
            return;
        }

        await WriteJson(context, 200, result).ConfigureAwait(false);
    }

    private static async Task<JsonObject> ReadObject(HttpContext context) =>
        (await JsonNode.ParseAsync(context.Request.Body).ConfigureAwait(false))?.AsObject() ?? [];

    private static JsonObject StatusObject(int code, string reason, string message) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = code < 400 ? "Success" : "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["code"] = code,
    };

    private static Task WriteStatus(HttpContext context, int code, string reason, string message) =>
        WriteJson(context, code, StatusObject(code, reason, message));

    private static async Task WriteJson(HttpContext context, int code, JsonNode node)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(node.ToJsonString()).ConfigureAwait(false);
    }

    private sealed record HistoryEntry(long ResourceVersion, string Plural, string? Namespace, Dictionary<string, string>? Labels, string Line, JsonObject? Object = null);

#pragma warning disable CA1001 // The token source lives as long as the test server; nothing to release.
    private sealed class WatchConnection(string plural, string? ns, LabelSelector selector, string kind, string apiVersion, FieldSelector fields)
#pragma warning restore CA1001
    {
        private readonly CancellationTokenSource dropped = new();

        public Channel<string> Lines { get; } = Channel.CreateUnbounded<string>();

        public string Kind => kind;

        public string ApiVersion => apiVersion;

        public CancellationToken Dropped => dropped.Token;

        public bool Aborted { get; private set; }

        public bool Matches(HistoryEntry entry) =>
            entry.Plural == plural
            && (ns is null || entry.Namespace is null || entry.Namespace == ns)
            && (entry.Labels is null || selector.Matches(entry.Labels))
            && (entry.Object is null || fields.Matches(entry.Object));

        public void Drop(bool abort)
        {
            Aborted = abort;
            dropped.Cancel();
        }
    }
}

/// <summary>A patch the fake API server received.</summary>
public sealed record RecordedPatch(string Plural, string Namespace, string Name, string ContentType, string Body);
