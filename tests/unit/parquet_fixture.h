/*
 * Helpers for the Parquet specification tests: where the reader fixtures
 * are, tables rendered as text (cells in the SQL test runner's style
 * joined by " | ", one row per line), and schema strings.
 */
#ifndef LM_TESTS_PARQUET_FIXTURE_H
#define LM_TESTS_PARQUET_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/parquet/parquet.h"
#include "render/render.h"
#include "types/timezone.h"

#define PQ_DATA_DIR LM_SOURCE_DIR "/../shared/conformance/test-data"

/* The fixture's full path (static buffer), or NULL when the conformance
   corpus is not beside the checkout. */
static inline const char *pq_fixture(const char *name)
{
    static char buf[1024];
    const char *env = getenv("LM_SOURCE_DIR");
    if (env)
        snprintf(buf, sizeof buf, "%s/../shared/conformance/test-data/%s", env, name);
    else
        snprintf(buf, sizeof buf, "%s/%s", PQ_DATA_DIR, name);
    if (access(buf, R_OK) != 0)
        return NULL;
    return buf;
}

static inline char *pq_schema_str(const lm_type *t)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_type_catalog_string(&sb, t);
    return lm_strbuf_detach(&sb);
}

/* Rows as text, in zone tz (NULL: UTC). Caller frees. */
static inline char *pq_rows_str_tz(const lm_table *t, const char *tz)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_arena a;
    lm_arena_init(&a, 4096);
    const lm_tz *zone = tz ? lm_tz_get(tz, NULL) : lm_tz_utc();
    lm_value *row = calloc((size_t)t->schema->nfields + 1, sizeof(lm_value));
    bool first = true;
    for (int b = 0; b < t->nbatches; b++)
        for (int32_t r = 0; r < t->batches[b]->nrows; r++) {
            lm_batch_get_row(t->batches[b], r, row, &a);
            if (!first)
                lm_strbuf_putc(&sb, '\n');
            first = false;
            for (int c = 0; c < t->schema->nfields; c++) {
                if (c)
                    lm_strbuf_puts(&sb, " | ");
                lm_render(&sb, t->schema->fields[c].type, &row[c], LM_STYLE_HIVE, zone);
            }
        }
    free(row);
    lm_arena_free(&a);
    lm_strbuf_putc(&sb, '\0');
    return lm_strbuf_detach(&sb);
}

static inline char *pq_rows_str(const lm_table *t)
{
    return pq_rows_str_tz(t, NULL);
}

/* Reads a fixture with opts (NULL: defaults); NULL when missing. */
static inline lm_table *pq_read_fixture(const char *name, lm_parquet_read_opts *opts,
                                        lm_error *err)
{
    const char *path = pq_fixture(name);
    if (path == NULL)
        return NULL;
    lm_table *t = NULL;
    lm_parquet_read_file(path, opts, &t, err);
    return t;
}

/* A fresh temporary directory (static buffer). */
static inline const char *pq_tmpdir(void)
{
    static char buf[256];
    snprintf(buf, sizeof buf, "/tmp/lm_parquet_test_XXXXXX");
    return mkdtemp(buf);
}

static inline void pq_rm_rf(const char *dir)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

#define PQ_SKIP_IF_MISSING(name)                                                       \
    do {                                                                               \
        if (pq_fixture(name) == NULL) {                                                \
            fprintf(stderr, "skipped: fixture %s not found (shared/ corpus absent)\n", \
                    name);                                                             \
            skip();                                                                    \
        }                                                                              \
    } while (0)

#endif
