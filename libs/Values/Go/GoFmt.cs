using System.Globalization;
using System.Text;

namespace Lookout.Values;

/// <summary>
/// Go's <c>fmt</c> printing of object-model values: <c>Sprint</c>, <c>Sprintln</c>, <c>Sprintf</c> with Go's verbs
/// and flags (numbers and quoting come from <see cref="GoStrconv"/>, type names from <see cref="GoTypes"/>).
/// Templates (<c>print</c>, <c>printf</c>, <c>{{.}}</c>), Sprig and expr's <c>string()</c> all print through here,
/// so a value reads the same everywhere.
/// </summary>
public static class GoFmt
{
    private const string NilAngle = "<nil>";

    /// <summary>Go's type name of a value; kept here for callers, the definition is <see cref="GoTypes.Name"/>.</summary>
    public static string TypeName(object? value) => GoTypes.Name(value);

    /// <summary>Go's <c>fmt.Sprint</c>: spaces between operands when neither is a string.</summary>
    public static string Sprint(IReadOnlyList<object?> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        Printer p = Printer.Rent();
        bool prevString = false;
        for (int i = 0; i < args.Count; i++)
        {
            bool isString = args[i] is string;
            if (i > 0 && !isString && !prevString)
            {
                p.Buffer.Append(' ');
            }

            p.PrintArg(args[i], 'v');
            prevString = isString;
        }

        return p.Finish();
    }

    /// <summary>Go's <c>fmt.Sprintln</c>: spaces between all operands and a newline.</summary>
    public static string Sprintln(IReadOnlyList<object?> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        Printer p = Printer.Rent();
        for (int i = 0; i < args.Count; i++)
        {
            if (i > 0)
            {
                p.Buffer.Append(' ');
            }

            p.PrintArg(args[i], 'v');
        }

        p.Buffer.Append('\n');
        return p.Finish();
    }

    /// <summary>Go's <c>fmt.Sprint</c> of one value (<c>%v</c>).</summary>
    public static string ToString(object? value)
    {
        if (value is string s)
        {
            return s;
        }

        Printer p = Printer.Rent();
        p.PrintArg(value, 'v');
        return p.Finish();
    }

    /// <summary>Go's <c>fmt.Sprintf</c>.</summary>
    public static string Sprintf(string format, IReadOnlyList<object?> args)
    {
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(args);
        Printer p = Printer.Rent();
        p.DoPrintf(format, args);
        return p.Finish();
    }

    /// <summary>Go's <c>strconv.Quote</c>; kept here for callers, the definition is <see cref="GoStrconv.Quote"/>.</summary>
    public static string Quote(string s, bool asciiOnly = false) => GoStrconv.Quote(s, asciiOnly);

    /// <summary>Go's <c>unicode.IsPrint</c>; kept here for callers, the definition is <see cref="GoUnicode.IsPrint"/>.</summary>
    public static bool IsPrint(int r) => GoUnicode.IsPrint(r);

    private sealed class Printer
    {
        private bool sharp;
        private bool zero;
        private bool plus;
        private bool minus;
        private bool space;
        private bool sharpV;
        private bool plusV;
        private bool widPresent;
        private bool precPresent;
        private int wid;
        private int prec;

        // One printer per thread is reused. Safe because a printer is taken (spare set to null) for the whole of one
        // Sprint/Sprintf, which runs to completion on its thread: nothing in fmt awaits, so no other work interleaves on
        // this thread mid-print, and a value that formats itself with fmt (nested) finds no spare and gets its own.
        // No engine function may await; one that did would break this (and the expr frame's) reuse.
        [ThreadStatic]
        private static Printer? spare;

        // What printing lists and maps wrote, charged to the evaluation's budget as it is written: their text can be
        // far larger than the value (a list holding itself twice, doubled; a width applied to every element).
        // Scalars at the top are the caller's to charge (the template's printing builtins, Sprig's functions).
        private WrittenText written;
        private long walked;

        public StringBuilder Buffer { get; } = new();

        public static Printer Rent()
        {
            Printer p = spare ?? new Printer();
            spare = null;
            p.Buffer.Clear();
            p.ClearFlags();
            p.walked = 0;
            return p;
        }

