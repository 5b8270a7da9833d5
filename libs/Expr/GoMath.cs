namespace Lookout.Expr;

/// <summary>
/// Go's <c>math.Pow</c>, whose results differ in the last bits from the C library's <c>pow</c>: Go multiplies
/// out the integer part of the exponent by repeated squaring on the mantissa (tracking the binary exponent
/// separately) and uses exp(f·log x) only for the fractional part. Expressions must compute the same floats as Argo.
/// </summary>
internal static class GoMath
{
    public static double Pow(double x, double y)
    {
        // Special cases, as Go documents them.
        if (y == 0 || x == 1)
        {
            return 1;
        }

        if (y == 1)
        {
            return x;
        }

        if (double.IsNaN(x) || double.IsNaN(y))
        {
            return double.NaN;
        }

        if (x == 0)
        {
            if (y < 0)
            {
                if (IsOddInt(y))
                {
                    return double.CopySign(double.PositiveInfinity, x);
                }

                return double.PositiveInfinity;
            }

            return IsOddInt(y) ? x : 0;
        }

        if (double.IsInfinity(y))
        {
            if (x == -1)
            {
                return 1;
            }

            return (Math.Abs(x) < 1) == double.IsPositiveInfinity(y) ? 0 : double.PositiveInfinity;
        }

        if (double.IsInfinity(x))
        {
            if (double.IsNegativeInfinity(x))
            {
                return Pow(1 / x, -y);
            }

            return y < 0 ? 0 : double.PositiveInfinity;
        }

        if (y == 0.5)
        {
            return Math.Sqrt(x);
        }

        if (y == -0.5)
        {
            return 1 / Math.Sqrt(x);
        }

        double yi = Math.Truncate(Math.Abs(y));
        double yf = Math.Abs(y) - yi;
        if (yf != 0 && x < 0)
        {
            return double.NaN;
        }

        if (yi >= 9.2233720368547758E+18)
        {
            // The exponent is too large for the integer loop: the result is 0, 1 or infinite.
            if (x == -1)
            {
                return 1;
            }

            return (Math.Abs(x) < 1) == (y > 0) ? 0 : double.PositiveInfinity;
        }

        // The fractional part of the exponent, moved into (-0.5, 0.5].
        double a1 = 1.0;
        long ae = 0;
        if (yf != 0)
        {
            if (yf > 0.5)
            {
                yf--;
                yi++;
            }

            a1 = Math.Exp(yf * Math.Log(x));
        }

        // The integer part by squaring the mantissa, keeping the binary exponent apart so nothing overflows early.
        (double x1, long xe) = Frexp(x);
        for (long i = (long)yi; i != 0; i >>= 1)
        {
            if (xe < -(1 << 12) || (1 << 12) < xe)
            {
                // Certain overflow or underflow: let Ldexp below produce it.
                ae += xe;
                break;
            }

            if ((i & 1) == 1)
            {
                a1 *= x1;
                ae += xe;
            }

            x1 *= x1;
            xe <<= 1;
            if (x1 < 0.5)
            {
                x1 += x1;
                xe--;
            }
        }

        if (y < 0)
        {
            a1 = 1 / a1;
            ae = -ae;
        }

        return Ldexp(a1, ae);
    }

    private static bool IsOddInt(double y)
    {
        if (Math.Abs(y) >= 9007199254740992.0)
        {
            return false;
        }

        double t = Math.Truncate(y);
        return t == y && ((long)t & 1) == 1;
    }

    /// <summary>x = frac × 2^exp with |frac| in [0.5, 1).</summary>
    private static (double Frac, long Exp) Frexp(double x)
    {
        if (x == 0 || double.IsInfinity(x) || double.IsNaN(x))
        {
            return (x, 0);
        }

        int e = Math.ILogB(x) + 1;
        double frac = Math.ScaleB(x, -e);
        if (Math.Abs(frac) >= 1)
        {
            frac /= 2;
            e++;
        }
        else if (Math.Abs(frac) < 0.5)
        {
            frac *= 2;
            e--;
        }

        return (frac, e);
    }

    private static double Ldexp(double frac, long exp)
    {
        if (exp > 4096)
        {
            exp = 4096;
        }
        else if (exp < -4096)
        {
            exp = -4096;
        }

        return Math.ScaleB(frac, (int)exp);
    }
}
