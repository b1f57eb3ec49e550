/*
 * Decimal arithmetic on 128-bit unscaled values, as Spark's Decimal does it
 * through java.math.BigDecimal: exact products and quotients rounded once
 * to the result scale, HALF_UP unless said otherwise, and Java's two string
 * forms (toString with its scientific notation, toPlainString).
 *
 * Intermediate values that exceed 128 bits (a 38-digit product, a quotient
 * scaled up by 10^40) are carried in a small fixed-size bignum, so nothing
 * here allocates.
 */
#ifndef LM_FUNCTIONS_DECIMAL_OPS_H
#define LM_FUNCTIONS_DECIMAL_OPS_H

#include <stdbool.h>
#include <stddef.h>

#include "types/value.h"

typedef enum fn_round_mode {
    FN_ROUND_HALF_UP,
    FN_ROUND_HALF_EVEN,
    FN_ROUND_FLOOR,
    FN_ROUND_CEILING,
    FN_ROUND_DOWN
} fn_round_mode;

/* Size that always suffices for fn_dec_format/fn_dec_format_java. */
#define FN_DEC_BUF 96

lm_int128 fn_dec_pow10(int n); /* 0 <= n <= 38 */
/* Number of decimal digits of |v| (1 for 0). */
int fn_dec_digits(lm_int128 v);
bool fn_dec_fits(lm_int128 v, int precision);

/* Changes the scale of v from `from` to `to`, rounding with mode when
   digits are dropped. False when the result does not fit 38 digits. */
bool fn_dec_rescale(lm_int128 v, int from, int to, fn_round_mode mode, lm_int128 *out);
/* Rescale then precision check (Decimal.changePrecision). */
bool fn_dec_change(lm_int128 v, int from_scale, int precision, int scale, fn_round_mode mode,
                   lm_int128 *out);

/* Exact a*b (scales sa+sb) rounded to `scale`; false when it exceeds 38 digits. */
bool fn_dec_mul(lm_int128 a, int sa, lm_int128 b, int sb, int scale, lm_int128 *out);
/* a/b rounded HALF_UP to `scale`; b != 0; false on overflow. */
bool fn_dec_div(lm_int128 a, int sa, lm_int128 b, int sb, int scale, lm_int128 *out);
/* Integer quotient a div b truncated toward zero, as a 128-bit integer. */
bool fn_dec_intdiv(lm_int128 a, int sa, lm_int128 b, int sb, lm_int128 *out);
/* Java BigDecimal remainder (sign of the dividend), at max(sa, sb). */
bool fn_dec_rem(lm_int128 a, int sa, lm_int128 b, int sb, int scale, lm_int128 *out);

/* Plain text (BigDecimal.toPlainString). Returns length. */
int fn_dec_format(char *buf, lm_int128 v, int scale);
/* BigDecimal.toString: scientific when the adjusted exponent < -6. */
int fn_dec_format_java(char *buf, lm_int128 v, int scale);

/*
 * Parses Java BigDecimal syntax ([+-]digits[.digits][(e|E)[+-]digits], or
 * [+-].digits), without surrounding spaces. On success gives the unscaled
 * value and its scale (may be negative before normalisation: a negative
 * scale is folded into the value, so *scale >= 0), false when the text is
 * malformed or needs more than 38 digits after folding.
 */
bool fn_dec_parse(const char *s, size_t n, lm_int128 *v, int *scale);

double fn_dec_to_double(lm_int128 v, int scale);
/* Decimal(double) as Spark builds it (from Double.toString's digits), then
   changePrecision HALF_UP. False for NaN/Infinity or overflow. */
bool fn_dec_from_double(double d, int precision, int scale, lm_int128 *out);
/* Same for a float read as Spark does (widened to double first). */
bool fn_dec_from_float(float f, int precision, int scale, lm_int128 *out);

/* Spark's result type rules (DecimalPrecision, allowPrecisionLoss=true). */
void fn_dec_adjust(int *p, int *s);

#endif