        /// <summary>The text printed; the printer goes back for reuse unless its buffer grew large.</summary>
        public string Finish()
        {
            if (walked > 0)
            {
                // The copy ToString makes of what the walks wrote.
                EvaluationBudget.Charge(walked);
            }

            string text = Buffer.ToString();
            if (Buffer.Capacity <= 4096)
            {
                spare = this;
            }

            return text;
        }

        public void DoPrintf(string format, IReadOnlyList<object?> a)
        {
            int end = format.Length;
            int argNum = 0;
            int i = 0;
            while (i < end)
            {
                int lasti = i;
                while (i < end && format[i] != '%')
                {
                    i++;
                }

                if (i > lasti)
                {
                    Buffer.Append(format, lasti, i - lasti);
                }

                if (i >= end)
                {
                    break;
                }

                i++;
                ClearFlags();
                bool done = false;
                for (; i < end; i++)
                {
                    char c = format[i];
                    if (c == '#')
                    {
                        sharp = true;
                    }
                    else if (c == '0')
                    {
                        zero = !minus;
                    }
                    else if (c == '+')
                    {
                        plus = true;
                    }
                    else if (c == '-')
                    {
                        minus = true;
                        zero = false;
                    }
                    else if (c == ' ')
                    {
                        space = true;
                    }
                    else
                    {
                        if (c is >= 'a' and <= 'z' && argNum < a.Count)
                        {
                            if (c == 'v')
                            {
                                sharpV = sharp;
                                sharp = false;
                                plusV = plus;
                                plus = false;
                            }

                            PrintArg(a[argNum], c);
                            argNum++;
                            i++;
                            done = true;
                        }

                        break;
                    }
                }

                if (done)
                {
                    continue;
                }

                // Width.
                if (i < end && format[i] == '*')
                {
                    i++;
                    (wid, widPresent, argNum) = IntFromArg(a, argNum);
                    if (!widPresent)
                    {
                        Buffer.Append("%!(BADWIDTH)");
                    }

                    if (wid < 0)
                    {
                        wid = -wid;
                        minus = true;
                        zero = false;
                    }
                }
                else
                {
                    (wid, widPresent, i) = ParseNum(format, i, end);
                }

                // Precision.
                if (i + 1 < end && format[i] == '.')
                {
                    i++;
                    if (i < end && format[i] == '*')
                    {
                        i++;
                        (prec, precPresent, argNum) = IntFromArg(a, argNum);
                        if (prec < 0)
                        {
                            prec = 0;
                            precPresent = false;
                        }

                        if (!precPresent)
                        {
                            Buffer.Append("%!(BADPREC)");
                        }
                    }
                    else
                    {
                        (prec, precPresent, i) = ParseNum(format, i, end);
                        if (!precPresent)
                        {
                            prec = 0;
                            precPresent = true;
                        }
                    }
                }

                if (i >= end)
                {
                    Buffer.Append("%!(NOVERB)");
                    break;
                }

                int verb = char.IsHighSurrogate(format[i]) && i + 1 < end ? char.ConvertToUtf32(format[i], format[i + 1]) : format[i];
                i += verb > 0xFFFF ? 2 : 1;
                if (verb == '%')
                {
                    Buffer.Append('%');
                }
                else if (argNum >= a.Count)
                {
                    Buffer.Append("%!").Append(char.ConvertFromUtf32(verb)).Append("(MISSING)");
                }
                else
                {
                    if (verb == 'v')
                    {
                        sharpV = sharp;
                        sharp = false;
                        plusV = plus;
                        plus = false;
                    }

                    PrintArg(a[argNum], verb);
                    argNum++;
                }
            }

            if (argNum < a.Count)
            {
                ClearFlags();
                Buffer.Append("%!(EXTRA ");
                for (int k = argNum; k < a.Count; k++)
                {
                    if (k > argNum)
                    {
                        Buffer.Append(", ");
                    }

                    if (a[k] is null)
                    {
                        Buffer.Append(NilAngle);
                    }
                    else
                    {
                        Buffer.Append(TypeName(a[k])).Append('=');
                        PrintArg(a[k], 'v');
                    }
                }

                Buffer.Append(')');
            }
        }

        public void PrintArg(object? arg, int verb)
        {
            if (arg is null)
            {
                if (verb is 'T' or 'v')
                {
                    PadString(NilAngle);
                }
                else
                {
                    BadVerb(verb, arg, isNilInterface: true);
                }

                return;
            }

            if (verb == 'T')
            {
                FmtS(TypeName(arg));
                return;
            }

            PrintValue(arg, verb, 0);
        }

