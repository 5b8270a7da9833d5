using System.Collections;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Lookout.Values;

/// <summary>
/// The object model's map: string keys (ordinal), values of the object model, entries kept in insertion order.
/// Keys and values sit side by side, the first four entries inside the map object itself (the rest in one array), so
/// reading a field touches few cache lines;
/// a field read can carry a <em>hint</em> (the position where the same key was found last time, kept by the caller
/// per call site), which on objects of the same shape turns the read into one comparison. Large maps add a hash index
/// on first lookup. Reads from many threads are safe once nobody writes; writes need the caller's own exclusion.
/// </summary>
[DebuggerDisplay("Count = {Count}")]
public sealed class ObjectMap : IDictionary<string, object?>, IReadOnlyDictionary<string, object?>
{
    private const int IndexThreshold = 8;

    // The first entries live in the map object itself: reading one of them needs the map's address only, not a
    // pointer loaded from it, so a path of field reads waits for one memory access per level instead of two.
    private const int InlineEntries = 4;

    private InlineSlots head;
    private object?[] rest; // the slots of entries from InlineEntries on
    private int count;
    private Dictionary<string, int>? index;
    private bool keysPooled = true;

    // One bit per key's identity hash: when every key is pooled, a pooled key whose bit is clear is not here, which
    // answers the common miss (an absent optional field) without reading the entries.
    private ulong keyBits;

    /// <summary>An empty map.</summary>
    public ObjectMap()
    {
        rest = [];
    }

    /// <summary>An empty map with room for <paramref name="capacity"/> entries.</summary>
    public ObjectMap(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        rest = capacity <= InlineEntries ? [] : new object?[(capacity - InlineEntries) * 2];
    }

