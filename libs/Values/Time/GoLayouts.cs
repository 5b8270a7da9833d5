using System.Globalization;
using System.Text;

namespace Lookout.Values.Time;

/// <summary>Go's reference-time layouts: the standard constants and <c>Format</c>/<c>Parse</c> by layout.</summary>
public static class GoLayouts
{
    /// <summary>Go's <c>time.Layout</c>.</summary>
    public const string Layout = "01/02 03:04:05PM '06 -0700";

    /// <summary>Go's <c>time.ANSIC</c>.</summary>
    public const string ANSIC = "Mon Jan _2 15:04:05 2006";

    /// <summary>Go's <c>time.UnixDate</c>.</summary>
    public const string UnixDate = "Mon Jan _2 15:04:05 MST 2006";

    /// <summary>Go's <c>time.RubyDate</c>.</summary>
    public const string RubyDate = "Mon Jan 02 15:04:05 -0700 2006";

    /// <summary>Go's <c>time.RFC822</c>.</summary>
    public const string RFC822 = "02 Jan 06 15:04 MST";

    /// <summary>Go's <c>time.RFC822Z</c>.</summary>
    public const string RFC822Z = "02 Jan 06 15:04 -0700";

    /// <summary>Go's <c>time.RFC850</c>.</summary>
    public const string RFC850 = "Monday, 02-Jan-06 15:04:05 MST";

    /// <summary>Go's <c>time.RFC1123</c>.</summary>
    public const string RFC1123 = "Mon, 02 Jan 2006 15:04:05 MST";

    /// <summary>Go's <c>time.RFC1123Z</c>.</summary>
    public const string RFC1123Z = "Mon, 02 Jan 2006 15:04:05 -0700";

    /// <summary>Go's <c>time.RFC3339</c>.</summary>
    public const string RFC3339 = "2006-01-02T15:04:05Z07:00";

    /// <summary>Go's <c>time.RFC3339Nano</c>.</summary>
    public const string RFC3339Nano = "2006-01-02T15:04:05.999999999Z07:00";

    /// <summary>Go's <c>time.Kitchen</c>.</summary>
    public const string Kitchen = "3:04PM";

    /// <summary>Go's <c>time.Stamp</c>.</summary>
    public const string Stamp = "Jan _2 15:04:05";

    /// <summary>Go's <c>time.StampMilli</c>.</summary>
    public const string StampMilli = "Jan _2 15:04:05.000";

    /// <summary>Go's <c>time.StampMicro</c>.</summary>
    public const string StampMicro = "Jan _2 15:04:05.000000";

    /// <summary>Go's <c>time.StampNano</c>.</summary>
    public const string StampNano = "Jan _2 15:04:05.000000000";

    /// <summary>Go's <c>time.DateTime</c>.</summary>
    public const string DateTime = "2006-01-02 15:04:05";

    /// <summary>Go's <c>time.DateOnly</c>.</summary>
    public const string DateOnly = "2006-01-02";

    /// <summary>Go's <c>time.TimeOnly</c>.</summary>
    public const string TimeOnly = "15:04:05";

    /// <summary>Every named layout, by its Go constant name.</summary>
    public static IReadOnlyDictionary<string, string> Named { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Layout"] = Layout,
        ["ANSIC"] = ANSIC,
        ["UnixDate"] = UnixDate,
        ["RubyDate"] = RubyDate,
        ["RFC822"] = RFC822,
        ["RFC822Z"] = RFC822Z,
        ["RFC850"] = RFC850,
        ["RFC1123"] = RFC1123,
        ["RFC1123Z"] = RFC1123Z,
        ["RFC3339"] = RFC3339,
        ["RFC3339Nano"] = RFC3339Nano,
        ["Kitchen"] = Kitchen,
        ["Stamp"] = Stamp,
        ["StampMilli"] = StampMilli,
        ["StampMicro"] = StampMicro,
        ["StampNano"] = StampNano,
        ["DateTime"] = DateTime,
        ["DateOnly"] = DateOnly,
        ["TimeOnly"] = TimeOnly,
    };