        // The outermost list or map of an argument starts charging what is written; it ends by charging the rest.
        private int StartWalk(int depth)
        {
            if (depth == 0)
            {
                written.Start(Buffer);
            }

            return Buffer.Length;
        }

        private void EndWalk(int depth, int start)
        {
            if (depth == 0)
            {
                written.Flush(Buffer);
                walked += Buffer.Length - start;
            }
        }

        private void PrintValue(object? value, int verb, int depth)
        {
            switch (value)
            {
                case null:
                    // A nil element of a list or map: Go prints <nil> whatever the verb.
                    Buffer.Append(NilAngle);
                    return;
                case bool b:
                    if (verb is 't' or 'v')
                    {
                        PadString(b ? "true" : "false");
                    }
                    else
                    {
                        BadVerb(verb, value);
                    }

                    return;
                case long l:
                    FmtInteger(unchecked((ulong)l), true, verb, value);
                    return;
                case int n:
                    FmtInteger(unchecked((ulong)(long)n), true, verb, value);
                    return;
                case nint n:
                    FmtInteger(unchecked((ulong)(long)n), true, verb, value);
                    return;
                case short n:
                    FmtInteger(unchecked((ulong)(long)n), true, verb, value);
                    return;
                case sbyte n:
                    FmtInteger(unchecked((ulong)(long)n), true, verb, value);
                    return;
                case byte n:
                    FmtInteger(n, false, verb, value);
                    return;
                case ushort n:
                    FmtInteger(n, false, verb, value);
                    return;
                case uint n:
                    FmtInteger(n, false, verb, value);
                    return;
                case ulong n:
                    FmtInteger(n, false, verb, value);
                    return;
                case double d:
                    FmtFloat(d, verb, value);
                    return;
                case float f:
                    FmtFloat(f, verb, value);
                    return;
                case string s:
                    if (depth > 0)
                    {
                        written.Reserve(Buffer, s.Length);
                    }

                    FmtString(s, verb, value);
                    return;
                case IGoObject o when verb is 'v' or 's' or 'x' or 'X' or 'q':
                    FmtString(o.ToString() ?? string.Empty, verb, value);
                    return;
                case IDictionary<string, object?> map:
                    {
                        EvaluationBudget.Visit(depth, "printing a value");
                        int start = StartWalk(depth);
                        Buffer.Append("map[");
                        bool first = true;
                        foreach (string key in map.Keys.Order(StringComparer.Ordinal))
                        {
                            if (!first)
                            {
                                Buffer.Append(' ');
                            }

                            first = false;
                            PrintValue(key, verb, depth + 1);
                            Buffer.Append(':');
                            PrintValue(map[key], verb, depth + 1);
                            written.Written(Buffer);
                        }

                        Buffer.Append(']');
                        EndWalk(depth, start);
                        return;
                    }

                case IList<object?> list:
                    {
                        EvaluationBudget.Visit(depth, "printing a value");
                        int start = StartWalk(depth);
                        Buffer.Append('[');
                        for (int i = 0; i < list.Count; i++)
                        {
                            if (i > 0)
                            {
                                Buffer.Append(' ');
                            }

                            PrintValue(list[i], verb, depth + 1);
                            written.Written(Buffer);
                        }

                        Buffer.Append(']');
                        EndWalk(depth, start);
                        return;
                    }
                default:
                    if (verb is 'v' or 's')
                    {
                        PadString(value.ToString() ?? string.Empty);
                    }
                    else
                    {
                        BadVerb(verb, value);
                    }

                    return;
            }
        }

        private void BadVerb(int verb, object? arg, bool isNilInterface = false)
        {
            Buffer.Append("%!").Append(char.ConvertFromUtf32(verb)).Append('(');
            if (arg is not null)
            {
                Buffer.Append(TypeName(arg)).Append('=');
                PrintArg(arg, 'v');
            }
            else
            {
                _ = isNilInterface;
                Buffer.Append(NilAngle);
            }

            Buffer.Append(')');
        }

