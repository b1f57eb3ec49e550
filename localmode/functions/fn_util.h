/*
 * Helpers shared by the function families: argument coercion as Spark's
 * ImplicitCastInputTypes does it, result typing, and allocation of kernel
 * results in the evaluation arena. Internal to functions/ and expr/cast.c.
 */
#ifndef LM_FUNCTIONS_FN_UTIL_H
#define LM_FUNCTIONS_FN_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis/coerce.h"
#include "common/strbuf.h"
#include "expr/eval.h"
#include "expr/func.h"
#include "types/type.h"
#include "types/value.h"

struct lm_tz;

/* ------------------------------------------------------------ resolve */

/* Sets the call's result type (kept alive by rc's arena) and nullability. */
lm_status fn_set_result(lm_resolve_ctx *rc, lm_expr *call, lm_type *t, bool nullable,
                        lm_error *err);
/* True when any argument is nullable. */
bool fn_args_nullable(const lm_expr *call);

/*
 * Spark's TypeCoercion.implicitCast: whether a value of type `from` may be
 * cast implicitly to `to` when a function expects `to` (numeric widening
 * and narrowing, string to numeric/date/timestamp/binary, atomic to string,
 * NULL to anything, date <-> timestamp).
 */
bool fn_implicit_ok(const lm_type *from, const lm_type *to);

/*
 * Casts argument i to `to` if Spark would do so implicitly, else raises
 * DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE naming `required` (e.g.
 * "\"DOUBLE\""); required NULL derives it from `to`.
 */
lm_status fn_expect(lm_resolve_ctx *rc, lm_expr *call, int i, const lm_type *to,
                    const char *required, lm_error *err);
/* Replaces argument i with an implicit cast to `to` (no checks). */
lm_status fn_cast_arg(lm_resolve_ctx *rc, lm_expr *call, int i, const lm_type *to,
                      lm_error *err);
/* The Spark SQL name of a type in quotes, e.g. "\"INT\"", in rc's arena. */
const char *fn_type_q(lm_resolve_ctx *rc, const lm_type *t);

/* Whether an argument is a literal (after implicit casts and aliases). */
bool fn_is_literal(const lm_expr *e);
/* Whether an argument is foldable as Spark means it: computable once,
   from literals, by deterministic scalar functions (no columns). */
bool fn_is_foldable(const lm_expr *e);
/* Evaluates a foldable argument at resolve time (e.g. a pattern or a
   format); returns false when it is not foldable or its evaluation
   fails. *out may be NULL; its payload lives in rc's arena. */
bool fn_const_value(lm_resolve_ctx *rc, const lm_expr *e, lm_value *out);

lm_status fn_oom(lm_error *err);

/* ---------------------------------------------------------------- eval */

/* Copies n bytes into the arena as a STRING/BINARY value. */
lm_status fn_out_str(lm_eval_ctx *ec, lm_value *out, const char *p, size_t n);
/* Moves a strbuf's contents into a STRING value and frees the buffer. */
lm_status fn_out_sb(lm_eval_ctx *ec, lm_value *out, lm_strbuf *sb);
/* Arena allocation that records OOM on the context. */
void *fn_alloc(lm_eval_ctx *ec, size_t n);
lm_value *fn_values(lm_eval_ctx *ec, size_t n);
lm_status fn_out_array(lm_eval_ctx *ec, lm_value *out, lm_value *elems, int32_t n);

/* Errors raised at run time (ANSI arithmetic). */
lm_status fn_overflow_error(lm_eval_ctx *ec, const char *message, const char *hint);
lm_status fn_divide_by_zero(lm_eval_ctx *ec);

/* Numeric payload of a value of numeric type t as double. */
double fn_to_double(const lm_type *t, const lm_value *v);

/* ------------------------------------------------------- UTF-8 helpers */

/* Number of code points (Spark counts characters, not bytes). */
int32_t fn_utf8_len(const char *s, int32_t n);
/* Byte offset of code point index `cp` (clamped to n). */
int32_t fn_utf8_offset(const char *s, int32_t n, int32_t cp);
/* Length in bytes of the UTF-8 sequence starting with byte c. */
int fn_utf8_char_len(unsigned char c);
/* Decodes one code point at s (n bytes available); returns bytes used. */
int fn_utf8_decode(const char *s, int32_t n, uint32_t *cp);
/* Encodes cp; returns bytes written (<= 4). */
int fn_utf8_encode(uint32_t cp, char *out);


/* ------------------------------------------- shared with expr/cast.c */

/* CAST(v AS STRING) text appended to sb (BigDecimal.toString for decimals
   unless plain_decimal). */
void fn_append_as_string(lm_strbuf *sb, const lm_type *t, const lm_value *v,
                         const struct lm_tz *tz, bool plain_decimal);
/* Literal.sql of a value, for error parameters. */
void fn_sql_value(lm_strbuf *sb, const lm_type *t, const lm_value *v, const struct lm_tz *tz);
/* NUMERIC_VALUE_OUT_OF_RANGE for a value that does not fit DECIMAL(p, s). */
lm_status fn_decimal_out_of_range(lm_eval_ctx *ec, const char *value, int precision, int scale);
/* ANSI interval text: INTERVAL '1-2' YEAR TO MONTH, INTERVAL '1 02:03:04' DAY TO SECOND. */
void fn_append_ym_interval(lm_strbuf *sb, int64_t months, int sf, int ef);
void fn_append_dt_interval(lm_strbuf *sb, int64_t micros, int sf, int ef);

/* Whether the session runs ANSI mode for this evaluation. */
static inline bool fn_ansi(const lm_eval_ctx *ec)
{
    return ec->ansi;
}

/* A new reference to a type held through a const pointer. */
static inline lm_type *fn_tref(const lm_type *t)
{
    return lm_type_ref((lm_type *)t);
}

#endif
