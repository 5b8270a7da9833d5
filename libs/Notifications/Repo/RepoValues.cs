using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Lookout.Values;
using Lookout.Values.Time;

namespace Lookout.Notifications.Repo;

/// <summary>
/// The repo server's answers as templates and expressions see them, with argo-cd's Go field names:
/// <c>CommitMetadata{Message, Author, Date time.Time, Tags}</c> and <c>AppDetail{Type, Helm, Kustomize, Directory}</c>.
/// </summary>
public static class RepoValues
{
    /// <summary>A commit's metadata; <c>Date</c> is a Go time in the local zone (as Kubernetes decodes it), Go's zero time when absent.</summary>
    public static ObjectMap Commit(CommitMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return new ObjectMap
        {
            ["Message"] = metadata.Message,
            ["Author"] = metadata.Author,
            ["Date"] = metadata.Date is { } date ? new GoTime(date, GoLocation.Local) : GoTime.Zero,
            ["Tags"] = Strings(metadata.Tags),
        };
    }

    /// <summary>An application's details; <c>Helm</c> carries the source's parameter overrides, as in argo-cd.</summary>
    public static ObjectMap AppDetails(AppDetail detail, ObjectMap source)
    {
        ArgumentNullException.ThrowIfNull(detail);
        ArgumentNullException.ThrowIfNull(source);
        return new ObjectMap
        {
            ["Type"] = detail.Type,
            ["Helm"] = detail.Helm is null ? null : new HelmAppValue(detail.Helm, Overrides(source)),
            ["Kustomize"] = detail.Kustomize is null ? null : new ObjectMap { ["Images"] = Strings(detail.Kustomize.Images) },
            ["Directory"] = detail.Directory ? new ObjectMap() : null,
        };
    }

    private static List<HelmParameter> Overrides(ObjectMap source)
    {
        var list = new List<HelmParameter>();
        if (source.GetValueOrDefault("helm") is ObjectMap helm && helm.GetValueOrDefault("parameters") is IList<object?> parameters)
        {
            foreach (object? p in parameters)
            {
                if (p is ObjectMap map)
                {
                    list.Add(new HelmParameter(map.GetValueOrDefault("name") as string ?? string.Empty, map.GetValueOrDefault("value") as string ?? string.Empty, map.GetValueOrDefault("forceString") is true));
                }
            }
        }

        return list;
    }

    internal static List<object?> Strings(IEnumerable<string> values) => [.. values.Select(v => (object?)v)];

    internal static ObjectMap Parameter(HelmParameter p) => new() { ["Name"] = p.Name, ["Value"] = p.Value, ["ForceString"] = p.ForceString };
}

/// <summary>
/// argo-cd's <c>CustomHelmAppSpec</c>: the fields <c>HelmAppSpec</c> (the repo server's answer) and
/// <c>HelmParameterOverrides</c> (the Application's own parameters), and the methods <c>GetParameterValueByName</c> and
/// <c>GetFileParameterPathByName</c>. Lookout adds <c>GetParameterValueMap</c> (every parameter's value by name, an
/// override winning) and the <c>HelmAppSpec</c> fields directly on it (<c>.Helm.Parameters</c>), as Argo CD's
/// function reference describes them.
/// </summary>
public sealed class HelmAppValue : IDictionary<string, object?>, IGoObject, IJsonWritable
{
    private readonly HelmDetail detail;
    private readonly IReadOnlyList<HelmParameter> overrides;
    private readonly ObjectMap fields;