    private static readonly string[] LongMonths = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    private static readonly string[] LongDays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

    private enum Std
    {
        None,
        LongMonth,
        Month,
        NumMonth,
        ZeroMonth,
        LongWeekDay,
        WeekDay,
        Day,
        UnderDay,
        ZeroDay,
        UnderYearDay,
        ZeroYearDay,
        Hour,
        Hour12,
        ZeroHour12,
        Minute,
        ZeroMinute,
        Second,
        ZeroSecond,
        LongYear,
        Year,
        PM,
        Pm,
        TZ,
        ISO8601TZ,
        ISO8601SecondsTZ,
        ISO8601ShortTZ,
        ISO8601ColonTZ,
        ISO8601ColonSecondsTZ,
        NumTZ,
        NumSecondsTz,
        NumShortTZ,
        NumColonTZ,
        NumColonSecondsTZ,
        FracSecond0,
        FracSecond9,
    }

    // Go's nextStdChunk: the literal prefix, the standard chunk found (with its length and, for fractions, digit
    // count and separator), and the rest.
    private static (string Prefix, Std Std, int Digits, char Sep, string Remainder) NextChunk(string layout)
    {
        for (int i = 0; i < layout.Length; i++)
        {
            char c = layout[i];
            string rest = layout[i..];
            switch (c)
            {
                case 'J':
                    if (rest.StartsWith("Jan", StringComparison.Ordinal))
                    {
                        return rest.StartsWith("January", StringComparison.Ordinal) ? (layout[..i], Std.LongMonth, 0, ' ', layout[(i + 7)..]) : (layout[..i], Std.Month, 0, ' ', layout[(i + 3)..]);
                    }

                    break;
                case 'M':
                    if (rest.StartsWith("Mon", StringComparison.Ordinal))
                    {
                        return rest.StartsWith("Monday", StringComparison.Ordinal) ? (layout[..i], Std.LongWeekDay, 0, ' ', layout[(i + 6)..]) : (layout[..i], Std.WeekDay, 0, ' ', layout[(i + 3)..]);
                    }

                    if (rest.StartsWith("MST", StringComparison.Ordinal))
                    {
                        return (layout[..i], Std.TZ, 0, ' ', layout[(i + 3)..]);
                    }

                    break;
                case '0':
                    if (rest.Length >= 2 && rest[1] >= '1' && rest[1] <= '6')
                    {
                        Std s = rest[1] switch { '1' => Std.ZeroMonth, '2' => Std.ZeroDay, '3' => Std.ZeroHour12, '4' => Std.ZeroMinute, '5' => Std.ZeroSecond, _ => Std.Year };
                        return (layout[..i], s, 0, ' ', layout[(i + 2)..]);
                    }

                    if (rest.StartsWith("002", StringComparison.Ordinal))
                    {
                        return (layout[..i], Std.ZeroYearDay, 0, ' ', layout[(i + 3)..]);
                    }

                    break;
                case '1':
                    if (rest.StartsWith("15", StringComparison.Ordinal))
                    {
                        return (layout[..i], Std.Hour, 0, ' ', layout[(i + 2)..]);
                    }

                    return (layout[..i], Std.NumMonth, 0, ' ', layout[(i + 1)..]);
                case '2':
                    if (rest.StartsWith("2006", StringComparison.Ordinal))
                    {
                        return (layout[..i], Std.LongYear, 0, ' ', layout[(i + 4)..]);
                    }

                    return (layout[..i], Std.Day, 0, ' ', layout[(i + 1)..]);
                case '_':
                    if (rest.Length >= 2 && rest[1] == '2')
                    {
                        if (rest.Length >= 5 && rest[1..5] == "2006")
                        {
                            return (layout[..(i + 1)], Std.LongYear, 0, ' ', layout[(i + 5)..]);
                        }

                        return (layout[..i], Std.UnderDay, 0, ' ', layout[(i + 2)..]);
                    }

                    if (rest.StartsWith("__2", StringComparison.Ordinal))
                    {
                        return (layout[..i], Std.UnderYearDay, 0, ' ', layout[(i + 3)..]);
                    }

                    break;
                case '3':
                    return (layout[..i], Std.Hour12, 0, ' ', layout[(i + 1)..]);
                case '4':
                    return (layout[..i], Std.Minute, 0, ' ', layout[(i + 1)..]);
                case '5':
                    return (layout[..i], Std.Second, 0, ' ', layout[(i + 1)..]);
                case 'P':
                    if (rest.StartsWith("PM", StringComparison.Ordinal))
                    {
                        return (layout[..i], Std.PM, 0, ' ', layout[(i + 2)..]);
                    }

                    break;
                case 'p':
                    if (rest.StartsWith("pm", StringComparison.Ordinal))
                    {
                        return (layout[..i], Std.Pm, 0, ' ', layout[(i + 2)..]);
                    }

                    break;
                case '-':
                    foreach ((string token, Std std) in new[] { ("-070000", Std.NumSecondsTz), ("-07:00:00", Std.NumColonSecondsTZ), ("-0700", Std.NumTZ), ("-07:00", Std.NumColonTZ), ("-07", Std.NumShortTZ) })
                    {
                        if (rest.StartsWith(token, StringComparison.Ordinal))
                        {
                            return (layout[..i], std, 0, ' ', layout[(i + token.Length)..]);
                        }
                    }

                    break;
                case 'Z':
                    foreach ((string token, Std std) in new[] { ("Z070000", Std.ISO8601SecondsTZ), ("Z07:00:00", Std.ISO8601ColonSecondsTZ), ("Z0700", Std.ISO8601TZ), ("Z07:00", Std.ISO8601ColonTZ), ("Z07", Std.ISO8601ShortTZ) })
                    {
                        if (rest.StartsWith(token, StringComparison.Ordinal))
                        {
                            return (layout[..i], std, 0, ' ', layout[(i + token.Length)..]);
                        }
                    }

                    break;
                case '.' or ',':
                    if (rest.Length >= 2 && (rest[1] == '0' || rest[1] == '9'))
                    {
                        char ch = rest[1];
                        int j = i + 1;
                        while (j < layout.Length && layout[j] == ch)
                        {
                            j++;
                        }

                        if (!(j < layout.Length && char.IsAsciiDigit(layout[j])))
                        {
                            return (layout[..i], ch == '0' ? Std.FracSecond0 : Std.FracSecond9, j - (i + 1), c, layout[j..]);
                        }
                    }

                    break;
                default:
                    break;
            }
        }

        return (layout, Std.None, 0, ' ', string.Empty);
    }

