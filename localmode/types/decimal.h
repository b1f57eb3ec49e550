/*
 * Fixed-precision decimals as Spark's Decimal (java.math.BigDecimal
 * underneath) computes them. A value is an unscaled lm_int128 plus the
 * (precision, scale) of its type: value = unscaled x 10^-scale, with
 * |unscaled| < 10^precision, 1 <= precision <= 38, 0 <= scale <= precision.
 * Functions that take a scale expect 0..38 unless they say otherwise.
 *
 * Arithmetic kernels compute the exact result (wider than 128 bits when
 * needed) and then fit it to the result type the analyzer chose, rounding
 * HALF_UP to the result scale and failing when the result needs more than
 * the result precision. This is Spark >= 3.5.1 (SPARK-45786); 3.5.0 rounded
 * products to 38 significant digits first and so differed in the last digit
 * for some 38-digit products and quotients.
 *
 * Nothing here allocates.
 */
#ifndef LM_TYPES_DECIMAL_H
#define LM_TYPES_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "type.h"
#include "value.h"

/* Large enough for lm_decimal_to_string of any 38-digit value. */
#define LM_DECIMAL_BUFSZ 48

typedef enum lm_dec_result {
    LM_DEC_OK = 0,
    LM_DEC_OVERFLOW,  /* does not fit the result type: NULL, or
                         NUMERIC_VALUE_OUT_OF_RANGE in ANSI mode */
    LM_DEC_DIV_ZERO   /* divisor is zero: NULL, or DIVIDE_BY_ZERO in ANSI mode */
} lm_dec_result;

typedef enum lm_round_mode {
    LM_ROUND_HALF_UP,   /* ties away from zero: casts, arithmetic, round() */
    LM_ROUND_HALF_EVEN, /* ties to even: bround() */
    LM_ROUND_FLOOR,     /* toward -infinity: floor() */
    LM_ROUND_CEILING,   /* toward +infinity: ceil() */
    LM_ROUND_DOWN       /* toward zero: truncation */
} lm_round_mode;

/* ---- text ---- */

/*
 * Parses Java BigDecimal syntax, [+-] digits [. digits] [(e|E) [+-] digits]
 * with at least one digit, after trimming bytes <= 0x20 as Spark's
 * Decimal.fromString does (String.trim). The type is the one Spark's Decimal
 * gives the BigDecimal: precision = significant digits, scale = digits after
 * the point minus the exponent; then, as Decimal.set(BigDecimal) adjusts,
 * precision < scale raises precision to scale ("0.01" -> (2,2), not (1,2)),
 * and a negative scale becomes 0 with the digits multiplied out ("1e3" ->
 * unscaled 1000, (4,0)). Examples: "1.50" -> 150 (3,2), "-0" -> 0 (1,0),
 * "0.000" -> 0 (3,3). Fails on bad syntax or when precision or scale would
 * exceed 38.
 */
bool lm_decimal_parse(const char *s, size_t n, lm_int128 *unscaled, int *precision, int *scale);

/*
 * Spark's cast string -> decimal(precision, scale): the same syntax, the
 * exact value rounded HALF_UP to scale, false if the text is not a number,
 * has more than 38 integral digits, or the rounded value needs more than
 * precision digits. Any number of fraction digits is accepted.
 */
bool lm_decimal_parse_to(const char *s, size_t n, int precision, int scale, lm_int128 *out);

/*
 * Plain notation with exactly scale fraction digits, as Spark casts a
 * decimal to string and show() prints it: "30.90", "0.000100", "-899.00",
 * "0" (scale 0). NUL-terminated; returns the length. buf >= LM_DECIMAL_BUFSZ.
 */
int lm_decimal_to_string(char *buf, lm_int128 unscaled, int scale);

/* ---- precision and scale ---- */

/* Number of decimal digits of |v| (1 for zero), 1..39. */
int lm_decimal_digits(lm_int128 v);
/* |v| < 10^precision. */
bool lm_decimal_fits(lm_int128 v, int precision);

/*
 * Re-expresses v (at from_scale) at to_scale, rounding HALF_UP when digits
 * are dropped (Spark's changePrecision); false if the result needs more than
 * to_precision digits.
 */
bool lm_decimal_rescale(lm_int128 v, int from_scale, int to_precision, int to_scale,
                        lm_int128 *out);
/* The same with an explicit rounding mode. */
bool lm_decimal_rescale_mode(lm_int128 v, int from_scale, int to_precision, int to_scale,
                             lm_round_mode mode, lm_int128 *out);

/*
 * Rounds v (at scale) to new_scale places with mode, as round/bround/floor/
 * ceil do. new_scale may be negative (round(123.4, -1) = 120); the result is
 * returned at scale max(new_scale, 0), and is never more precise than the
 * input (new_scale > scale returns v unchanged at scale). False only if the
 * rounded value needs 39 digits (38 nines rounded to tens); the caller
 * checks the result against its result type with lm_decimal_fits.
 */
bool lm_decimal_round(lm_int128 v, int scale, int new_scale, lm_round_mode mode,
                      lm_int128 *out);

/* ---- arithmetic: exact result fitted to (rp, rs) ---- */

lm_dec_result lm_decimal_add(lm_int128 a, int sa, lm_int128 b, int sb, int rp, int rs,
                             lm_int128 *out);
lm_dec_result lm_decimal_sub(lm_int128 a, int sa, lm_int128 b, int sb, int rp, int rs,
                             lm_int128 *out);
/* Exact product (up to 77 digits) rounded once to rs. */
lm_dec_result lm_decimal_mul(lm_int128 a, int sa, lm_int128 b, int sb, int rp, int rs,
                             lm_int128 *out);
