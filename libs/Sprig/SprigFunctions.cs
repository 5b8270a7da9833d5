using System.Globalization;
using Lookout.Values;

namespace Lookout.Sprig;

/// <summary>
/// Sprig v3.3.0's text function map (<c>TxtFuncMap</c>, as notifications-engine pins it) on the shared object model,
/// minus <c>env</c> and <c>expandenv</c> (as notifications-engine removes them). One file per Sprig family.
/// Parameters carry Sprig's Go types, so the template engine rejects a wrongly typed argument as Go does.
/// </summary>
public static partial class SprigFunctions
{
    /// <summary>The function map; <paramref name="time"/> drives <c>now</c>, <c>ago</c> and friends (default: the system clock).</summary>
    public static IReadOnlyDictionary<string, GoFunction> Create(TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var map = new Dictionary<string, GoFunction>(StringComparer.Ordinal);
        AddStrings(map);
        AddStringSlices(map);
        AddConversions(map);
        AddMath(map);
        AddIntegerSlices(map);
        AddReflection(map);
        AddDefaults(map);
        AddLists(map);
        AddDicts(map);
        AddEncoding(map);
        AddCrypto(map);
        AddCertificates(map);
        AddNetwork(map);
        AddPaths(map);
        AddRegex(map);
        AddDates(map, time);
        AddSemver(map);
        AddUrls(map);
        map["hello"] = Fn("hello", string.Empty, _ => "Hello!");
        map["fail"] = Fn("fail", "string", a => throw new GoFunctionException((string)a[0]!));
        return map;
    }

    /// <summary>
    /// A function with a Go signature: space-separated parameter types (<c>string int bool float64 uint32 map list time
    /// any</c>; <c>list</c> is <c>[]interface{}</c>), the last prefixed with <c>...</c> when variadic.
    /// </summary>
    internal static GoFunction Fn(string name, string signature, Func<object?[], object?> invoke)
    {
        string[] types = signature.Length == 0 ? [] : signature.Split(' ');
        bool variadic = types.Length > 0 && types[^1].StartsWith("...", StringComparison.Ordinal);
        if (variadic)
        {
            types[^1] = types[^1][3..];
        }

        int fixedCount = variadic ? types.Length - 1 : types.Length;
        Action<object?[]>? charge = Budget.For(name);
        return new GoFunction(name, fixedCount, variadic ? -1 : fixedCount, args =>
        {
            try
            {
                charge?.Invoke(args);
                return invoke(args);
            }
            catch (GoFunctionException)
            {
                throw;
            }
            catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
            {
                throw Lookout.Values.GoRegex.TimedOut();
            }
            catch (Exception ex) when (ex is InvalidCastException or ArgumentException or FormatException or OverflowException or DivideByZeroException or IndexOutOfRangeException or KeyNotFoundException or InvalidOperationException)
            {
                // Go panics here; text/template reports the panic as the call's error.
                throw new GoFunctionException(ex is DivideByZeroException ? "runtime error: integer divide by zero" : ex.Message);
            }
        })
        { ParamTypes = types };
    }
}
