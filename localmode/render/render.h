/*
 * Value rendering: the exact text Spark produces for a value in each of its
 * contexts. The forms differ in small ways that users see:
 *  - SHOW: Dataset.show() (values cast to string; nested: `[1, 2]`,
 *    `{1 -> a}`, `{a, 1}`; binary as `[01 02]`)
 *  - HIVE: the SQL test runner / spark-sql CLI (`[1,2]`, `{1:"a"}`,
 *    `{"f":1}`; nested strings quoted; binary as UTF-8 text)
 *  - CAST: CAST(x AS STRING) (like SHOW, but binary as its bytes)
 *  - SQL: Literal.sql, used in plans and generated names (`'abc'`,
 *    `DATE '2020-01-01'`, `1L`, `CAST(1 AS TINYINT)`)
 *  - PRETTY: the generated-column-name form of a literal (strings bare,
 *    numbers as Java prints them, other types as SQL)
 */
#ifndef LM_RENDER_RENDER_H
#define LM_RENDER_RENDER_H

#include <stdbool.h>

#include "common/strbuf.h"
#include "types/type.h"
#include "types/value.h"

struct lm_tz;

typedef enum lm_render_style {
    LM_STYLE_SHOW,
    LM_STYLE_HIVE,
    LM_STYLE_CAST,
    LM_STYLE_SQL,
    LM_STYLE_PRETTY
} lm_render_style;

/* Appends v (of type t) in the given style; NULL prints as Spark does in
   that context ("NULL" at top level, "null" nested). tz: session zone. */
void lm_render(lm_strbuf *sb, const lm_type *t, const lm_value *v, lm_render_style style,
               const struct lm_tz *tz);

#endif