/* Quotient rounded HALF_UP at rs (what Spark's divide-at-scale-39-then-round
   amounts to); LM_DEC_DIV_ZERO when b == 0. */
lm_dec_result lm_decimal_div(lm_int128 a, int sa, lm_int128 b, int sb, int rp, int rs,
                             lm_int128 *out);
/* a - trunc(a/b) * b: the sign of a, like Java's BigDecimal.remainder. */
lm_dec_result lm_decimal_rem(lm_int128 a, int sa, lm_int128 b, int sb, int rp, int rs,
                             lm_int128 *out);
/* Spark's pmod: r = a % b; if r < 0 then (r + b) % b else r. So the result
   is >= 0 for b > 0 and <= 0 for b < 0 (pmod(-7, -3) = -1). */
lm_dec_result lm_decimal_pmod(lm_int128 a, int sa, lm_int128 b, int sb, int rp, int rs,
                              lm_int128 *out);

/* -1, 0, 1 comparing a x 10^-sa with b x 10^-sb exactly. */
int lm_decimal_compare(lm_int128 a, int sa, lm_int128 b, int sb);

/* ---- conversions ---- */

/* Cast long -> decimal(precision, scale): exact, false if it does not fit. */
bool lm_decimal_from_int64(int64_t v, int precision, int scale, lm_int128 *out);

/*
 * Cast decimal -> long: truncates toward zero. Returns false when the
 * integral part is outside int64; *out then holds its low 64 bits, which is
 * what Spark's non-ANSI cast returns (Decimal.toLong is BigDecimal.longValue,
 * which wraps). Narrower targets wrap again from the long (Decimal.toInt is
 * toLong.toInt), so non-ANSI int/short/byte casts are (int32_t)*out etc.;
 * ANSI mode raises CAST_OVERFLOW when the value is out of the target range.
 */
bool lm_decimal_to_int64(lm_int128 v, int scale, int64_t *out);

/* Correctly rounded (nearest, ties to even), as BigDecimal.doubleValue. */
double lm_decimal_to_double(lm_int128 v, int scale);
/* Rounded once from the exact value, as BigDecimal.floatValue. */
float lm_decimal_to_float(lm_int128 v, int scale);

/*
 * Cast double -> decimal(precision, scale). Spark's Decimal(double) is
 * scala BigDecimal(d), built from Double.toString(d) (the shortest
 * round-trip digits, not the exact binary value), then rounded HALF_UP to
 * scale: 0.1 -> 0.1 exactly, 1e-5 at scale 4 -> 0.0000, 2.5 at scale 0 ->
 * 3. NaN and infinities fail. A float source is first widened to double by
 * Spark, so cast(0.1f as decimal(10,9)) = 0.100000001: widen before calling.
 */
bool lm_decimal_from_double(double d, int precision, int scale, lm_int128 *out);

/* ---- result types (Spark's DecimalPrecision rules) ---- */

/* DecimalType.bounded: (min(p, 38), min(s, 38)). */
void lm_decimal_bounded(int p, int s, int *rp, int *rs);
/* DecimalType.adjustPrecisionScale with allowPrecisionLoss (the default). */
void lm_decimal_adjust_precision_scale(int p, int s, int *rp, int *rs);

/*
 * Result types of decimal arithmetic, spark.sql.decimalOperations.
 * allowPrecisionLoss=true (the default); each is then passed through
 * lm_decimal_adjust_precision_scale:
 *   a + b, a - b : p = max(s1,s2) + max(p1-s1, p2-s2) + 1, s = max(s1,s2)
 *   a * b        : p = p1 + p2 + 1,                       s = s1 + s2
 *   a / b        : p = p1 - s1 + s2 + max(6, s1+p2+1),    s = max(6, s1+p2+1)
 *   a % b, pmod  : p = min(p1-s1, p2-s2) + max(s1,s2),    s = max(s1,s2)
 * e.g. decimal(38,18) * decimal(38,18) -> decimal(38,6),
 *      decimal(10,2) / decimal(10,2) -> decimal(23,13).
 */
void lm_decimal_result_add(int p1, int s1, int p2, int s2, int *p, int *s);
void lm_decimal_result_sub(int p1, int s1, int p2, int s2, int *p, int *s);
void lm_decimal_result_mul(int p1, int s1, int p2, int s2, int *p, int *s);
void lm_decimal_result_div(int p1, int s1, int p2, int s2, int *p, int *s);
void lm_decimal_result_rem(int p1, int s1, int p2, int s2, int *p, int *s);
void lm_decimal_result_pmod(int p1, int s1, int p2, int s2, int *p, int *s);
/* The common type of two decimals (comparison, union, coalesce...):
   bounded(max(p1-s1, p2-s2) + max(s1,s2), max(s1,s2)). */
void lm_decimal_result_wider(int p1, int s1, int p2, int s2, int *p, int *s);

/*
 * DecimalType.forType: the decimal a numeric type is widened to when it
 * meets a decimal: byte (3,0), short (5,0), int (10,0), long (20,0),
 * float (14,7), double (30,15). False for other types. (Spark turns a
 * decimal into double when it meets float/double in arithmetic; these
 * precisions are used for casts and type widening.)
 */
bool lm_decimal_type_for_integral(lm_type_id id, int *precision, int *scale);
/* DecimalType.forLiteral for an integral literal: exactly its digits,
   (digits(v), 0), so 2 becomes decimal(1,0). */
void lm_decimal_type_for_literal(int64_t v, int *precision, int *scale);

#endif