    /// <summary>A map holding the given entries (a later duplicate key replaces an earlier one's value).</summary>
    public ObjectMap(IEnumerable<KeyValuePair<string, object?>> entries)
        : this(entries is IReadOnlyCollection<KeyValuePair<string, object?>> c ? c.Count : 0)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var (key, value) in entries)
        {
            this[key] = value;
        }
    }

    /// <summary>The number of entries.</summary>
    public int Count => count;

    /// <summary>The keys, in insertion order.</summary>
    public KeyCollection Keys => new(this);

    /// <summary>The values, in the keys' order.</summary>
    public ValueCollection Values => new(this);

    ICollection<string> IDictionary<string, object?>.Keys => Keys;

    ICollection<object?> IDictionary<string, object?>.Values => Values;

    IEnumerable<string> IReadOnlyDictionary<string, object?>.Keys => Keys;

    IEnumerable<object?> IReadOnlyDictionary<string, object?>.Values => Values;

    bool ICollection<KeyValuePair<string, object?>>.IsReadOnly => false;

    /// <summary>Gets or sets the value of a key; getting a missing key throws <see cref="KeyNotFoundException"/>.</summary>
    public object? this[string key]
    {
        get => TryGetValue(key, out object? value) ? value : throw new KeyNotFoundException($"The given key '{key}' was not present in the map.");
        set
        {
            int i = IndexOf(key);
            if (i >= 0)
            {
                Slot((2 * i) + 1) = value;
            }
            else
            {
                Append(key, value, pooled: false);
            }
        }
    }

    /// <summary>The key at a position (0 ≤ position &lt; <see cref="Count"/>).</summary>
    public string KeyAt(int position)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)position, (uint)count, nameof(position));
        return Unsafe.As<string>(Slot(2 * position))!;
    }

    /// <summary>The value at a position (0 ≤ position &lt; <see cref="Count"/>).</summary>
    public object? ValueAt(int position)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)position, (uint)count, nameof(position));
        return Slot((2 * position) + 1);
    }

    /// <summary>Adds an entry; throws <see cref="ArgumentException"/> when the key is already there.</summary>
    public void Add(string key, object? value)
    {
        if (!TryAdd(key, value))
        {
            throw new ArgumentException($"An item with the same key has already been added. Key: {key}", nameof(key));
        }
    }

    /// <summary>Adds an entry unless the key is already there.</summary>
    public bool TryAdd(string key, object? value)
    {
        if (IndexOf(key) >= 0)
        {
            return false;
        }

        Append(key, value, pooled: false);
        return true;
    }

    /// <summary>
    /// Appends an entry whose key the caller knows is new (the decoder, which resolves repeated keys itself), saying
    /// whether the key is the instance from <see cref="ObjectModel.InternKey(string)"/>.
    /// </summary>
    internal void AppendDecoded(string key, object? value, bool pooled) => Append(key, value, pooled);

    /// <summary>Whether the key is there.</summary>
    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    /// <summary>Reads the value of a key.</summary>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        int i = IndexOf(key);
        if (i >= 0)
        {
            value = Slot((2 * i) + 1);
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>
    /// Reads a field by a key from <see cref="ObjectModel.InternKey(string)"/>, trying first the position in
    /// <paramref name="hint"/> and leaving there the position where the key was found. The answer is always
    /// <see cref="TryGetValue"/>'s; the hint only makes it cheaper.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetField(string pooledKey, ref int hint, out object? value)
    {
        // Slots past the last entry hold null, so the hint needs no check against the count (one field less to read).
        // A key and its value are adjacent in either part.
        uint h = (uint)hint;
        uint r = 2 * (h - InlineEntries);
        if (h < InlineEntries || r < (uint)rest.Length)
        {
            ref object? key = ref h < InlineEntries ? ref head[(int)(2 * h)] : ref rest[r];
            if (ReferenceEquals(key, pooledKey))
            {
                value = Unsafe.Add(ref key, 1);
                return true;
            }
        }

        return TryGetFieldSlow(pooledKey, ref hint, out value);
    }

    private bool TryGetFieldSlow(string pooledKey, ref int hint, out object? value)
    {
        if (keysPooled && (keyBits & (1UL << RuntimeHelpers.GetHashCode(pooledKey))) == 0)
        {
            value = null;
            return false;
        }

        int i = IndexOfPooled(pooledKey);
        if (i >= 0)
        {
            hint = i;
            value = Slot((2 * i) + 1);
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>Removes a key; later entries move up one position.</summary>
    public bool Remove(string key)
    {
        int i = IndexOf(key);
        if (i < 0)
        {
            return false;
        }

        for (int j = 2 * i; j < (2 * count) - 2; j++)
        {
            Slot(j) = Slot(j + 2);
        }

        count--;
        Slot(2 * count) = null;
        Slot((2 * count) + 1) = null;
        index = null;
        return true;
    }

    /// <summary>Removes every entry.</summary>
    public void Clear()
    {
        ((Span<object?>)head).Clear();
        Array.Clear(rest);
        count = 0;
        index = null;
        keysPooled = true;
        keyBits = 0;
    }

    /// <summary>Enumerates the entries in insertion order.</summary>
    public Enumerator GetEnumerator() => new(this);

    IEnumerator<KeyValuePair<string, object?>> IEnumerable<KeyValuePair<string, object?>>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    void ICollection<KeyValuePair<string, object?>>.Add(KeyValuePair<string, object?> item) => Add(item.Key, item.Value);

    bool ICollection<KeyValuePair<string, object?>>.Contains(KeyValuePair<string, object?> item) =>
        TryGetValue(item.Key, out object? value) && EqualityComparer<object?>.Default.Equals(value, item.Value);

    void ICollection<KeyValuePair<string, object?>>.CopyTo(KeyValuePair<string, object?>[] array, int arrayIndex)
    {
        ArgumentNullException.ThrowIfNull(array);
        foreach (var entry in this)
        {
            array[arrayIndex++] = entry;
        }
    }

    bool ICollection<KeyValuePair<string, object?>>.Remove(KeyValuePair<string, object?> item) =>
        ((ICollection<KeyValuePair<string, object?>>)this).Contains(item) && Remove(item.Key);

    private void Append(string key, object? value, bool pooled)
    {
        if (count >= InlineEntries && 2 * (count - InlineEntries) == rest.Length)
        {
            Array.Resize(ref rest, Math.Max(8, rest.Length * 2));
        }

        Slot(2 * count) = key;
        Slot((2 * count) + 1) = value;
        index?.Add(key, count);
        count++;
        keysPooled &= pooled;
        keyBits |= 1UL << RuntimeHelpers.GetHashCode(key);
    }

    private int IndexOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (count > IndexThreshold)
        {
            return (index ?? BuildIndex()).TryGetValue(key, out int i) ? i : -1;
        }

        for (int i = 0; i < count; i++)
        {
            if (ReferenceEquals(Slot(2 * i), key))
            {
                return i;
            }
        }

        for (int i = 0; i < count; i++)
        {
            if (string.Equals(Unsafe.As<string>(Slot(2 * i)), key))
            {
                return i;
            }
        }

        return -1;
    }

    private int IndexOfPooled(string key)
    {
        if (count > IndexThreshold)
        {
            return (index ?? BuildIndex()).TryGetValue(key, out int i) ? i : -1;
        }

        for (int i = 0; i < count; i++)
        {
            if (ReferenceEquals(Slot(2 * i), key))
            {
                return i;
            }
        }

        // Both sides pooled: different instances are different keys.
        return keysPooled ? -1 : IndexOf(key);
    }

    /// <summary>Slot <paramref name="j"/> (the key of entry j/2 when even, its value when odd).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref object? Slot(int j) => ref j < 2 * InlineEntries ? ref head[j] : ref rest[j - (2 * InlineEntries)];

    private Dictionary<string, int> BuildIndex()
    {
        var built = new Dictionary<string, int>(count, StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            built[Unsafe.As<string>(Slot(2 * i))!] = i;
        }

        // Published whole: a reader on another thread sees either no index or a complete one.
        Volatile.Write(ref index, built);
        return built;
    }

    [InlineArray(2 * InlineEntries)]
    private struct InlineSlots
    {
        private object? first;
    }

    /// <summary>Enumerates a map's entries.</summary>
    public struct Enumerator : IEnumerator<KeyValuePair<string, object?>>
    {
        private readonly ObjectMap map;
        private int position;

        internal Enumerator(ObjectMap map)
        {
            this.map = map;
            position = -1;
        }

        /// <inheritdoc/>
        public readonly KeyValuePair<string, object?> Current =>
            new(Unsafe.As<string>(map.Slot(2 * position))!, map.Slot((2 * position) + 1));

        readonly object IEnumerator.Current => Current;

        /// <inheritdoc/>
        public bool MoveNext() => ++position < map.count;

        /// <inheritdoc/>
        public void Reset() => position = -1;

        /// <inheritdoc/>
        public readonly void Dispose()
        {
        }
    }

    /// <summary>A map's keys, in insertion order (a view: it follows the map).</summary>
    public readonly struct KeyCollection(ObjectMap map) : ICollection<string>, IReadOnlyCollection<string>
    {
        /// <inheritdoc/>
        public int Count => map.count;

        /// <inheritdoc/>
        public bool IsReadOnly => true;

        /// <inheritdoc/>
        public bool Contains(string item) => map.ContainsKey(item);

        /// <inheritdoc/>
        public void CopyTo(string[] array, int arrayIndex)
        {
            ArgumentNullException.ThrowIfNull(array);
            for (int i = 0; i < map.count; i++)
            {
                array[arrayIndex + i] = map.KeyAt(i);
            }
        }

        /// <summary>Enumerates the keys.</summary>
        public IEnumerator<string> GetEnumerator()
        {
            for (int i = 0; i < map.count; i++)
            {
                yield return map.KeyAt(i);
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        void ICollection<string>.Add(string item) => throw new NotSupportedException("the keys of a map are read-only");

        void ICollection<string>.Clear() => throw new NotSupportedException("the keys of a map are read-only");

        bool ICollection<string>.Remove(string item) => throw new NotSupportedException("the keys of a map are read-only");
    }

    /// <summary>A map's values, in the keys' order (a view: it follows the map).</summary>
    public readonly struct ValueCollection(ObjectMap map) : ICollection<object?>, IReadOnlyCollection<object?>
    {
        /// <inheritdoc/>
        public int Count => map.count;

        /// <inheritdoc/>
        public bool IsReadOnly => true;

        /// <inheritdoc/>
        public bool Contains(object? item)
        {
            for (int i = 0; i < map.count; i++)
            {
                if (EqualityComparer<object?>.Default.Equals(map.ValueAt(i), item))
                {
                    return true;
                }
            }

            return false;
        }

        /// <inheritdoc/>
        public void CopyTo(object?[] array, int arrayIndex)
        {
            ArgumentNullException.ThrowIfNull(array);
            for (int i = 0; i < map.count; i++)
            {
                array[arrayIndex + i] = map.ValueAt(i);
            }
        }

        /// <summary>Enumerates the values.</summary>
        public IEnumerator<object?> GetEnumerator()
        {
            for (int i = 0; i < map.count; i++)
            {
                yield return map.ValueAt(i);
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        void ICollection<object?>.Add(object? item) => throw new NotSupportedException("the values of a map are read-only");

        void ICollection<object?>.Clear() => throw new NotSupportedException("the values of a map are read-only");

        bool ICollection<object?>.Remove(object? item) => throw new NotSupportedException("the values of a map are read-only");
    }
}

/// <summary>Builds <see cref="ObjectMap"/>s from sequences.</summary>
public static class ObjectMapExtensions
{
    /// <summary>A map of the sequence's items (a later duplicate key replaces an earlier one's value).</summary>
    public static ObjectMap ToObjectMap<T>(this IEnumerable<T> source, Func<T, string> key, Func<T, object?> value)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        var map = new ObjectMap(source.TryGetNonEnumeratedCount(out int n) ? n : 0);
        foreach (T item in source)
        {
            map[key(item)] = value(item);
        }

        return map;
    }
}
