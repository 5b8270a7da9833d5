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
/// <item><see cref="ObjectMap"/> (string keys, ordinal, in the JSON's order) for an object</item>
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
                var map = new ObjectMap();
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
    public static string InternKey(string key) => InternKey(key, out _);

    /// <summary>As <see cref="InternKey(string)"/>, saying whether the instance returned is the pool's.</summary>
    internal static string InternKey(string key, out bool pooled)
    {
        ArgumentNullException.ThrowIfNull(key);
        pooled = false;
        if (key.Length > MaxInternedKeyLength)
        {
            return key;
        }

        if (Keys.TryGetValue(key, out var shared))
        {
            pooled = true;
            return shared;
        }

        // The runtime's intern pool, which string literals share: "app" in code and "app" decoded from JSON are
        // then one instance. Bounded by the pool's own count, since interned strings are never freed.
        if (Keys.Count >= MaxInternedKeys)
        {
            return key;
        }

        pooled = true;
        return Keys.GetOrAdd(key, string.Intern);
    }

    private const int MaxPooledValueLength = 24;
    private const int MaxPooledValues = 20_000;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> PooledValues = new(StringComparer.Ordinal);

    /// <summary>
    /// The shared instance of a short string value made of ASCII letters only (<c>Healthy</c>, <c>Synced</c>,
    /// <c>Succeeded</c>, <c>Deployment</c>: the enumerations Kubernetes objects repeat), or the string itself for
    /// anything else and once the pool is full. Decoded objects share these instances, which saves memory and
    /// keeps them in cache; compiled expressions pool their literals, so comparing equal values is a reference check.
    /// </summary>
    public static string PoolValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > MaxPooledValueLength || !IsLetters(value))
        {
            return value;
        }

        if (PooledValues.TryGetValue(value, out var shared))
        {
            return shared;
        }

        return AddPooled(value);
    }

    private static string AddPooled(string value) =>
        PooledValues.Count < MaxPooledValues ? PooledValues.GetOrAdd(value, value) : value;

    private static bool IsLetters(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (!char.IsAsciiLetter(c))
            {
                return false;
            }
        }

        return true;
    }

    private static string ReadKey(ref Utf8JsonReader reader, out bool pooled)
    {
        if (!reader.HasValueSequence && !reader.ValueIsEscaped && reader.ValueSpan.Length <= MaxInternedKeyLength && Ascii.IsValid(reader.ValueSpan))
        {
            // Known keys are found from the bytes, without allocating a string first.
            Span<char> chars = stackalloc char[MaxInternedKeyLength];
            Ascii.ToUtf16(reader.ValueSpan, chars, out int n);
            if (Keys.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(chars[..n], out string? shared))
            {
                pooled = true;
                return shared;
            }
        }

        return InternKey(reader.GetString()!, out pooled);
    }

    private static string ReadString(ref Utf8JsonReader reader)
    {
        ReadOnlySpan<byte> utf8 = reader.HasValueSequence ? default : reader.ValueSpan;
        if (reader.HasValueSequence || reader.ValueIsEscaped || utf8.Length > MaxPooledValueLength || utf8.IsEmpty)
        {
            return reader.GetString()!;
        }

        Span<char> chars = stackalloc char[MaxPooledValueLength];
        for (int i = 0; i < utf8.Length; i++)
        {
            byte b = utf8[i];
            if ((uint)((b | 0x20) - 'a') > 'z' - 'a')
            {
                return reader.GetString()!;
            }

            chars[i] = (char)b;
        }

        ReadOnlySpan<char> text = chars[..utf8.Length];
        if (PooledValues.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(text, out string? shared))
        {
            return shared;
        }

        return AddPooled(new string(text));
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
            case nint n:
                writer.WriteNumberValue((long)n);
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
                    bool allPooled = true;
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                    {
                        var key = ReadKey(ref reader, out bool pooled);
                        allPooled &= pooled;
                        reader.Read();
                        pairs.Add(new(key, ReadValue(ref reader)));
                    }

                    var map = new ObjectMap(pairs.Count);
                    HashSet<string>? seen = pairs.Count > 8 ? new(pairs.Count, StringComparer.Ordinal) : null;
                    foreach (var (key, value) in pairs)
                    {
                        // A key repeated in the JSON keeps its last value, as Go's decoder does.
                        if (seen is null ? map.ContainsKey(key) : !seen.Add(key))
                        {
                            map[key] = value;
                        }
                        else
                        {
                            map.AppendDecoded(key, value, allPooled);
                        }
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
                return ReadString(ref reader);
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
