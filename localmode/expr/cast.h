/*
 * CAST between Spark types, with Spark 3.5's rules: non-ANSI casts return
 * NULL where a value cannot be converted, ANSI casts (and ec->ansi) raise
 * Spark's errors instead. try_cast always returns NULL.
 */
#ifndef LM_EXPR_CAST_H
#define LM_EXPR_CAST_H

#include <stdbool.h>

#include "expr/eval.h"
#include "types/type.h"

/* Whether Spark's Cast.canCast accepts from -> to (non-ANSI rules). */
bool lm_cast_can(const lm_type *from, const lm_type *to);
/* Whether Spark's Cast.canANSICast accepts from -> to. */
bool lm_cast_can_ansi(const lm_type *from, const lm_type *to);

/*
 * Converts a non-NULL value. mode: 0 = session default (ec->ansi), 1 = try
 * (never fails, NULL instead), 2 = ANSI. out may be NULL-valued.
 */
lm_status lm_cast_value(lm_eval_ctx *ec, const lm_type *from, const lm_type *to,
                        const lm_value *in, lm_value *out, int mode);

/* Renders a value as CAST(v AS STRING) does, into the eval arena. */
lm_status lm_cast_to_string(lm_eval_ctx *ec, const lm_type *from, const lm_value *in,
                            lm_value *out);

#endif