    /// <summary>Go's <c>Time.Format</c>.</summary>
    public static string Format(GoTime t, string layout)
    {
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(layout);
        DateTimeOffset d = t.Instant;
        int offsetSeconds = (int)d.Offset.TotalSeconds;
        long nanos = d.Ticks % TimeSpan.TicksPerSecond * 100;
        var b = new StringBuilder();
        while (layout.Length > 0)
        {
            (string prefix, Std std, int digits, char sep, string rest) = NextChunk(layout);
            b.Append(prefix);
            if (std == Std.None)
            {
                break;
            }

            layout = rest;
            switch (std)
            {
                case Std.Year: b.Append((d.Year % 100).ToString("00", CultureInfo.InvariantCulture)); break;
                case Std.LongYear: b.Append(d.Year.ToString("0000", CultureInfo.InvariantCulture)); break;
                case Std.Month: b.Append(LongMonths[d.Month - 1][..3]); break;
                case Std.LongMonth: b.Append(LongMonths[d.Month - 1]); break;
                case Std.NumMonth: b.Append(d.Month.ToString(CultureInfo.InvariantCulture)); break;
                case Std.ZeroMonth: b.Append(d.Month.ToString("00", CultureInfo.InvariantCulture)); break;
                case Std.WeekDay: b.Append(LongDays[(int)d.DayOfWeek][..3]); break;
                case Std.LongWeekDay: b.Append(LongDays[(int)d.DayOfWeek]); break;
                case Std.Day: b.Append(d.Day.ToString(CultureInfo.InvariantCulture)); break;
                case Std.UnderDay: b.Append(d.Day < 10 ? " " : string.Empty).Append(d.Day.ToString(CultureInfo.InvariantCulture)); break;
                case Std.ZeroDay: b.Append(d.Day.ToString("00", CultureInfo.InvariantCulture)); break;
                case Std.UnderYearDay: b.Append(d.DayOfYear.ToString(CultureInfo.InvariantCulture).PadLeft(3, ' ')); break;
                case Std.ZeroYearDay: b.Append(d.DayOfYear.ToString("000", CultureInfo.InvariantCulture)); break;
                case Std.Hour: b.Append(d.Hour.ToString("00", CultureInfo.InvariantCulture)); break;
                case Std.Hour12: b.Append((d.Hour % 12 == 0 ? 12 : d.Hour % 12).ToString(CultureInfo.InvariantCulture)); break;
                case Std.ZeroHour12: b.Append((d.Hour % 12 == 0 ? 12 : d.Hour % 12).ToString("00", CultureInfo.InvariantCulture)); break;
                case Std.Minute: b.Append(d.Minute.ToString(CultureInfo.InvariantCulture)); break;
                case Std.ZeroMinute: b.Append(d.Minute.ToString("00", CultureInfo.InvariantCulture)); break;
                case Std.Second: b.Append(d.Second.ToString(CultureInfo.InvariantCulture)); break;
                case Std.ZeroSecond: b.Append(d.Second.ToString("00", CultureInfo.InvariantCulture)); break;
                case Std.PM: b.Append(d.Hour >= 12 ? "PM" : "AM"); break;
                case Std.Pm: b.Append(d.Hour >= 12 ? "pm" : "am"); break;
                case Std.TZ:
                    if (offsetSeconds == 0 && t.Location.Zone == TimeZoneInfo.Utc)
                    {
                        b.Append("UTC");
                    }
                    else
                    {
                        AppendOffset(b, offsetSeconds, colon: false, seconds: false, shortForm: false);
                    }

                    break;
                case Std.ISO8601TZ or Std.ISO8601ColonTZ or Std.ISO8601SecondsTZ or Std.ISO8601ShortTZ or Std.ISO8601ColonSecondsTZ:
                    if (offsetSeconds == 0)
                    {
                        b.Append('Z');
                        break;
                    }

                    AppendOffset(b, offsetSeconds, std is Std.ISO8601ColonTZ or Std.ISO8601ColonSecondsTZ, std is Std.ISO8601SecondsTZ or Std.ISO8601ColonSecondsTZ, std == Std.ISO8601ShortTZ);
                    break;
                case Std.NumTZ or Std.NumColonTZ or Std.NumSecondsTz or Std.NumShortTZ or Std.NumColonSecondsTZ:
                    AppendOffset(b, offsetSeconds, std is Std.NumColonTZ or Std.NumColonSecondsTZ, std is Std.NumSecondsTz or Std.NumColonSecondsTZ, std == Std.NumShortTZ);
                    break;
                case Std.FracSecond0:
                    b.Append(sep).Append(nanos.ToString("000000000", CultureInfo.InvariantCulture)[..Math.Min(digits, 9)]);
                    break;
                case Std.FracSecond9:
                    {
                        string f = nanos.ToString("000000000", CultureInfo.InvariantCulture)[..Math.Min(digits, 9)].TrimEnd('0');
                        if (f.Length > 0)
                        {
                            b.Append(sep).Append(f);
                        }

                        break;
                    }

                default:
                    break;
            }
        }

        return b.ToString();
    }

