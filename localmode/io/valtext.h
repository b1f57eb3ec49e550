/*
 * Text of a single value for the CSV and JSON writers (valtext.c).
 */
#ifndef LM_IO_VALTEXT_H
#define LM_IO_VALTEXT_H

#include "io.h"

/* Appends the text of non-null v; fails only for a TIMESTAMP_NTZ pattern
   that asks for a zone (java.time cannot format an offset of a local
   date-time), which Spark reports as a failed write task. */
lm_status io_value_text(lm_error *err, const io_datetime_out *dt, lm_strbuf *sb,
                        const lm_type *t, const lm_value *v);

#endif
