using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Lookout.Values;

/// <summary>
/// The one object model for decoded Kubernetes objects, read by the expr engine, the template engine and the
/// services alike. A decoded value is exactly one of:
/// <list type="bullet">
/// <item><c>null</c></item>
/// <item><see cref="bool"/></item>
/// <item><see cref="long"/> for a JSON number written without a fraction or exponent that fits 64 bits</item>
/// <item><see cref="double"/> for every other number</item>
/// <item><see cref="string"/></item>
/// <item><see cref="Dictionary{TKey, TValue}"/> of <c>string</c> to <c>object?</c> (ordinal keys) for an object</item>
/// <item><see cref="List{T}"/> of <c>object?</c> for an array</item>
/// </list>
/// Engines add their own runtime values on top (times, durations, functions: see <see cref="GoFunction"/> and
/// <see cref="IGoObject"/>), but an object decoded from JSON only ever holds the types above. Decode once per
/// event; never re-parse JSON per evaluation.
/// </summary>
public static class ObjectModel
{
    /// <summary>Decodes UTF-8 JSON into the object model.</summary>
    /// <exception cref="JsonException">The text is not valid JSON; the message names the line and byte position.</exception>
    public static object? FromJson(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 512, CommentHandling = JsonCommentHandling.Disallow });
        if (!reader.Read())
        {
            throw new JsonException("empty JSON document");
        }

        var value = ReadValue(ref reader);
        if (reader.Read())
        {
            throw new JsonException($"unexpected data after the JSON value at byte {reader.TokenStartIndex}");
        }

        return value;
    }

    /// <summary>Decodes JSON text into the object model.</summary>
    public static object? FromJson(string json) => FromJson(Encoding.UTF8.GetBytes(json));

    /// <summary>Converts an already parsed <see cref="JsonElement"/> into the object model.</summary>
    public static object? FromJsonElement(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    map[InternKey(property.Name)] = FromJsonElement(property.Value);
                }

                return map;
            case JsonValueKind.Array:
                var list = new List<object?>(element.GetArrayLength());
                foreach (var item in element.EnumerateArray())
                {
                    list.Add(FromJsonElement(item));
                }

                return list;
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                return DecodeNumber(element.GetRawText());
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }

    private const int MaxInternedKeyLength = 64;
    private const int MaxInternedKeys = 100_000;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Keys = new(StringComparer.Ordinal);

    /// <summary>
    /// The shared instance of a map key (bounded: long keys and keys beyond the pool's size are returned as they are).
    /// Decoded objects and compiled expressions use the same instances, so key comparisons are reference checks.
    /// </summary>
    public static string InternKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length > MaxInternedKeyLength)
        {
            return key;
        }

        if (Keys.TryGetValue(key, out var shared))
        {
            return shared;
        }

        // The runtime's intern pool, which string literals share: "app" in code and "app" decoded from JSON are
        // then one instance. Bounded by the pool's own count, since interned strings are never freed.
        return Keys.Count < MaxInternedKeys ? Keys.GetOrAdd(key, string.Intern) : key;
    }

    /// <summary>
    /// Reads a field of a decoded object by a key from <see cref="InternKey"/>. Small maps (the usual Kubernetes
    /// object) are scanned in entry order comparing references, which touches less memory than hashing; anything
    /// else falls back to the dictionary's own lookup, so the answer is always the dictionary's.
    /// </summary>
    public static bool TryGetField(Dictionary<string, object?> map, string internedKey, out object? value)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (map.Count <= 8)
        {
            foreach (var (key, item) in map)
            {
                if (ReferenceEquals(key, internedKey))
                {
                    value = item;
                    return true;
                }
            }
        }

        return map.TryGetValue(internedKey, out value);
    }

    /// <summary>Writes a value of the object model as compact JSON.</summary>
    public static string ToJson(object? value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true }))
        {
            WriteJson(writer, value);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes a value of the object model to a JSON writer. Non-finite doubles are written as the strings "+Inf", "-Inf" and "NaN".</summary>
    public static void WriteJson(Utf8JsonWriter writer, object? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case int i:
                writer.WriteNumberValue(i);
                break;
            case double d when double.IsNaN(d):
                writer.WriteStringValue("NaN");
                break;
            case double d when double.IsPositiveInfinity(d):
                writer.WriteStringValue("+Inf");
                break;
            case double d when double.IsNegativeInfinity(d):
                writer.WriteStringValue("-Inf");
                break;
            case double d:
                writer.WriteNumberValue(d);
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case IDictionary<string, object?> map:
                writer.WriteStartObject();
                foreach (var (key, item) in map)
                {
                    writer.WritePropertyName(key);
                    WriteJson(writer, item);
                }

                writer.WriteEndObject();
                break;
            case System.Collections.IEnumerable list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    WriteJson(writer, item);
                }

                writer.WriteEndArray();
                break;
            case IJsonWritable writable:
                writable.WriteJson(writer);
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static object? ReadValue(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                {
                    // Children first, then the map sized exactly: its buckets and entries end up side by side in
                    // memory, and keys are shared instances, so a lookup touches few cache lines.
                    var pairs = new List<KeyValuePair<string, object?>>();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                    {
                        var key = InternKey(reader.GetString()!);
                        reader.Read();
                        pairs.Add(new(key, ReadValue(ref reader)));
                    }

                    var map = new Dictionary<string, object?>(pairs.Count, StringComparer.Ordinal);
                    foreach (var (key, value) in pairs)
                    {
                        map[key] = value;
                    }

                    return map;
                }
            case JsonTokenType.StartArray:
                var list = new List<object?>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    list.Add(ReadValue(ref reader));
                }

                return list;
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
                var raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan.ToArray();
                return DecodeNumber(Encoding.ASCII.GetString(raw));
            case JsonTokenType.True:
                return true;
            case JsonTokenType.False:
                return false;
            case JsonTokenType.Null:
                return null;
            default:
                throw new JsonException($"unexpected JSON token {reader.TokenType} at byte {reader.TokenStartIndex}");
        }
    }

    /// <summary>The Kubernetes convention: an integer literal that fits 64 bits is a long, every other number a double.</summary>
    private static object DecodeNumber(string raw)
    {
        if (raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0 && long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return l;
        }

        return double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}

/// <summary>A runtime value (a time, a duration) that knows how to write itself as JSON.</summary>
public interface IJsonWritable
{
    void WriteJson(Utf8JsonWriter writer);
}
