/*
 * libFuzzer harness: the testkit's YAML fixtures (testkit/src/fixture.c):
 * schemas as DDL, rows as lists or maps, scalars read as Spark's ANSI
 * casts, !!binary, nesting. Every table a fixture declares is computed and
 * rendered. Any input must end in tables or an error message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "localmode.h"
#include "localmode_testkit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static lm_session *session;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 16384)
        return 0;
    if (session == NULL) {
        lm_conf *c = lm_conf_new();
        lm_conf_set(c, "spark.sql.session.timeZone", "UTC");
        session = lm_session_open(c, NULL);
        lm_conf_free(c);
        if (session == NULL)
            abort();
    }
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    char *err = NULL;
    lmt_fixture *f = lmt_fixture_load_string(session, text, "fuzz.yaml", &err);
    if (f != NULL) {
        for (int i = 0; i < lmt_fixture_num_tables(f); i++) {
            lm_df *df = lmt_fixture_df(f, lmt_fixture_table_name(f, i));
            lm_rows *rows = NULL;
            if (df && lm_df_collect(df, &rows) == LM_OK) {
                for (int64_t r = 0; r < lm_rows_count(rows) && r < 256; r++)
                    for (int c = 0; c < lm_rows_num_columns(rows); c++)
                        free(lm_rows_render(rows, r, c, LM_RENDER_SHOW));
                lm_rows_free(rows);
            }
            lm_df_free(df);
        }
        lmt_fixture_free(f);
    }
    free(err);
    free(text);
    /* fixtures register temp views; start afresh now and then */
    static unsigned n;
    if (++n % 256 == 0) {
        lm_session_close(session);
        session = NULL;
    }
    return 0;
}
