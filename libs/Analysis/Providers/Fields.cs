using Lookout.Values;

namespace Lookout.Analysis.Providers;

/// <summary>Reads a provider's fields from its object, with messages naming the field.</summary>
internal static class Fields
{
    public static string? String(ObjectMap m, string key, string provider) =>
        !m.TryGetValue(key, out object? v) || v is null ? null
        : v as string ?? throw new ProviderException($"{provider}.{key} must be a string");

    public static long? Int(ObjectMap m, string key, string provider) =>
        !m.TryGetValue(key, out object? v) || v is null ? null
        : v switch
        {
            long l => l,
            double d when d == Math.Floor(d) => (long)d,
            string s when long.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out long l) => l,
            _ => throw new ProviderException($"{provider}.{key} must be an integer"),
        };

    public static bool Bool(ObjectMap m, string key, string provider) =>
        m.TryGetValue(key, out object? v) && v switch
        {
            null => false,
            bool b => b,
            "true" => true,
            "false" => false,
            _ => throw new ProviderException($"{provider}.{key} must be true or false"),
        };

    public static ObjectMap? Map(ObjectMap m, string key, string provider) =>
        !m.TryGetValue(key, out object? v) || v is null ? null
        : v as ObjectMap ?? throw new ProviderException($"{provider}.{key} must be an object");

    /// <summary><c>headers: [{key, value}]</c>.</summary>
    public static IEnumerable<(string Key, string Value)> Headers(ObjectMap m, string provider)
    {
        if (!m.TryGetValue("headers", out object? v) || v is null)
        {
            yield break;
        }

        if (v is not List<object?> list)
        {
            throw new ProviderException($"{provider}.headers must be a list of {{key, value}}");
        }

        foreach (object? item in list)
        {
            if (item is not ObjectMap h || String(h, "key", $"{provider}.headers[]") is not { } key)
            {
                throw new ProviderException($"{provider}.headers must be a list of {{key, value}}");
            }

            yield return (key, String(h, "value", $"{provider}.headers[]") ?? string.Empty);
        }
    }
}