        private void FmtString(string s, int verb, object arg)
        {
            switch (verb)
            {
                case 'v':
                    if (sharpV)
                    {
                        PadString(GoStrconv.Quote(s));
                    }
                    else
                    {
                        FmtS(s);
                    }

                    break;
                case 's':
                    FmtS(s);
                    break;
                case 'x':
                    FmtSx(s, "0123456789abcdef");
                    break;
                case 'X':
                    FmtSx(s, "0123456789ABCDEF");
                    break;
                case 'q':
                    string t = Truncate(s);
                    PadString(sharp && !t.Contains('`', StringComparison.Ordinal) && t.All(ch => ch == '\t' || !char.IsControl(ch)) ? "`" + t + "`" : GoStrconv.Quote(t, plus));
                    break;
                default:
                    BadVerb(verb, arg);
                    break;
            }
        }

        private void FmtS(string s) => PadString(Truncate(s));

        private string Truncate(string s)
        {
            if (!precPresent)
            {
                return s;
            }

            int n = 0;
            for (int i = 0; i < s.Length; i++)
            {
                if (n == prec)
                {
                    return s[..i];
                }

                if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length)
                {
                    i++;
                }

                n++;
            }

            return s;
        }

        private void FmtSx(string s, string digits)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(s);
            int length = bytes.Length;
            if (precPresent && prec < length)
            {
                length = prec;
            }

            var b = new StringBuilder();
            for (int i = 0; i < length; i++)
            {
                if (space && i > 0)
                {
                    b.Append(' ');
                }

                if (sharp && (space || i == 0))
                {
                    b.Append('0').Append(digits[10] == 'a' ? 'x' : 'X');
                }

                b.Append(digits[bytes[i] >> 4]).Append(digits[bytes[i] & 0xF]);
            }