    public HelmAppValue(HelmDetail detail, IReadOnlyList<HelmParameter> overrides)
    {
        ArgumentNullException.ThrowIfNull(detail);
        ArgumentNullException.ThrowIfNull(overrides);
        this.detail = detail;
        this.overrides = overrides;
        var spec = new ObjectMap
        {
            ["Name"] = detail.Name,
            ["ValueFiles"] = RepoValues.Strings(detail.ValueFiles),
            ["Parameters"] = detail.Parameters.Select(p => (object?)RepoValues.Parameter(p)).ToList(),
            ["Values"] = detail.Values,
            ["FileParameters"] = detail.FileParameters.Select(p => (object?)new ObjectMap { ["Name"] = p.Name, ["Path"] = p.Path }).ToList(),
        };
        fields = new ObjectMap
        {
            ["HelmAppSpec"] = spec,
            ["HelmParameterOverrides"] = overrides.Select(p => (object?)RepoValues.Parameter(p)).ToList(),
        };
        foreach ((string key, object? value) in spec)
        {
            fields[key] = value;
        }
    }

    /// <inheritdoc/>
    public string GoTypeName => "shared.CustomHelmAppSpec";

    public ICollection<string> Keys => fields.Keys;

    public ICollection<object?> Values => fields.Values;

    public int Count => fields.Count;

    public bool IsReadOnly => true;

    public object? this[string key]
    {
        get => fields[key];
        set => throw new NotSupportedException("repo server answers are read-only");
    }

    /// <summary>The value of the named parameter: the Application's override, else the chart's, else empty.</summary>
    public string GetParameterValueByName(string name) =>
        overrides.FirstOrDefault(p => p.Name == name)?.Value ?? detail.Parameters.FirstOrDefault(p => p.Name == name)?.Value ?? string.Empty;

    /// <summary>The path of the named file parameter, else empty.</summary>
    public string GetFileParameterPathByName(string name) => detail.FileParameters.FirstOrDefault(p => p.Name == name)?.Path ?? string.Empty;

    /// <summary>Every parameter's value by name, the Application's overrides winning.</summary>
    public ObjectMap GetParameterValueMap()
    {
        var map = new ObjectMap();
        foreach (HelmParameter p in detail.Parameters.Concat(overrides))
        {
            map[p.Name] = p.Value;
        }

        return map;
    }

    /// <inheritdoc/>
    public bool TryGetMethod(string name, [NotNullWhen(true)] out GoFunction? method)
    {
        method = name switch
        {
            "GetParameterValueByName" => new GoFunction("GetParameterValueByName", 1, 1, a => GetParameterValueByName(Name(a[0], name))),
            "GetFileParameterPathByName" => new GoFunction("GetFileParameterPathByName", 1, 1, a => GetFileParameterPathByName(Name(a[0], name))),
            "GetParameterValueMap" => new GoFunction("GetParameterValueMap", 0, 0, _ => GetParameterValueMap()),
            _ => null,
        };
        return method is not null;
    }

    /// <inheritdoc/>
    public void WriteJson(Utf8JsonWriter writer) => ObjectModel.WriteJson(writer, fields);

    public bool ContainsKey(string key) => fields.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value) => fields.TryGetValue(key, out value);

    public bool Contains(KeyValuePair<string, object?> item) => ((ICollection<KeyValuePair<string, object?>>)fields).Contains(item);

    public void CopyTo(KeyValuePair<string, object?>[] array, int arrayIndex) => ((ICollection<KeyValuePair<string, object?>>)fields).CopyTo(array, arrayIndex);

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => fields.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Add(string key, object? value) => throw new NotSupportedException("repo server answers are read-only");

    public void Add(KeyValuePair<string, object?> item) => throw new NotSupportedException("repo server answers are read-only");

    public bool Remove(string key) => throw new NotSupportedException("repo server answers are read-only");

    public bool Remove(KeyValuePair<string, object?> item) => throw new NotSupportedException("repo server answers are read-only");

    public void Clear() => throw new NotSupportedException("repo server answers are read-only");

    public override string ToString() => $"{{{detail.Name} {overrides.Count} overrides}}";

    private static string Name(object? arg, string method) =>
        arg as string ?? throw new GoFunctionException($"{method}: expected a string, got {GoFmt.TypeName(arg)}");
}
