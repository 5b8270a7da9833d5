using System.Globalization;
using Lookout.Values;
using Lookout.Values.Time;

namespace Lookout.Sprig;

/// <summary>Sprig's date.go.</summary>
public static partial class SprigFunctions
{
    private static void AddDates(Dictionary<string, GoFunction> m, TimeProvider time)
    {
        GoLocation local = GoLocation.FromZone("Local", time.LocalTimeZone);
        GoTime Now() => new(time.GetUtcNow(), local);
        GoTime AsTime(object? date) => date switch
        {
            GoTime t => t,
            long l => new GoTime(DateTimeOffset.FromUnixTimeSeconds(l), local),
            int i => new GoTime(DateTimeOffset.FromUnixTimeSeconds(i), local),
            nint n => new GoTime(DateTimeOffset.FromUnixTimeSeconds(n), local),
            _ => Now(),
        };
        GoLocation Zone(string name)
        {
            try
            {
                return name == "Local" ? local : GoLocation.Load(name);
            }
            catch (GoFunctionException)
            {
                return GoLocation.Utc;
            }
        }

        m["now"] = Fn("now", string.Empty, _ => Now());
        m["date"] = Fn("date", "string any", a => AsTime(a[1]).In(local).Format((string)a[0]!));
        m["date_in_zone"] = m["dateInZone"] = Fn("dateInZone", "string any string", a => AsTime(a[1]).In(Zone((string)a[2]!)).Format((string)a[0]!));
        m["htmlDate"] = Fn("htmlDate", "any", a => AsTime(a[0]).In(local).Format("2006-01-02"));
        m["htmlDateInZone"] = Fn("htmlDateInZone", "any string", a => AsTime(a[0]).In(Zone((string)a[1]!)).Format("2006-01-02"));
        m["date_modify"] = m["dateModify"] = Fn("dateModify", "string time", a =>
        {
            try
            {
                return ((GoTime)a[1]!).Add(GoDuration.Parse((string)a[0]!));
            }
            catch (GoFunctionException)
            {
                return a[1];
            }
        });
        m["must_date_modify"] = m["mustDateModify"] = Fn("mustDateModify", "string time", a => ((GoTime)a[1]!).Add(GoDuration.Parse((string)a[0]!)));
        m["toDate"] = Fn("toDate", "string string", a =>
        {
            try
            {
                return GoTime.ParseInLocation((string)a[0]!, (string)a[1]!, local);
            }
            catch (GoFunctionException)
            {
                return GoTime.Zero;
            }
        });
        m["mustToDate"] = Fn("mustToDate", "string string", a => GoTime.ParseInLocation((string)a[0]!, (string)a[1]!, local));
        m["unixEpoch"] = Fn("unixEpoch", "time", a => ((GoTime)a[0]!).Unix().ToString(CultureInfo.InvariantCulture));
        m["duration"] = Fn("duration", "any", a =>
        {
            long n = a[0] switch
            {
                string s => long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) ? v : 0,
                long l => l,
                _ => 0,
            };
            return new GoDuration(unchecked(n * GoDuration.Second)).ToString();
        });
        m["durationRound"] = Fn("durationRound", "any", a =>
        {
            long d = a[0] switch
            {
                string s => TryDuration(s),
                long l => l,
                GoTime t => (long)(time.GetUtcNow() - t.Instant).Ticks * 100,
                _ => 0,
            };
            return DurationRound(d);
        });
        m["ago"] = Fn("ago", "any", a =>
        {
            GoTime then = a[0] switch
            {
                GoTime t => t,
                long l => new GoTime(DateTimeOffset.FromUnixTimeSeconds(l), local),
                int i => new GoTime(DateTimeOffset.FromUnixTimeSeconds(i), local),
                nint n => new GoTime(DateTimeOffset.FromUnixTimeSeconds(n), local),
                _ => Now(),
            };
            long ns = (time.GetUtcNow() - then.Instant).Ticks * 100;
            long rounded = (long)Math.Round(ns / (double)GoDuration.Second, MidpointRounding.AwayFromZero) * GoDuration.Second;
            return new GoDuration(rounded).ToString();
        });
    }

    private static long TryDuration(string s)
    {
        try
        {
            return GoDuration.Parse(s).Nanoseconds;
        }
        catch (GoFunctionException)
        {
            return 0;
        }
    }

    private static string DurationRound(long d)
    {
        ulong u = d < 0 ? (ulong)(-(d + 1)) + 1 : (ulong)d;
        const ulong hour = 3_600_000_000_000UL;
        (ulong unit, string suffix)[] units =
        [
            (hour * 24 * 365, "y"), (hour * 24 * 30, "mo"), (hour * 24, "d"), (hour, "h"), (60_000_000_000UL, "m"), (1_000_000_000UL, "s"),
        ];
        foreach ((ulong unit, string suffix) in units)
        {
            if (u > unit)
            {
                return (u / unit).ToString(CultureInfo.InvariantCulture) + suffix;
            }
        }

        return "0s";
    }
}