            PadString(b.ToString());
        }

        private void FmtInteger(ulong u, bool signed, int verb, object arg)
        {
            switch (verb)
            {
                case 'v' or 'd':
                    FmtIntegerBase(u, 10, signed, verb, "0123456789abcdefx");
                    break;
                case 'b':
                    FmtIntegerBase(u, 2, signed, verb, "0123456789abcdefx");
                    break;
                case 'o' or 'O':
                    FmtIntegerBase(u, 8, signed, verb, "0123456789abcdefx");
                    break;
                case 'x':
                    FmtIntegerBase(u, 16, signed, verb, "0123456789abcdefx");
                    break;
                case 'X':
                    FmtIntegerBase(u, 16, signed, verb, "0123456789ABCDEFX");
                    break;
                case 'c':
                    PadString(RuneString(u));
                    break;
                case 'q':
                    {
                        string r = RuneString(u);
                        PadString(r == "'" ? "'\\''" : "'" + GoStrconv.Quote(r, plus)[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal) + "'");
                        break;
                    }

                case 'U':
                    {
                        string hex = u.ToString("X4", CultureInfo.InvariantCulture);
                        string s = "U+" + hex;
                        if (sharp && u <= 0x10FFFF && GoUnicode.IsPrint((int)u))
                        {
                            s += " '" + RuneString(u) + "'";
                        }

                        PadString(s);
                        break;
                    }

                default:
                    BadVerb(verb, arg);
                    break;
            }
        }

        private static string RuneString(ulong u) =>
            u <= 0x10FFFF && !(u is >= 0xD800 and <= 0xDFFF) ? char.ConvertFromUtf32((int)u) : "\uFFFD";

        private void FmtIntegerBase(ulong u, int @base, bool isSigned, int verb, string digits)
        {
            bool negative = isSigned && (long)u < 0;
            if (negative)
            {
                u = unchecked((ulong)(-(long)u));
            }

            // Precision 0 and value 0 means "print nothing" but padding.
            if (precPresent && prec == 0 && u == 0)
            {
                bool oldZero = zero;
                zero = false;
                WritePadding(wid);
                zero = oldZero;
                return;
            }

            var digitsOut = new StringBuilder();
            if (u == 0)
            {
                digitsOut.Append('0');
            }

            while (u > 0)
            {
                digitsOut.Insert(0, digits[(int)(u % (ulong)@base)]);
                u /= (ulong)@base;
            }

            int precision = precPresent ? prec : (zero && widPresent && !minus ? wid : 0);
            if (zero && widPresent && !precPresent && (negative || plus || space))
            {
                precision--; // leave room for the sign
            }

            if (zero && widPresent && !precPresent && sharp && (@base == 16 || @base == 2 || @base == 8))
            {
                precision -= @base == 8 ? 1 : 2;
            }

            while (digitsOut.Length < precision)
            {
                digitsOut.Insert(0, '0');
            }

            string prefix = string.Empty;
            if (sharp)
            {
                prefix = @base switch
                {
                    2 => "0b",
                    8 when digitsOut[0] != '0' => "0",
                    16 => "0" + digits[16],
                    _ => string.Empty,
                };
            }

            if (verb == 'O')
            {
                prefix = "0o";
            }

            string sign = negative ? "-" : plus ? "+" : space ? " " : string.Empty;
            bool oldZero2 = zero;
            zero = false;
            PadString(sign + prefix + digitsOut);
            zero = oldZero2;
        }

        private void FmtFloat(double v, int verb, object arg)
        {
            switch (verb)
            {
                case 'v':
                    FmtFloatCore(v, 'g', -1);
                    break;
                case 'g' or 'G' or 'b' or 'x' or 'X':
                    FmtFloatCore(v, (char)verb, -1);
                    break;
                case 'f' or 'F' or 'e' or 'E':
                    FmtFloatCore(v, (char)verb, 6);
                    break;
                default:
                    BadVerb(verb, arg);
                    break;
            }
        }

        private void FmtFloatCore(double v, char verb, int precision)
        {
            if (precPresent)
            {
                precision = prec;
            }

            string num = FormatFloatForFmt(v, verb, precision);
            if (num[0] != '-' && num[0] != '+')
            {
                num = "+" + num;
            }

            if (space && num[0] == '+' && !plus)
            {
                num = " " + num[1..];
            }

            if (num[1] == 'I' || num[1] == 'N')
            {
                bool oldZero = zero;
                zero = false;
                if (num[1] == 'N' && !space && !plus)
                {
                    num = num[1..];
                }

                PadString(num);
                zero = oldZero;
                return;
            }

            if (sharp && verb != 'b')
            {
                // %#g keeps a decimal point; rarely used in templates, approximated.
                if (!num.Contains('.', StringComparison.Ordinal) && !num.Contains('e', StringComparison.Ordinal))
                {
                    num += ".";
                }
            }

            if (plus || num[0] != '+')
            {
                if (zero && widPresent && wid > num.Length)
                {
                    Buffer.Append(num[0]);
                    WritePadding(wid - num.Length);
                    Buffer.Append(num, 1, num.Length - 1);
                    return;
                }

                PadString(num);
                return;
            }

            PadString(num[1..]);
        }

        private static string FormatFloatForFmt(double v, char verb, int precision)
        {
            if (verb is 'x' or 'X')
            {
                return GoStrconv.HexFloat(v, verb == 'X');
            }

            if (verb == 'b')
            {
                return GoStrconv.BinaryFloat(v);
            }

            return GoStrconv.FormatFloat(v, verb, precision);
        }

        private void PadString(string s)
        {
            if (!widPresent || wid == 0)
            {
                Buffer.Append(s);
                return;
            }

            int width = wid - GoUnicode.RuneCount(s);
            if (!minus)
            {
                WritePadding(width);
                Buffer.Append(s);
            }
            else
            {
                Buffer.Append(s);
                WritePadding(width);
            }
        }

        private void WritePadding(int n)
        {
            if (n <= 0)
            {
                return;
            }

            Buffer.Append(zero ? '0' : ' ', n);
        }

        private void ClearFlags()
        {
            sharp = zero = plus = minus = space = sharpV = plusV = widPresent = precPresent = false;
            wid = prec = 0;
            _ = plusV;
        }

        private static (int Value, bool Present, int Next) ParseNum(string s, int start, int end)
        {
            if (start >= end || !char.IsAsciiDigit(s[start]))
            {
                return (0, false, start);
            }

            int num = 0;
            int i = start;
            while (i < end && char.IsAsciiDigit(s[i]))
            {
                if (num > 1_000_000)
                {
                    return (0, false, end);
                }

                num = (num * 10) + (s[i] - '0');
                i++;
            }

            return (num, true, i);
        }

        private static (int Value, bool Ok, int Next) IntFromArg(IReadOnlyList<object?> a, int argNum)
        {
            if (argNum >= a.Count)
            {
                return (0, false, argNum);
            }

            object? v = a[argNum];
            long? n = v switch
            {
                int i => i,
                nint i => i,
                long l => l,
                byte b => b,
                short s => s,
                _ => null,
            };
            if (n is null || n > 1_000_000 || n < -1_000_000)
            {
                return (0, false, argNum + 1);
            }

            return ((int)n.Value, true, argNum + 1);
        }
    }
}