    private static void AppendOffset(StringBuilder b, int offsetSeconds, bool colon, bool seconds, bool shortForm)
    {
        int zone = offsetSeconds / 60;
        int absOffset = Math.Abs(offsetSeconds);
        b.Append(zone < 0 || offsetSeconds < 0 ? '-' : '+');
        zone = Math.Abs(zone);
        b.Append((zone / 60).ToString("00", CultureInfo.InvariantCulture));
        if (!shortForm)
        {
            if (colon)
            {
                b.Append(':');
            }

            b.Append((zone % 60).ToString("00", CultureInfo.InvariantCulture));
        }

        if (seconds)
        {
            if (colon)
            {
                b.Append(':');
            }

            b.Append((absOffset % 60).ToString("00", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Go's <c>time.Parse</c>/<c>ParseInLocation</c>.</summary>
    /// <exception cref="GoFunctionException">The value does not match (Go's <c>parsing time … as …</c> message).</exception>
    public static GoTime Parse(string layout, string value, GoLocation defaultLocation, bool inLocation)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(defaultLocation);
        if (layout == RFC3339 && value.EndsWith('Z') && GoTime.TryParseRfc3339Ticks(value, out long utcTicks))
        {
            // Kubernetes timestamps ("2026-11-24T10:01:30Z"): the common case, without the general machinery.
            return new GoTime(new DateTimeOffset(utcTicks, TimeSpan.Zero), GoLocation.Utc);
        }

        string originalLayout = layout;
        string originalValue = value;
        int year = 1, month = -1, day = -1, yday = -1, hour = 0, minute = 0, second = 0;
        long nanos = 0;
        bool pmSet = false, amSet = false;
        int? offset = null;
        bool utc = false;

        GoFunctionException Fail(string valueElem, string layoutElem, string message = "") =>
            new($"parsing time {GoStrconv.Quote(originalValue)} as {GoStrconv.Quote(originalLayout)}: cannot parse {GoStrconv.Quote(valueElem)} as {GoStrconv.Quote(layoutElem)}{message}");

        while (true)
        {
            (string prefix, Std std, int digits, char sep, string rest) = NextChunk(layout);
            string stdText = layout[prefix.Length..(layout.Length - rest.Length)];
            // The literal prefix must match (runs of spaces are matched loosely, as Go's skip).
            if (!value.StartsWith(prefix, StringComparison.Ordinal))
            {
                throw Fail(value, prefix);
            }

            value = value[prefix.Length..];
            if (std == Std.None)
            {
                if (value.Length > 0)
                {
                    throw new GoFunctionException($"parsing time {GoStrconv.Quote(originalValue)}: extra text: {GoStrconv.Quote(value)}");
                }

                break;
            }

            layout = rest;
            string hold = value;
            bool ok = true;
            switch (std)
            {
                case Std.Year:
                    ok = TakeDigits(ref value, 2, 2, out int y2);
                    year = y2 >= 69 ? y2 + 1900 : y2 + 2000;
                    break;
                case Std.LongYear:
                    ok = value.Length >= 4 && TakeDigits(ref value, 4, 4, out year);
                    break;
                case Std.Month or Std.LongMonth:
                    {
                        ok = false;
                        for (int m = 0; m < 12; m++)
                        {
                            string name = std == Std.Month ? LongMonths[m][..3] : LongMonths[m];
                            if (value.StartsWith(name, StringComparison.OrdinalIgnoreCase))
                            {
                                month = m + 1;
                                value = value[name.Length..];
                                ok = true;
                                break;
                            }
                        }

                        break;
                    }

                case Std.NumMonth or Std.ZeroMonth:
                    ok = TakeDigits(ref value, std == Std.ZeroMonth ? 2 : 1, 2, out month) && month is >= 1 and <= 12;
                    if (!ok && month is not (>= 1 and <= 12) && hold != value)
                    {
                        throw new GoFunctionException($"parsing time {GoStrconv.Quote(originalValue)}: month out of range");
                    }

                    break;
                case Std.WeekDay or Std.LongWeekDay:
                    {
                        ok = false;
                        foreach (string dayName in LongDays)
                        {
                            string name = std == Std.WeekDay ? dayName[..3] : dayName;
                            if (value.StartsWith(name, StringComparison.OrdinalIgnoreCase))
                            {
                                value = value[name.Length..];
                                ok = true;
                                break;
                            }
                        }

                        break;
                    }

                case Std.Day or Std.UnderDay or Std.ZeroDay:
                    if (std == Std.UnderDay && value.StartsWith(' '))
                    {
                        value = value[1..];
                    }

                    ok = TakeDigits(ref value, std == Std.ZeroDay ? 2 : 1, 2, out day);
                    break;
                case Std.UnderYearDay or Std.ZeroYearDay:
                    value = std == Std.UnderYearDay ? value.TrimStart(' ') : value;
                    ok = TakeDigits(ref value, 3, 3, out yday);
                    break;
                case Std.Hour:
                    ok = TakeDigits(ref value, 2, 2, out hour) && hour < 24;
                    break;
                case Std.Hour12 or Std.ZeroHour12:
                    ok = TakeDigits(ref value, std == Std.ZeroHour12 ? 2 : 1, 2, out hour) && hour is >= 0 and <= 12;
                    break;
                case Std.Minute or Std.ZeroMinute:
                    ok = TakeDigits(ref value, std == Std.ZeroMinute ? 2 : 1, 2, out minute) && minute < 60;
                    break;
                case Std.Second or Std.ZeroSecond:
                    ok = TakeDigits(ref value, std == Std.ZeroSecond ? 2 : 1, 2, out second) && second < 60;

                    // Fractional seconds in the value although the layout has none right here.
                    if (ok && value.Length >= 2 && (value[0] == '.' || value[0] == ',') && char.IsAsciiDigit(value[1]))
                    {
                        (_, Std next, _, _, _) = NextChunk(layout);
                        if (next is not (Std.FracSecond0 or Std.FracSecond9))
                        {
                            int n = 1;
                            while (n < value.Length && char.IsAsciiDigit(value[n]))
                            {
                                n++;
                            }

                            nanos = Fraction(value[1..n]);
                            value = value[n..];
                        }
                    }

                    break;
                case Std.PM or Std.Pm:
                    if (value.Length < 2)
                    {
                        ok = false;
                        break;
                    }

                    string p = value[..2];
                    value = value[2..];
                    if (p is "PM" or "pm")
                    {
                        pmSet = true;
                    }
                    else if (p is "AM" or "am")
                    {
                        amSet = true;
                    }
                    else
                    {
                        ok = false;
                    }

                    break;
                case Std.ISO8601TZ or Std.ISO8601ColonTZ or Std.ISO8601SecondsTZ or Std.ISO8601ShortTZ or Std.ISO8601ColonSecondsTZ
                    or Std.NumTZ or Std.NumShortTZ or Std.NumColonTZ or Std.NumSecondsTz or Std.NumColonSecondsTZ:
                    {
                        if (std is Std.ISO8601TZ or Std.ISO8601ColonTZ or Std.ISO8601SecondsTZ or Std.ISO8601ShortTZ or Std.ISO8601ColonSecondsTZ
                            && value.StartsWith('Z'))
                        {
                            value = value[1..];
                            utc = true;
                            break;
                        }

                        bool colon = std is Std.ISO8601ColonTZ or Std.ISO8601ColonSecondsTZ or Std.NumColonTZ or Std.NumColonSecondsTZ;
                        bool withSeconds = std is Std.ISO8601SecondsTZ or Std.ISO8601ColonSecondsTZ or Std.NumSecondsTz or Std.NumColonSecondsTZ;
                        bool shortForm = std is Std.ISO8601ShortTZ or Std.NumShortTZ;
                        ok = ParseOffset(ref value, colon, withSeconds, shortForm, out int o);
                        offset = o;
                        break;
                    }

                case Std.TZ:
                    {
                        if (value.StartsWith("UTC", StringComparison.Ordinal))
                        {
                            value = value[3..];
                            utc = true;
                            break;
                        }

                        int n = 0;
                        while (n < value.Length && char.IsAsciiLetterUpper(value[n]))
                        {
                            n++;
                        }

                        if (n < 3)
                        {
                            ok = false;
                            break;
                        }

                        value = value[n..];
                        offset ??= 0;
                        break;
                    }

                case Std.FracSecond0 or Std.FracSecond9:
                    {
                        if (value.Length == 0 || value[0] != sep)
                        {
                            if (std == Std.FracSecond9)
                            {
                                break;
                            }

                            ok = false;
                            break;
                        }

                        int n = 1;
                        while (n < value.Length && char.IsAsciiDigit(value[n]))
                        {
                            n++;
                        }

                        if (std == Std.FracSecond0 && n - 1 != digits)
                        {
                            ok = false;
                            break;
                        }

                        nanos = Fraction(value[1..n]);
                        value = value[n..];
                        break;
                    }

                default:
                    break;
            }

            if (!ok)
            {
                throw Fail(hold, stdText);
            }
        }

        if (pmSet && hour < 12)
        {
            hour += 12;
        }
        else if (amSet && hour == 12)
        {
            hour = 0;
        }

        if (yday >= 0)
        {
            System.DateTime fromYday = new System.DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Unspecified).AddDays(yday - 1);
            month = month < 0 ? fromYday.Month : month;
            day = day < 0 ? fromYday.Day : day;
        }

        month = month < 0 ? 1 : month;
        day = day < 0 ? 1 : day;
        if (day < 1 || day > System.DateTime.DaysInMonth(Math.Clamp(year, 1, 9999), month))
        {
            throw new GoFunctionException($"parsing time {GoStrconv.Quote(originalValue)}: day out of range");
        }

        var local = new System.DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(nanos / 100);
        if (utc)
        {
            return new GoTime(new DateTimeOffset(local, TimeSpan.Zero), GoLocation.Utc);
        }

        if (offset is int seconds)
        {
            var instant = new DateTimeOffset(local, TimeSpan.FromSeconds(seconds));
            GoLocation location = inLocation && defaultLocation.Zone.GetUtcOffset(instant) == instant.Offset ? defaultLocation : GoLocation.Fixed(string.Empty, instant.Offset);
            return new GoTime(instant, location);
        }

        TimeSpan zoneOffset = defaultLocation.Zone.GetUtcOffset(local);
        return new GoTime(new DateTimeOffset(local, zoneOffset), defaultLocation);
    }

    private static long Fraction(string digits)
    {
        string nine = digits.Length >= 9 ? digits[..9] : digits.PadRight(9, '0');
        return long.Parse(nine, CultureInfo.InvariantCulture);
    }

    private static bool TakeDigits(ref string value, int min, int max, out int result)
    {
        result = 0;
        int n = 0;
        while (n < max && n < value.Length && char.IsAsciiDigit(value[n]))
        {
            n++;
        }

        if (n < min)
        {
            return false;
        }

        result = int.Parse(value.AsSpan(0, n), CultureInfo.InvariantCulture);
        value = value[n..];
        return true;
    }

    private static bool ParseOffset(ref string value, bool colon, bool withSeconds, bool shortForm, out int offsetSeconds)
    {
        offsetSeconds = 0;
        if (value.Length < 3 || (value[0] != '+' && value[0] != '-'))
        {
            return false;
        }

        int sign = value[0] == '-' ? -1 : 1;
        string v = value[1..];
        if (!TakeDigits(ref v, 2, 2, out int hours))
        {
            return false;
        }

        int minutes = 0;
        int seconds = 0;
        if (!shortForm)
        {
            if (colon)
            {
                if (!v.StartsWith(':'))
                {
                    return false;
                }

                v = v[1..];
            }

            if (!TakeDigits(ref v, 2, 2, out minutes))
            {
                return false;
            }

            if (withSeconds)
            {
                if (colon)
                {
                    if (!v.StartsWith(':'))
                    {
                        return false;
                    }

                    v = v[1..];
                }

                if (!TakeDigits(ref v, 2, 2, out seconds))
                {
                    return false;
                }
            }
        }

        value = v;
        offsetSeconds = sign * ((hours * 3600) + (minutes * 60) + seconds);
        return true;
    }
}
