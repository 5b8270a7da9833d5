namespace Lookout.Values;

/// <summary>
/// A Go slice whose element type is not <c>interface{}</c>, as some of Sprig's functions return them
/// (<c>splitList</c>, <c>keys</c>, <c>regexFindAll</c> give <c>[]string</c>; <c>until</c> gives <c>[]int</c>): a list like
/// any other to every function that reads it, whose Go type (<c>typeOf</c>, <c>%T</c>) and deep equality say what it is.
/// </summary>
public sealed class GoTypedList : List<object?>
{
    /// <summary>An empty slice of <paramref name="elementType"/> (Go's name of the element type, such as <c>string</c>).</summary>
    public GoTypedList(string elementType) => ElementType = elementType;

    /// <summary>A slice of <paramref name="elementType"/> holding <paramref name="items"/>.</summary>
    public GoTypedList(string elementType, IEnumerable<object?> items)
        : base(items) => ElementType = elementType;

    /// <summary>Go's name of the element type: <c>string</c>, <c>int</c>, <c>[]interface {}</c>.</summary>
    public string ElementType { get; }
}
