/*
 * Number text as the JVM writes and Spark reads it.
 *
 * Formatting follows Java's Double.toString / Float.toString as specified
 * since JDK 19: the shortest decimal that rounds back to the same binary
 * value, written in plain notation when 10^-3 <= |x| < 10^7 and in
 * "computerized scientific notation" (d.dddE±n, no '+') otherwise.
 *
 * Parsing follows Spark 3.5's non-ANSI casts from string: the functions
 * return false where Spark's cast yields NULL. They take a byte range (not
 * NUL-terminated) because strings live in vector heaps. Nothing here
 * allocates, and nothing depends on the C locale's decimal point.
 */
#ifndef LM_TYPES_NUMFMT_H
#define LM_TYPES_NUMFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Size that always suffices for lm_format_double/lm_format_float output
   ("-1.7976931348623157E308" is 23 bytes plus NUL). */
#define LM_NUMFMT_BUFSZ 32

/* Writes Java's Double.toString(d) into buf (>= LM_NUMFMT_BUFSZ bytes),
   NUL-terminated; returns the length. */
int lm_format_double(char *buf, double d);
/* Writes Java's Float.toString(f): digits are the shortest that round-trip
   as a float, so 0.1f prints "0.1", not "0.10000000149011612". */
int lm_format_float(char *buf, float f);

/*
 * The digits Java would print for a finite value, without sign: on return
 * digits holds n ASCII digits (NUL-terminated, no trailing zeros; "0" for
 * zero) and the value is d1.d2d3...dn x 10^*exp10. digits needs >= 20 bytes.
 * Returns n. Decimal(double) in Spark goes through this text, so the decimal
 * module reuses it.
 */
int lm_double_shortest_digits(double d, char *digits, int *exp10);
int lm_float_shortest_digits(float f, char *digits, int *exp10);

/*
 * String to integral, as Spark's UTF8String.toLong/toInt (non-ANSI cast):
 * leading and trailing bytes 0x00-0x20 and 0x7F are trimmed; an optional
 * '+' or '-'; decimal digits; optionally '.' followed by digits only, which
 * are dropped (truncation toward zero: "1.9" -> 1, "-1.9" -> -1). No
 * exponent ("1e2" fails). Out-of-range values fail rather than wrap. Quirks
 * kept on purpose because Spark has them: "." and "-.5" parse as 0, "1."
 * parses as 1, a lone sign fails. short/byte parse as int and then fail if
 * the value does not fit.
 */
bool lm_parse_long(const char *s, size_t n, int64_t *out);
bool lm_parse_int(const char *s, size_t n, int32_t *out);
bool lm_parse_short(const char *s, size_t n, int16_t *out);
bool lm_parse_byte(const char *s, size_t n, int8_t *out);

/*
 * String to double/float, as Spark's cast: first Java's Double.parseDouble
 * (Float.parseFloat) on the string, which trims bytes <= 0x20 and accepts
 *   [+-] digits [. digits] [(e|E) [+-] digits] [f|F|d|D]   (>= 1 digit),
 *   [+-] "NaN", [+-] "Infinity"                           (case-sensitive),
 *   [+-] 0x|0X hexdigits [. hexdigits] (p|P) [+-] digits [f|F|d|D];
 * if that fails, Spark's special literals, compared after the same trim and
 * ASCII lower-casing: "inf", "+inf", "infinity", "+infinity" (+Inf), "-inf",
 * "-infinity" (-Inf), "nan". Anything else fails ("-nan" included).
 * Decimal text is rounded correctly (to nearest, ties to even); a float is
 * rounded once, directly from the decimal text, as Float.parseFloat does.
 */
bool lm_parse_double(const char *s, size_t n, double *out);
bool lm_parse_float(const char *s, size_t n, float *out);

/*
 * String to boolean, as Spark's StringUtils.isTrueString/isFalseString after
 * UTF8String.trimAll (bytes 0x00-0x20 and 0x7F) and lower-casing:
 * "t", "true", "y", "yes", "1" are true; "f", "false", "n", "no", "0" are
 * false; anything else fails.
 */
bool lm_parse_bool(const char *s, size_t n, bool *out);

#endif
