/*
 * The error record. Spark reports failures as an exception kind, an error
 * class with SQLSTATE, named message parameters and an optional query
 * context; we keep the same pieces so callers (and the conformance runner)
 * can compare them one by one rather than parsing message text.
 */
#ifndef LM_COMMON_ERROR_H
#define LM_COMMON_ERROR_H

#include <stdarg.h>
#include <stddef.h>

#include "status.h"

#define LM_ERROR_MAX_PARAMS 12

typedef struct lm_error_param {
    char *name;
    char *value;
} lm_error_param;

typedef struct lm_error {
    lm_status status;
    char *exception;   /* JVM exception class Spark would throw, e.g.
                          "org.apache.spark.sql.AnalysisException"; may be NULL */
    char *error_class; /* e.g. "UNRESOLVED_COLUMN.WITH_SUGGESTION"; may be NULL */
    char *sqlstate;    /* e.g. "42703"; may be NULL */
    char *message;     /* full human-readable message; never NULL once set */
    int nparams;
    lm_error_param params[LM_ERROR_MAX_PARAMS];
    /* query context: 0-based inclusive offsets into the statement text,
       or -1 when there is none */
    int ctx_start, ctx_stop;
} lm_error;

/* Well-known exception kinds, so call sites don't repeat long strings. */
#define LM_EXC_ANALYSIS "org.apache.spark.sql.AnalysisException"
#define LM_EXC_EXT_ANALYSIS "org.apache.spark.sql.catalyst.ExtendedAnalysisException"
#define LM_EXC_PARSE "org.apache.spark.sql.catalyst.parser.ParseException"
#define LM_EXC_ARITH "org.apache.spark.SparkArithmeticException"
#define LM_EXC_NUMBER_FORMAT "org.apache.spark.SparkNumberFormatException"
#define LM_EXC_DATETIME "org.apache.spark.SparkDateTimeException"
#define LM_EXC_RUNTIME "org.apache.spark.SparkRuntimeException"
#define LM_EXC_ILLEGAL_ARG "org.apache.spark.SparkIllegalArgumentException"
#define LM_EXC_UNSUPPORTED "org.apache.spark.SparkUnsupportedOperationException"

void lm_error_init(lm_error *err);
/* Releases everything held and re-initialises; safe on an initialised error. */
void lm_error_clear(lm_error *err);

/*
 * Records a failure. exception, error_class and sqlstate may be NULL.
 * Returns status so call sites can write `return lm_error_set(...)`.
 * When err is NULL nothing is recorded (callers that only need the status).
 * If an error is already recorded it is replaced.
 */
lm_status lm_error_set(lm_error *err, lm_status status, const char *exception,
                       const char *error_class, const char *sqlstate,
                       const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
lm_status lm_error_vset(lm_error *err, lm_status status, const char *exception,
                        const char *error_class, const char *sqlstate,
                        const char *fmt, va_list ap);

/* Adds a message parameter (Spark's messageParameters), in insertion order. */
void lm_error_param_add(lm_error *err, const char *name, const char *value);
void lm_error_set_context(lm_error *err, int start, int stop);

/* Shorthand for allocation failures. */
lm_status lm_error_oom(lm_error *err);

/* Moves src into dst (dst is cleared first); src is left initialised. */
void lm_error_move(lm_error *dst, lm_error *src);

#endif
