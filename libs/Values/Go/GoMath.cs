namespace Lookout.Values;

/// <summary>
/// Go's <c>math.Pow</c>, whose results differ in the last bits from the C library's <c>pow</c>: Go multiplies
/// out the integer part of the exponent by repeated squaring on the mantissa (tracking the binary exponent
/// separately) and uses exp(f·log x) only for the fractional part. Expressions must compute the same floats as Argo.
/// </summary>
public static class GoMath
{
    /// <summary>
    /// Go's <c>math.Exp</c> as amd64 computes it (Shibata's method, src/math/exp_amd64.s): reduce by ln 2 rounded to
    /// nearest, divide by 16, a Taylor polynomial for e^r − 1, square back four times with (y + 2)·y, then scale by
    /// 2^k without subnormal results. Go takes the fused multiply-add variant when the processor has AVX2 and FMA
    /// (every x86-64 server of the last decade; the conformance answers came from one); <see cref="Math.FusedMultiplyAdd"/>
    /// rounds once on every processor, so our results do not depend on the machine we run on.
    /// </summary>
    public static double Exp(double x)
    {
        const double Log2E = 1.4426950408889634073599246810018920;
        const double Ln2U = 0.69314718055966295651160180568695068359375;
        const double Ln2L = 0.28235290563031577122588448175013436025525412068e-12;
        const double Overflow = 7.09782712893384e+02;
        const double C2 = 0.5, C3 = 1.6666666666666666667e-1, C4 = 4.1666666666666666667e-2, C5 = 8.3333333333333333333e-3;
        const double C6 = 1.3888888888888888889e-3, C7 = 1.9841269841269841270e-4, C8 = 2.4801587301587301587e-5;

        if (double.IsNaN(x) || double.IsPositiveInfinity(x))
        {
            return x;
        }

        if (double.IsNegativeInfinity(x))
        {
            return 0;
        }

        if (x > Overflow)
        {
            return double.PositiveInfinity;
        }

        // CVTSD2SL: to the nearest integer, ties to even.
        int k = (int)Math.Round(Log2E * x, MidpointRounding.ToEven);
        double fk = k;
        double r = Math.FusedMultiplyAdd(-fk, Ln2U, x);
        r = Math.FusedMultiplyAdd(-fk, Ln2L, r);
        r *= 0.0625;
        double p = C8;
        p = Math.FusedMultiplyAdd(p, r, C7);
        p = Math.FusedMultiplyAdd(p, r, C6);
        p = Math.FusedMultiplyAdd(p, r, C5);
        p = Math.FusedMultiplyAdd(p, r, C4);
        p = Math.FusedMultiplyAdd(p, r, C3);
        p = Math.FusedMultiplyAdd(p, r, C2);
        p = Math.FusedMultiplyAdd(p, r, 1.0);
        double y = r * p;
        y *= y + 2.0;
        y *= y + 2.0;
        y *= y + 2.0;
        y = Math.FusedMultiplyAdd(y, y + 2.0, 1.0);

        int biased = k + 0x3FF;
        if (biased <= 0)
        {
            return 0;
        }

        if (biased >= 0x7FF)
        {
            return double.PositiveInfinity;
        }

        return y * BitConverter.Int64BitsToDouble((long)biased << 52);
    }

    /// <summary>
    /// Go's <c>math.Log</c> as amd64 computes it (src/math/log_amd64.s, the algorithm of src/math/log.go): split into
    /// f·2^k with f near 1, then k·ln2 plus a polynomial in s = f/(2+f), in the same order of operations.
    /// </summary>
    public static double Log(double x)
    {
        const double HSqrt2 = 7.07106781186547524401e-01;
        const double Ln2Hi = 6.93147180369123816490e-01;
        const double Ln2Lo = 1.90821492927058770002e-10;
        const double L1 = 6.666666666666735130e-01, L2 = 3.999999999940941908e-01, L3 = 2.857142874366239149e-01;
        const double L4 = 2.222219843214978396e-01, L5 = 1.818357216161805012e-01, L6 = 1.531383769920937332e-01;
        const double L7 = 1.479819860511658591e-01;

        long bits = BitConverter.DoubleToInt64Bits(x);
        if ((bits & long.MaxValue) == 0)
        {
            return double.NegativeInfinity;
        }

        if (bits < 0)
        {
            return double.NaN;
        }

        if (bits >= 0x7FF0000000000000)
        {
            return x;
        }

        // The mantissa with the exponent of 0.5, and the exponent as the assembly reads it (no subnormal adjustment).
        double f1 = BitConverter.Int64BitsToDouble((bits & 0x000FFFFFFFFFFFFF) | 0x3FE0000000000000);
        double k = (double)(((int)(bits >> 52) & 0x7FF) - 0x3FE);
        if (!(HSqrt2 < f1))
        {
            k -= 1;
            f1 *= 2;
        }

        double f = f1 - 1;
        double s = f / (2.0 + f);
        double s2 = s * s;
        double s4 = s2 * s2;
        double t1 = s2 * ((((((L7 * s4) + L5) * s4) + L3) * s4) + L1);
        double t2 = s4 * ((((L6 * s4) + L4) * s4) + L2);
        double rr = t1 + t2;
        double hfsq = 0.5 * f * f;
        return (k * Ln2Hi) - ((hfsq - ((s * (hfsq + rr)) + (k * Ln2Lo))) - f);
    }

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

            a1 = Exp(yf * Log(x));
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
