using System.Text;

namespace Lookout.Values;

/// <summary>
/// What a serialiser following user data (JSON encoding, Go's <c>%v</c> of a nested value) has written into its
/// <see cref="StringBuilder"/>, charged to the evaluation's <see cref="EvaluationBudget"/> while it writes: a value
/// whose text is far larger than the value itself (a list holding itself twice, doubled five hundred times; deep
/// indentation) stops at the memory limit instead of filling memory first. Charges go in batches of
/// <see cref="Batch"/> characters, so the serialiser stops at most a batch and one element past the limit.
/// </summary>
/// <remarks>A mutable struct: keep it in a field of the serialiser's own object and call it through that field.</remarks>
internal struct WrittenText
{
    /// <summary>How many written characters are charged at once.</summary>
    public const int Batch = 1024;

    // The length of the builder up to which characters have been charged (ahead of it after Reserve).
    private long charged;

    /// <summary>Starts charging what is written into <paramref name="text"/> from its present length on.</summary>
    public void Start(StringBuilder text) => charged = text.Length;

    /// <summary>Charges what was written since the last charge once it reaches a batch. Call after each element.</summary>
    /// <exception cref="EvaluationLimitException">The text passed the memory limit.</exception>
    public void Written(StringBuilder text)
    {
        if (text.Length - charged >= Batch)
        {
            Flush(text);
        }
    }

    /// <summary>
    /// Charges, before they are written, <paramref name="count"/> characters about to be appended (a long string, an
    /// indentation), together with what was written and not yet charged, when that makes a batch.
    /// </summary>
    /// <exception cref="EvaluationLimitException">The text would pass the memory limit.</exception>
    public void Reserve(StringBuilder text, long count)
    {
        long ahead = text.Length + count - charged;
        if (ahead >= Batch)
        {
            EvaluationBudget.Charge(ahead);
            charged = text.Length + count;
        }
    }

    /// <summary>Charges everything written and not yet charged.</summary>
    /// <exception cref="EvaluationLimitException">The text passed the memory limit.</exception>
    public void Flush(StringBuilder text)
    {
        if (text.Length > charged)
        {
            EvaluationBudget.Charge(text.Length - charged);
            charged = text.Length;
        }
    }

    /// <summary>
    /// Charges everything not yet charged and then the copy <see cref="StringBuilder.ToString()"/> makes, and returns
    /// it: a serialiser's text exists twice at the end, in its builder and as the string returned.
    /// </summary>
    /// <exception cref="EvaluationLimitException">The text passed the memory limit.</exception>
    public string Finish(StringBuilder text)
    {
        Flush(text);
        EvaluationBudget.Charge(text.Length);
        return text.ToString();
    }
}
