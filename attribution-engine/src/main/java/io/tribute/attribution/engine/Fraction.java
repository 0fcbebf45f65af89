package io.tribute.attribution.engine;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * An exact non-negative rational number, the engine's only kind of number. Arithmetic does not reduce (a
 * gcd per operation dominated large attributions); {@link #numerator()}, {@link #denominator()},
 * {@link #equals}, {@link #hashCode} and {@link #toString} see the value in lowest terms.
 */
public final class Fraction implements Comparable<Fraction> {

    public static final Fraction ZERO = new Fraction(BigInteger.ZERO, BigInteger.ONE);
    public static final Fraction ONE = new Fraction(BigInteger.ONE, BigInteger.ONE);

    private final BigInteger numerator;
    private final BigInteger denominator;
    private Fraction lowestTerms;

    public Fraction(BigInteger numerator, BigInteger denominator) {
        if (denominator.signum() <= 0) {
            throw new IllegalArgumentException("denominator must be positive: " + denominator);
        }
        if (numerator.signum() < 0) {
            throw new IllegalArgumentException("fractions here are never negative: " + numerator);
        }
        this.numerator = numerator;
        this.denominator = denominator;
    }

    public static Fraction of(long numerator, long denominator) {
        return new Fraction(BigInteger.valueOf(numerator), BigInteger.valueOf(denominator));
    }

    /** The exact value of a non-negative decimal. */
    public static Fraction of(BigDecimal value) {
        int scale = value.scale();
        BigInteger unscaled = value.unscaledValue();
        return scale <= 0
                ? new Fraction(unscaled.multiply(BigInteger.TEN.pow(-scale)), BigInteger.ONE)
                : new Fraction(unscaled, BigInteger.TEN.pow(scale));
    }

    /** The numerator in lowest terms. */
    public BigInteger numerator() {
        return lowestTerms().numerator;
    }

    /** The denominator in lowest terms (≥ 1). */
    public BigInteger denominator() {
        return lowestTerms().denominator;
    }

    /** A numerator over {@link #rawDenominator()}, not necessarily in lowest terms. */
    BigInteger rawNumerator() {
        return numerator;
    }

    BigInteger rawDenominator() {
        return denominator;
    }

    public Fraction add(Fraction other) {
        if (other.isZero()) {
            return this;
        }
        if (isZero()) {
            return other;
        }
        return combine(other, true);
    }

    public Fraction subtract(Fraction other) {
        return combine(other, false);
    }

    /** Sum or difference over the least common multiple of the denominators (they do not grow as squares). */
    private Fraction combine(Fraction other, boolean add) {
        if (denominator.equals(other.denominator)) {
            return new Fraction(add ? numerator.add(other.numerator) : numerator.subtract(other.numerator),
                    denominator);
        }
        BigInteger gcd = denominator.gcd(other.denominator);
        BigInteger mine = numerator.multiply(other.denominator.divide(gcd));
        BigInteger theirs = other.numerator.multiply(denominator.divide(gcd));
        return new Fraction(add ? mine.add(theirs) : mine.subtract(theirs),
                denominator.divide(gcd).multiply(other.denominator));
    }

    public Fraction multiply(Fraction other) {
        return new Fraction(numerator.multiply(other.numerator), denominator.multiply(other.denominator));
    }

    /** This divided by a positive fraction. */
    public Fraction divide(Fraction other) {
        if (other.isZero()) {
            throw new ArithmeticException("division by zero");
        }
        return new Fraction(numerator.multiply(other.denominator), denominator.multiply(other.numerator));
    }

    /** This times {@code numerator / denominator}. */
    public Fraction scale(long numerator, long denominator) {
        if (numerator == denominator) {
            return this;
        }
        return new Fraction(this.numerator.multiply(BigInteger.valueOf(numerator)),
                this.denominator.multiply(BigInteger.valueOf(denominator)));
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
        if (denominator.equals(other.denominator)) {
            return numerator.compareTo(other.numerator);
        }
        return numerator.multiply(other.denominator).compareTo(other.numerator.multiply(denominator));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Fraction fraction && compareTo(fraction) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * numerator().hashCode() + denominator().hashCode();
    }

    @Override
    public String toString() {
        return numerator() + "/" + denominator();
    }

    private Fraction lowestTerms() {
        Fraction reduced = lowestTerms;
        if (reduced == null) {
            BigInteger gcd = numerator.gcd(denominator);
            reduced = numerator.signum() == 0 ? ZERO
                    : gcd.equals(BigInteger.ONE) ? this
                    : new Fraction(numerator.divide(gcd), denominator.divide(gcd));
            // A benign race: every thread computes the same value.
            lowestTerms = reduced;
        }
        return reduced;
    }
}
