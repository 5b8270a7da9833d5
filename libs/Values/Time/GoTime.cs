using System.Globalization;

namespace Lookout.Values.Time;

/// <summary>A Go <c>*time.Location</c>: a named time zone.</summary>
public sealed class GoLocation
{
    private GoLocation(string name, TimeZoneInfo zone)
    {
        Name = name;
        Zone = zone;
    }

    /// <summary>Go's <c>time.UTC</c>.</summary>
    public static GoLocation Utc { get; } = new("UTC", TimeZoneInfo.Utc);

    /// <summary>Go's <c>time.Local</c>.</summary>
    public static GoLocation Local { get; } = new("Local", TimeZoneInfo.Local);

    /// <summary>The zone's name (<c>UTC</c>, <c>Local</c>, <c>Europe/Paris</c>).</summary>
    public string Name { get; }

    /// <summary>The zone's rules.</summary>
    public TimeZoneInfo Zone { get; }

    /// <summary>Go's <c>time.LoadLocation</c>.</summary>
    /// <exception cref="GoFunctionException">The zone is unknown (<c>unknown time zone X</c>).</exception>
    public static GoLocation Load(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name is "" or "UTC")
        {
            return Utc;
        }

        if (name == "Local")
        {
            return Local;
        }

        try
        {
            return new GoLocation(name, TimeZoneInfo.FindSystemTimeZoneById(name));
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new GoFunctionException($"unknown time zone {name}");
        }
    }

    /// <summary>
    /// A location with a host-chosen name and zone, such as Go's <c>time.Local</c> for a
    /// <see cref="TimeProvider.LocalTimeZone"/> other than the process's.
    /// </summary>
    public static GoLocation FromZone(string name, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return name == "Local" && zone.Equals(TimeZoneInfo.Local) ? Local : new GoLocation(name, zone);
    }

    /// <summary>A fixed-offset zone, as Go's <c>time.FixedZone</c>.</summary>
    public static GoLocation Fixed(string name, TimeSpan offset) =>
        offset == TimeSpan.Zero && name is "" or "UTC" ? Utc : new GoLocation(name, TimeZoneInfo.CreateCustomTimeZone(name + offset, offset, name, name));

    /// <summary>The zone's abbreviation at an instant, as Go prints it for <c>MST</c> (offset digits when unknown).</summary>
    public string Abbreviation(DateTimeOffset instant)
    {
        if (ReferenceEquals(this, Utc) || Zone == TimeZoneInfo.Utc || Zone.Id is "UTC" or "Etc/UTC" or "Etc/UCT" or "UCT" or "Etc/Universal" or "Universal" or "Etc/Zulu" or "Zulu")
        {
            return "UTC";
        }

        TimeSpan offset = Zone.GetUtcOffset(instant);
        string sign = offset < TimeSpan.Zero ? "-" : "+";
        TimeSpan a = offset.Duration();
        return a.Minutes == 0 ? $"{sign}{a.Hours:00}" : $"{sign}{a.Hours:00}{a.Minutes:00}";
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>
/// A Go <c>time.Time</c>: an instant in a location, with Go's methods for expressions and templates
/// (<c>t.Before(u)</c>, <c>{{ $t.Format "2006-01-02" }}</c>). Precision is .NET's 100 ns.
/// </summary>
public sealed class GoTime : IGoObject, IEquatable<GoTime>, IComparable<GoTime>
{
    private static readonly DateTimeOffset ZeroInstant = new(1, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Creates a time at <paramref name="instant"/> shown in <paramref name="location"/>.</summary>
    public GoTime(DateTimeOffset instant, GoLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        Location = location;
        Instant = TimeZoneInfo.ConvertTime(instant, location.Zone);
    }

    /// <summary>Go's zero time, January 1, year 1, 00:00:00 UTC.</summary>
    public static GoTime Zero { get; } = new(ZeroInstant, GoLocation.Utc);

    /// <summary>The instant, with the location's offset.</summary>
    public DateTimeOffset Instant { get; }

    /// <summary>The location the time is shown in.</summary>
    public GoLocation Location { get; }

    /// <summary>Whether this is Go's zero time.</summary>
    public bool IsZero => Instant.UtcDateTime == ZeroInstant.UtcDateTime;

    /// <inheritdoc/>
    public string GoTypeName => "time.Time";

    /// <summary>Go's <c>time.Parse</c>.</summary>
    /// <exception cref="GoFunctionException">The value does not match the layout (Go's message).</exception>
    public static GoTime Parse(string layout, string value) => GoLayouts.Parse(layout, value, GoLocation.Utc, inLocation: false);

    /// <summary>
    /// Reads the common RFC 3339 forms (<c>2006-01-02T15:04:05Z</c>, with an optional fraction of 1 to 9 digits and
    /// <c>Z</c> or a <c>±hh:mm</c> offset) as UTC ticks without allocating. Returns false for anything else, including
    /// values <see cref="Parse"/> would accept in other forms or reject; the caller then uses <see cref="Parse"/>. When it
    /// returns true, the ticks are those of <c>Parse(RFC3339, value).Instant.UtcTicks</c>.
    /// </summary>
    public static bool TryParseRfc3339Ticks(string value, out long utcTicks)
    {
        ArgumentNullException.ThrowIfNull(value);
        utcTicks = 0;
        ReadOnlySpan<char> s = value;
        if (s.Length < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
        {
            return false;
        }

        if (!Digits(s, 0, 4, out int year) || !Digits(s, 5, 2, out int month) || !Digits(s, 8, 2, out int day) ||
            !Digits(s, 11, 2, out int hour) || !Digits(s, 14, 2, out int minute) || !Digits(s, 17, 2, out int second))
        {
            return false;
        }

        // Years near the ends of .NET's range, and out-of-range fields, go to the full parser for Go's answer.
        if (year is < 2 or > 9998 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) ||
            hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        int i = 19;
        long nanos = 0;
        if (s[i] == '.')
        {
            int start = ++i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                nanos = (nanos * 10) + (s[i] - '0');
                i++;
            }

            int digits = i - start;
            if (digits is < 1 or > 9)
            {
                return false;
            }

            for (int d = digits; d < 9; d++)
            {
                nanos *= 10;
            }
        }

        long offsetTicks;
        if (i == s.Length - 1 && s[i] == 'Z')
        {
            offsetTicks = 0;
        }
        else if (i == s.Length - 6 && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':' &&
                 Digits(s, i + 1, 2, out int oh) && Digits(s, i + 4, 2, out int om) && oh < 14 && om < 60)
        {
            offsetTicks = ((oh * 60L) + om) * TimeSpan.TicksPerMinute * (s[i] == '-' ? -1 : 1);
        }
        else
        {
            return false;
        }

        long local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).Ticks + (nanos / 100);
        utcTicks = local - offsetTicks;
        return true;

        static bool Digits(ReadOnlySpan<char> s, int at, int n, out int result)
        {
            result = 0;
            for (int k = at; k < at + n; k++)
            {
                if (!char.IsAsciiDigit(s[k]))
                {
                    return false;
                }

                result = (result * 10) + (s[k] - '0');
            }

            return true;
        }
    }

    /// <summary>Go's <c>time.ParseInLocation</c>.</summary>
    public static GoTime ParseInLocation(string layout, string value, GoLocation location) => GoLayouts.Parse(layout, value, location, inLocation: true);

    /// <summary>Go's <c>Time.Format</c>.</summary>
    public string Format(string layout) => GoLayouts.Format(this, layout);

    /// <summary>Go's <c>Time.String</c>: <c>2006-01-02 15:04:05.999999999 -0700 MST</c>.</summary>
    public override string ToString() => Format("2006-01-02 15:04:05.999999999 -0700 MST");

    /// <summary>The same instant in another location.</summary>
    public GoTime In(GoLocation location) => new(Instant, location);

    /// <summary>The same instant in UTC.</summary>
    public GoTime UTC() => new(Instant, GoLocation.Utc);

    /// <summary>Seconds since the Unix epoch.</summary>
    public long Unix() => Instant.ToUnixTimeSeconds();

    /// <summary>Nanoseconds since the Unix epoch.</summary>
    public long UnixNano() => (Instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    /// <summary>The time plus a duration.</summary>
    /// <exception cref="GoFunctionException">The result falls outside the years 1 to 9999, which .NET cannot represent (Go can).</exception>
    public GoTime Add(GoDuration d)
    {
        long ticks = d.Nanoseconds / 100;
        DateTime local = Instant.DateTime;
        if (ticks > DateTime.MaxValue.Ticks - Math.Max(local.Ticks, Instant.UtcTicks) || ticks < -Math.Min(local.Ticks, Instant.UtcTicks))
        {
            throw new GoFunctionException($"time.Add: {this} plus {d} is outside the years 1 to 9999 that this implementation represents");
        }

        return new(Instant.AddTicks(ticks), Location);
    }

    /// <summary>The duration between two times (saturating as Go's).</summary>
    public GoDuration Sub(GoTime other)
    {
        ArgumentNullException.ThrowIfNull(other);
        long ticks = Instant.UtcTicks - other.Instant.UtcTicks;
        return ticks > long.MaxValue / 100 ? new GoDuration(long.MaxValue) : ticks < long.MinValue / 100 ? new GoDuration(long.MinValue) : new GoDuration(ticks * 100);
    }

    /// <inheritdoc/>
    public bool Equals(GoTime? other) => other is not null && Instant.UtcTicks == other.Instant.UtcTicks;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is GoTime t && Equals(t);

    /// <inheritdoc/>
    public override int GetHashCode() => Instant.UtcTicks.GetHashCode();

    /// <inheritdoc/>
    public int CompareTo(GoTime? other) => other is null ? 1 : Instant.UtcTicks.CompareTo(other.Instant.UtcTicks);

    /// <summary>Same instant.</summary>
    public static bool operator ==(GoTime? left, GoTime? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Different instants.</summary>
    public static bool operator !=(GoTime? left, GoTime? right) => !(left == right);

    /// <summary>Earlier.</summary>
    public static bool operator <(GoTime? left, GoTime? right) => left is null ? right is not null : left.CompareTo(right) < 0;

    /// <summary>Earlier or same.</summary>
    public static bool operator <=(GoTime? left, GoTime? right) => left is null || left.CompareTo(right) <= 0;

    /// <summary>Later.</summary>
    public static bool operator >(GoTime? left, GoTime? right) => left is not null && left.CompareTo(right) > 0;

    /// <summary>Later or same.</summary>
    public static bool operator >=(GoTime? left, GoTime? right) => left is null ? right is null : left.CompareTo(right) >= 0;

    /// <inheritdoc/>
    public bool TryGetMethod(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out GoFunction? method)
    {
        method = name switch
        {
            "Before" => new GoFunction("Time.Before", 1, 1, a => CompareTo(Arg(a[0], "Before")) < 0),
            "After" => new GoFunction("Time.After", 1, 1, a => CompareTo(Arg(a[0], "After")) > 0),
            "Equal" => new GoFunction("Time.Equal", 1, 1, a => Equals(Arg(a[0], "Equal"))),
            "Compare" => new GoFunction("Time.Compare", 1, 1, a => (long)CompareTo(Arg(a[0], "Compare"))),
            "Add" => new GoFunction("Time.Add", 1, 1, a => Add(GoDuration.From(a[0], "Add"))),
            "Sub" => new GoFunction("Time.Sub", 1, 1, a => Sub(Arg(a[0], "Sub"))),
            "AddDate" => new GoFunction("Time.AddDate", 3, 3, a => new GoTime(Instant.AddYears((int)Int(a[0])).AddMonths((int)Int(a[1])).AddDays(Int(a[2])), Location)),
            "Format" => new GoFunction("Time.Format", 1, 1, a => Format(a[0] as string ?? throw new GoFunctionException("Format: layout must be a string"))),
            "String" => new GoFunction("Time.String", 0, 0, _ => ToString()),
            "Unix" => new GoFunction("Time.Unix", 0, 0, _ => Unix()),
            "UnixMilli" => new GoFunction("Time.UnixMilli", 0, 0, _ => Instant.ToUnixTimeMilliseconds()),
            "UnixNano" => new GoFunction("Time.UnixNano", 0, 0, _ => UnixNano()),
            "UTC" => new GoFunction("Time.UTC", 0, 0, _ => UTC()),
            "Local" => new GoFunction("Time.Local", 0, 0, _ => In(GoLocation.Local)),
            "In" => new GoFunction("Time.In", 1, 1, a => In(a[0] as GoLocation ?? throw new GoFunctionException("In: not a location"))),
            "IsZero" => new GoFunction("Time.IsZero", 0, 0, _ => IsZero),
            "Year" => new GoFunction("Time.Year", 0, 0, _ => (long)Instant.Year),
            "Month" => new GoFunction("Time.Month", 0, 0, _ => (long)Instant.Month),
            "Day" => new GoFunction("Time.Day", 0, 0, _ => (long)Instant.Day),
            "Hour" => new GoFunction("Time.Hour", 0, 0, _ => (long)Instant.Hour),
            "Minute" => new GoFunction("Time.Minute", 0, 0, _ => (long)Instant.Minute),
            "Second" => new GoFunction("Time.Second", 0, 0, _ => (long)Instant.Second),
            "Nanosecond" => new GoFunction("Time.Nanosecond", 0, 0, _ => Instant.Ticks % TimeSpan.TicksPerSecond * 100),
            "YearDay" => new GoFunction("Time.YearDay", 0, 0, _ => (long)Instant.DayOfYear),
            "Weekday" => new GoFunction("Time.Weekday", 0, 0, _ => Instant.DayOfWeek.ToString()),
            "Truncate" => new GoFunction("Time.Truncate", 1, 1, a => Truncate(GoDuration.From(a[0], "Truncate"), round: false)),
            "Round" => new GoFunction("Time.Round", 1, 1, a => Truncate(GoDuration.From(a[0], "Round"), round: true)),
            _ => null,
        };
        return method is not null;
    }

    private GoTime Truncate(GoDuration d, bool round)
    {
        long step = d.Nanoseconds / 100;
        if (step <= 0)
        {
            return this;
        }

        long since = Instant.UtcTicks - ZeroInstant.UtcTicks;
        long rest = since % step;
        long result = Instant.UtcTicks - rest;
        if (round && rest * 2 >= step)
        {
            result += step;
        }

        return new GoTime(new DateTimeOffset(result, TimeSpan.Zero), Location);
    }

    private static GoTime Arg(object? value, string method) =>
        value as GoTime ?? throw new GoFunctionException($"{method}: argument is a {GoTypes.Name(value)}, not a time.Time");

    private static long Int(object? value) => value switch
    {
        long l => l,
        int i => i,
        nint n => n,
        double d => (long)d,
        _ => throw new GoFunctionException($"expected an integer, got {GoTypes.Name(value)}"),
    };
}

/// <summary>A Go <c>time.Duration</c>: nanoseconds, printed as Go does (<c>1h2m3.5s</c>).</summary>
/// <param name="Nanoseconds">The length in nanoseconds.</param>
public readonly record struct GoDuration(long Nanoseconds) : IGoObject
{
    /// <summary>One nanosecond … one hour, as Go's constants.</summary>
    public const long Nanosecond = 1;

    /// <summary>Go's <c>time.Microsecond</c>.</summary>
    public const long Microsecond = 1000;

    /// <summary>Go's <c>time.Millisecond</c>.</summary>
    public const long Millisecond = 1000 * Microsecond;

    /// <summary>Go's <c>time.Second</c>.</summary>
    public const long Second = 1000 * Millisecond;

    /// <summary>Go's <c>time.Minute</c>.</summary>
    public const long Minute = 60 * Second;

    /// <summary>Go's <c>time.Hour</c>.</summary>
    public const long Hour = 60 * Minute;

    /// <inheritdoc/>
    public string GoTypeName => "time.Duration";

    /// <summary>The duration in hours.</summary>
    public double Hours() => (double)(Nanoseconds / Hour) + ((double)(Nanoseconds % Hour) / Hour);

    /// <summary>The duration in minutes.</summary>
    public double Minutes() => (double)(Nanoseconds / Minute) + ((double)(Nanoseconds % Minute) / Minute);

    /// <summary>The duration in seconds.</summary>
    public double Seconds() => (double)(Nanoseconds / Second) + ((double)(Nanoseconds % Second) / Second);

    /// <summary>The duration in milliseconds.</summary>
    public long Milliseconds() => Nanoseconds / Millisecond;

    /// <summary>A duration from an integer (nanoseconds) or a duration value.</summary>
    public static GoDuration From(object? value, string context) => value switch
    {
        GoDuration d => d,
        long l => new GoDuration(l),
        int i => new GoDuration(i),
        nint n => new GoDuration(n),
        _ => throw new GoFunctionException($"{context}: argument is a {GoTypes.Name(value)}, not a time.Duration"),
    };

    /// <summary>Go's <c>Duration.String</c>.</summary>
    public override string ToString()
    {
        long d = Nanoseconds;
        if (d == 0)
        {
            return "0s";
        }

        bool negative = d < 0;
        ulong u = negative ? (ulong)(-(d + 1)) + 1 : (ulong)d;
        string text;
        if (u < (ulong)Second)
        {
            // Sub-second: the largest unit that keeps the value at least 1.
            (ulong unit, string suffix) = u < (ulong)Microsecond ? (1UL, "ns") : u < (ulong)Millisecond ? ((ulong)Microsecond, "µs") : ((ulong)Millisecond, "ms");
            text = Fraction(u, unit) + suffix;
        }
        else
        {
            ulong hours = u / (ulong)Hour;
            u -= hours * (ulong)Hour;
            ulong minutes = u / (ulong)Minute;
            u -= minutes * (ulong)Minute;
            string seconds = Fraction(u, (ulong)Second) + "s";
            text = hours > 0 ? $"{hours}h{minutes}m{seconds}" : minutes > 0 ? $"{minutes}m{seconds}" : seconds;
        }

        return negative ? "-" + text : text;
    }

    private static string Fraction(ulong v, ulong unit)
    {
        ulong whole = v / unit;
        ulong frac = v % unit;
        if (frac == 0)
        {
            return whole.ToString(CultureInfo.InvariantCulture);
        }

        int digits = unit.ToString(CultureInfo.InvariantCulture).Length - 1;
        string f = frac.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
        return whole.ToString(CultureInfo.InvariantCulture) + "." + f;
    }

    /// <summary>Go's <c>time.ParseDuration</c>: <c>300ms</c>, <c>-1.5h</c>, <c>2h45m</c>.</summary>
    /// <exception cref="GoFunctionException">The text is not a duration (Go's message).</exception>
    public static GoDuration Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        string orig = s;
        bool negative = false;
        int i = 0;
        if (i < s.Length && (s[i] == '-' || s[i] == '+'))
        {
            negative = s[i] == '-';
            i++;
        }

        if (s[i..] == "0")
        {
            return new GoDuration(0);
        }

        if (i >= s.Length)
        {
            throw new GoFunctionException($"time: invalid duration \"{orig}\"");
        }

        decimal total = 0;
        while (i < s.Length)
        {
            int start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            if (start == i || !decimal.TryParse(s[start..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal number))
            {
                throw new GoFunctionException($"time: invalid duration \"{orig}\"");
            }

            int unitStart = i;
            while (i < s.Length && !char.IsAsciiDigit(s[i]) && s[i] != '.')
            {
                i++;
            }

            string unit = s[unitStart..i];
            long scale = unit switch
            {
                "ns" => Nanosecond,
                "us" or "µs" or "μs" => Microsecond,
                "ms" => Millisecond,
                "s" => Second,
                "m" => Minute,
                "h" => Hour,
                "" => throw new GoFunctionException($"time: missing unit in duration \"{orig}\""),
                _ => throw new GoFunctionException($"time: unknown unit \"{unit}\" in duration \"{orig}\""),
            };
            total += number * scale;
            if (total > long.MaxValue)
            {
                throw new GoFunctionException($"time: invalid duration \"{orig}\"");
            }
        }

        long ns = (long)total;
        return new GoDuration(negative ? -ns : ns);
    }

    /// <inheritdoc/>
    public bool TryGetMethod(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out GoFunction? method)
    {
        GoDuration self = this;
        method = name switch
        {
            "Hours" => new GoFunction("Duration.Hours", 0, 0, _ => self.Hours()),
            "Minutes" => new GoFunction("Duration.Minutes", 0, 0, _ => self.Minutes()),
            "Seconds" => new GoFunction("Duration.Seconds", 0, 0, _ => self.Seconds()),
            "Milliseconds" => new GoFunction("Duration.Milliseconds", 0, 0, _ => self.Milliseconds()),
            "Microseconds" => new GoFunction("Duration.Microseconds", 0, 0, _ => self.Nanoseconds / Microsecond),
            "Nanoseconds" => new GoFunction("Duration.Nanoseconds", 0, 0, _ => self.Nanoseconds),
            "String" => new GoFunction("Duration.String", 0, 0, _ => self.ToString()),
            "Round" => new GoFunction("Duration.Round", 1, 1, a => self.Round(From(a[0], "Round"))),
            "Truncate" => new GoFunction("Duration.Truncate", 1, 1, a => From(a[0], "Truncate").Nanoseconds <= 0 ? self : new GoDuration(self.Nanoseconds - (self.Nanoseconds % From(a[0], "Truncate").Nanoseconds))),
            "Abs" => new GoDuration(Math.Abs(self.Nanoseconds)) is var abs ? new GoFunction("Duration.Abs", 0, 0, _ => abs) : null,
            _ => null,
        };
        return method is not null;
    }

    private GoDuration Round(GoDuration m)
    {
        if (m.Nanoseconds <= 0)
        {
            return this;
        }

        long r = Nanoseconds % m.Nanoseconds;
        if (Nanoseconds < 0)
        {
            r = -r;
            return r + r < m.Nanoseconds ? new GoDuration(Nanoseconds + r) : new GoDuration(Nanoseconds - m.Nanoseconds + r);
        }

        return r + r < m.Nanoseconds ? new GoDuration(Nanoseconds - r) : new GoDuration(Nanoseconds + m.Nanoseconds - r);
    }
}
