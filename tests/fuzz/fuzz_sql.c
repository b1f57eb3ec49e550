/*
 * libFuzzer harness: SQL text through the parser, analyzer and executor.
 * Any input must end in a result or an error status, never a crash, a
 * sanitizer report or a leak.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "localmode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static lm_session *session;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    if (session == NULL) {
        lm_conf *c = lm_conf_new();
        lm_conf_set(c, "spark.sql.session.timeZone", "America/Los_Angeles");
        session = lm_session_open(c, NULL);
        lm_conf_free(c);
        if (session == NULL)
            abort();
    }
    char *sql = malloc(size + 1);
    memcpy(sql, data, size);
    sql[size] = '\0';
    lm_df *df = NULL;
    if (lm_sql(session, sql, &df) == LM_OK) {
        lm_rows *rows = NULL;
        if (lm_df_collect(df, &rows) == LM_OK) {
            for (int64_t r = 0; r < lm_rows_count(rows) && r < 64; r++)
                for (int c = 0; c < lm_rows_num_columns(rows); c++)
                    free(lm_rows_render(rows, r, c, LM_RENDER_HIVE));
            lm_rows_free(rows);
        }
        lm_df_free(df);
    }
    free(sql);
    /* views a statement created stay, as in a real session; drop them now
       and then so the catalog does not grow without bound */
    static unsigned n;
    if (++n % 256 == 0) {
        lm_session_close(session);
        session = NULL;
    }
    return 0;
}
