using Lookout.Notifications.Scope;
using Lookout.Values;

namespace Lookout.Expr.Tests;

/// <summary>
/// Comparisons of Argo CD's parsed times (<c>time.Parse(a).Add(d).Before(time.Parse(b))</c>, as in the catalog's
/// on-deployed trigger) take a shortcut that allocates nothing (measured in tests/Benchmarks, TriggerConditionBenchmarks);
/// its answers and errors must be the general path's.
/// </summary>
public sealed class TimeShortcutTests
{
    private static readonly string[] Expressions =
    [
        "time.Parse(app.a).Before(time.Parse(app.b))",
        "time.Parse(app.a).After(time.Parse(app.b))",
        "time.Parse(app.a).Equal(time.Parse(app.b))",
        "!time.Parse(app.a).Add(1 * time.Minute).Before(time.Parse(app.b))",
        "time.Parse(app.a).Add(time.Hour * 2).After(time.Parse(app.b).Add(time.Second))",
        "time.Parse(app.a).Add(-1 * time.Hour).Before(time.Parse(app.b))",
        "time.Parse(app.a).Add(app.d).Equal(time.Parse(app.b))",
    ];

    private static readonly string[] Times =
    [
        "2026-11-24T10:00:00Z",
        "2026-11-24T10:01:00Z",
        "2026-11-24T10:00:00.5Z",
        "2026-11-24T15:30:00+05:30",
        "2026-11-24T02:00:00-08:00",
        "2026-11-24t10:00:00z",
        "2026-11-24T10:00:00+14:00",
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
        "2026-02-30T00:00:00Z",
        "yesterday",
    ];

    public static TheoryData<string> All() => [.. Expressions];

    [Theory]
    [MemberData(nameof(All))]
    public void Shortcut_AgreesWithTheGeneralPath(string expression)
    {
        var program = ExprProgram.Compile(expression);
        foreach (string a in Times)
        {
            foreach (string b in Times)
            {
                foreach (object? d in new object?[] { new Lookout.Values.Time.GoDuration(60_000_000_000), 5L, null })
                {
                    var app = new ObjectMap { ["a"] = a, ["b"] = b, ["d"] = d };
                    Assert.Equal(Outcome(program, WithSharedParse(app)), Outcome(program, WithOwnParse(app)));
                }
            }
        }
    }

    [Fact]
    public void AnotherTimeInScope_IsNotMistakenForArgos()
    {
        // A user's own "time" whose Parse ignores its argument: the shortcut must not read the string itself.
        var fixedTime = Lookout.Values.Time.GoTime.Parse(Lookout.Values.Time.GoLayouts.RFC3339, "2000-01-01T00:00:00Z");
        var env = new ObjectMap
        {
            ["app"] = new ObjectMap { ["a"] = "2026-11-24T10:00:00Z", ["b"] = "2026-11-24T10:00:30Z" },
            ["time"] = new ObjectMap { ["Parse"] = new GoFunction("Parse", 1, 1, _ => fixedTime) },
        };
        Assert.Equal(false, ExprProgram.Compile(Expressions[0]).Run(env));
        Assert.Equal(true, ExprProgram.Compile(Expressions[2]).Run(env));
    }

    private static ObjectMap WithSharedParse(ObjectMap app) => NotificationScope.ForTrigger(app);

    private static ObjectMap WithOwnParse(ObjectMap app)
    {
        ObjectMap env = NotificationScope.ForTrigger(app);
        var time = new ObjectMap((ObjectMap)env["time"]!);
        time["Parse"] = new GoFunction("time.Parse", 1, 1, a => ArgoHelpers.TimeParse.Call(a));
        env["time"] = time;
        return env;
    }

    private static string Outcome(ExprProgram program, ObjectMap env)
    {
        try
        {
            return "ok: " + ObjectModel.ToJson(program.Run(env));
        }
        catch (ExprException ex)
        {
            return "error: " + ex.Message;
        }
    }
}
