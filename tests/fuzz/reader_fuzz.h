/*
 * Shared body of the file-reader harnesses (fuzz_csv, fuzz_json,
 * fuzz_parquet): the input becomes a file in a private scratch folder and
 * is read through lm_read with options chosen by the input's first byte,
 * then every row is rendered. Any input must end in a table or an error
 * status: never a crash, a sanitizer report, a leak or a hang.
 */
#ifndef TESTS_FUZZ_READER_FUZZ_H
#define TESTS_FUZZ_READER_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "localmode.h"

static lm_session *rf_session;
static char rf_dir[64];

/* At exit: the session closed, the scratch folder (emptied after every
   input) removed. */
static void rf_cleanup(void)
{
    if (rf_session)
        lm_session_close(rf_session);
    rf_session = NULL;
    if (rf_dir[0])
        rmdir(rf_dir);
}

/* One option set per bit of the selector byte. */
typedef struct rf_flag {
    const char *key, *on, *off;
} rf_flag;

static int rf_read(const uint8_t *data, size_t size, size_t max, const char *format,
                   const char *ext, const rf_flag *flags, int nflags, const char *schema)
{
    if (size < 1 || size > max)
        return 0;
    if (rf_session == NULL) {
        if (rf_dir[0] == '\0') {
            snprintf(rf_dir, sizeof rf_dir, "/tmp/lm_fuzz_%s_XXXXXX", format);
            if (mkdtemp(rf_dir) == NULL)
                abort();
            atexit(rf_cleanup);
        }
        lm_conf *c = lm_conf_new();
        lm_conf_set(c, "spark.sql.session.timeZone", "America/Los_Angeles");
        rf_session = lm_session_open(c, NULL);
        lm_conf_free(c);
        if (rf_session == NULL)
            abort();
    }
    uint8_t sel = data[0];
    data++;
    size--;
    char path[128];
    snprintf(path, sizeof path, "%s/input%s", rf_dir, ext);
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        abort();
    if (size && fwrite(data, 1, size, f) != size)
        abort();
    fclose(f);
    lm_options *o = lm_options_new();
    for (int i = 0; i < nflags; i++) {
        const char *v = (sel >> i) & 1 ? flags[i].on : flags[i].off;
        if (v)
            lm_options_set(o, flags[i].key, v);
    }
    lm_df *df = NULL;
    /* the top bit: the user's schema instead of inference */
    if (lm_read(rf_session, format, path, o, (sel & 0x80) ? schema : NULL, &df) == LM_OK) {
        lm_rows *rows = NULL;
        if (lm_df_collect(df, &rows) == LM_OK) {
            for (int64_t r = 0; r < lm_rows_count(rows) && r < 256; r++)
                for (int c = 0; c < lm_rows_num_columns(rows); c++)
                    free(lm_rows_render(rows, r, c, LM_RENDER_SHOW));
            lm_rows_free(rows);
        }
        lm_df_free(df);
    }
    lm_options_free(o);
    unlink(path);
    static unsigned n;
    if (++n % 1024 == 0) {
        lm_session_close(rf_session);
        rf_session = NULL;
    }
    return 0;
}

#endif
