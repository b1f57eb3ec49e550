/*
 * Column-mapping transformers (transform.c): inputCol(s) -> outputCol(s),
 * one cell function per column.
 */
#ifndef LM_ML_TRANSFORM_H
#define LM_ML_TRANSFORM_H

#include <stdio.h>

#include "ml/params.h"

#define ML_IO_MAX 64

typedef struct ml_io {
    int n;
    bool multi; /* inputCols/outputCols were used */
    const char *in[ML_IO_MAX];
    const char *out[ML_IO_MAX];
    char dflt[96];
    /* metadata JSON of each output column (malloc'ed by the stage, which
       frees it with ml_io_free_metadata); NULL for none */
    char *md[ML_IO_MAX];
} ml_io;

void ml_io_free_metadata(ml_io *io);

/* Reads inputCol/outputCol or inputCols/outputCols with Spark's checks. */
lm_status ml_io_cols(lm_ml_stage *st, ml_io *io);

/* out = f(in) for column i; *skip drops the row. Non-OK status with no
   error recorded is taken as an allocation failure. */
typedef lm_status (*ml_cell_fn)(void *ctx, int i, const lm_type *t, const lm_value *in, lm_arena *a,
                                lm_value *out, bool *skip);

/* The input rows plus io->n new columns of the given types. */
lm_df *ml_map_columns(lm_ml_stage *st, lm_df *df, const ml_io *io, lm_type *const *types,
                      ml_cell_fn fn, void *ctx);

#endif
