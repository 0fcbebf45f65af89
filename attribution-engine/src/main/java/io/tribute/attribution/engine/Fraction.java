package io.tribute.attribution.engine;

import java.math.BigDecimal;
import java.math.BigInteger;

/** An exact non-negative rational number in lowest terms; the engine's only kind of number. */
public record Fraction(BigInteger numerator, BigInteger denominator) implements Comparable<Fraction> {

    public static final Fraction ZERO = new Fraction(BigInteger.ZERO, BigInteger.ONE);
    public static final Fraction ONE = new Fraction(BigInteger.ONE, BigInteger.ONE);

    public Fraction {
        if (denominator.signum() <= 0) {
            throw new IllegalArgumentException("denominator must be positive: " + denominator);
        }
        if (numerator.signum() < 0) {
            throw new IllegalArgumentException("fractions here are never negative: " + numerator);
        }
        BigInteger gcd = numerator.gcd(denominator);
        if (numerator.signum() == 0) {
            denominator = BigInteger.ONE;
        } else if (!gcd.equals(BigInteger.ONE)) {
            numerator = numerator.divide(gcd);
            denominator = denominator.divide(gcd);
        }
    }

    public static Fraction of(long numerator, long denominator) {
        return new Fraction(BigInteger.valueOf(numerator), BigInteger.valueOf(denominator));
    }

    /** The exact value of a non-negative decimal. */
    public static Fraction of(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        int scale = stripped.scale();
        BigInteger unscaled = stripped.unscaledValue();
        return scale <= 0
                ? new Fraction(unscaled.multiply(BigInteger.TEN.pow(-scale)), BigInteger.ONE)
                : new Fraction(unscaled, BigInteger.TEN.pow(scale));
    }

    public Fraction add(Fraction other) {
        if (denominator.equals(other.denominator)) {
            return new Fraction(numerator.add(other.numerator), denominator);
        }
        return new Fraction(numerator.multiply(other.denominator).add(other.numerator.multiply(denominator)),
                denominator.multiply(other.denominator));
    }

    public Fraction subtract(Fraction other) {
        return new Fraction(numerator.multiply(other.denominator).subtract(other.numerator.multiply(denominator)),
                denominator.multiply(other.denominator));
    }

    public Fraction multiply(Fraction other) {
        return new Fraction(numerator.multiply(other.numerator), denominator.multiply(other.denominator));
    }

    /** This times {@code numerator / denominator}. */
    public Fraction scale(long numerator, long denominator) {
        return multiply(of(numerator, denominator));
    }

    public boolean isZero() {
        return numerator.signum() == 0;
    }

    /** ⌊this × factor⌋, e.g. factor 10¹² for parts per trillion of the output. */
    public BigInteger floorTimes(BigInteger factor) {
        return numerator.multiply(factor).divide(denominator);
    }

    @Override
    public int compareTo(Fraction other) {
        return numerator.multiply(other.denominator).compareTo(other.numerator.multiply(denominator));
    }

    @Override
    public String toString() {
        return numerator + "/" + denominator;
    }
}
