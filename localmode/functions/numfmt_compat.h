/*
 * Number formatting and parsing come from types/numfmt.h (the numfmt
 * module). Until that module is merged into a tree, its declarations are
 * repeated here so the function library still compiles; the integrator
 * deletes the fallback once numfmt.h is always present.
 */
#ifndef LM_FUNCTIONS_NUMFMT_COMPAT_H
#define LM_FUNCTIONS_NUMFMT_COMPAT_H

#if defined(__has_include)
#if __has_include("types/numfmt.h")
#include "types/numfmt.h"
#define FN_HAVE_NUMFMT 1
#endif
#endif

#ifndef FN_HAVE_NUMFMT
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#define LM_NUMFMT_BUFSZ 32
int lm_format_double(char *buf, double d);
int lm_format_float(char *buf, float f);
int lm_double_shortest_digits(double d, char *digits, int *exp10);
int lm_float_shortest_digits(float f, char *digits, int *exp10);
bool lm_parse_long(const char *s, size_t n, int64_t *out);
bool lm_parse_int(const char *s, size_t n, int32_t *out);
bool lm_parse_short(const char *s, size_t n, int16_t *out);
bool lm_parse_byte(const char *s, size_t n, int8_t *out);
bool lm_parse_double(const char *s, size_t n, double *out);
bool lm_parse_float(const char *s, size_t n, float *out);
bool lm_parse_bool(const char *s, size_t n, bool *out);
#endif

#endif
