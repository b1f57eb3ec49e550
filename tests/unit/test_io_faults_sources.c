/*
 * I/O faults in the file data sources (CSV, JSON, Parquet writers and
 * readers, io/ and io/parquet/) through common/fileio's fault plan: a full
 * disk, a failed rename and a failed create during lm_write fail it with a
 * clear cause and leave the target exactly as it was (a new path absent, an
 * overwritten or appended folder byte for byte as before, no _temporary);
 * read errors and short reads fail lm_read; partial reads and writes change
 * nothing; and a sweep fails every file operation of an overwrite in turn.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/fileio.h"
#include "common/strbuf.h"
#include "localmode.h"

static char root[64];

static int make_root(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/lm_srcfault_XXXXXX");
    return mkdtemp(root) ? 0 : -1;
}

static int drop_root(void **state)
{
    (void)state;
    lm_fio_remove_tree(root);
    return 0;
}

static const char *under(const char *sub)
{
    static char buf[256];
    snprintf(buf, sizeof buf, "%s/%s", root, sub);
    return buf;
}

/* Every path under dir with a checksum of each file's bytes, sorted. */
static void snapshot_into(const char *dir, const char *rel, lm_strbuf *out)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    char *names[512];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 512)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            names[n++] = strdup(e->d_name);
    closedir(d);
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (strcmp(names[j], names[i]) < 0) {
                char *x = names[i];
                names[i] = names[j];
                names[j] = x;
            }
    for (int i = 0; i < n; i++) {
        char path[1024], r[1024];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        snprintf(r, sizeof r, "%s%s%s", rel, *rel ? "/" : "", names[i]);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            lm_strbuf_printf(out, "%s/\n", r);
            snapshot_into(path, r, out);
        } else {
            char *data = NULL;
            size_t len = 0;
            lm_error err;
            lm_error_init(&err);
            uint64_t h = 1469598103934665603ULL;
            if (lm_fio_read_all(NULL, path, &data, &len, &err) == LM_OK)
                for (size_t k = 0; k < len; k++)
                    h = (h ^ (unsigned char)data[k]) * 1099511628211ULL;
            lm_error_clear(&err);
            free(data);
            lm_strbuf_printf(out, "%s %zu %016llx\n", r, len, (unsigned long long)h);
        }
        free(names[i]);
    }
}

static char *snapshot(const char *dir)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    snapshot_into(dir, "", &sb);
    lm_strbuf_putc(&sb, '\0');
    return lm_strbuf_detach(&sb);
}

static lm_session *open_faults(const char *faults)
{
    lm_conf *c = lm_conf_new();
    lm_conf_set(c, "spark.sql.session.timeZone", "UTC");
    if (faults)
        lm_conf_set(c, LM_FIO_FAULTS_KEY, faults);
    lm_session *s = lm_session_open(c, NULL);
    lm_conf_free(c);
    return s;
}

#define DATA_SQL                                                                                   \
    "SELECT id, concat('v', CAST(id AS STRING)) AS s, CAST(id AS DOUBLE) / 4 AS d, "              \
    "id %% 3 AS p FROM range(30)"

/* Writes DATA_SQL (with `shift` added to id) as fmt to sub; returns the
   session's message or "ok". */
static char *write_data(const char *faults, const char *fmt, const char *sub, const char *mode,
                        int shift, bool partitioned)
{
    lm_session *s = open_faults(faults);
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT id + %d AS id, s, d, p FROM (" DATA_SQL ")", shift);
    lm_df *df = NULL;
    lm_status st = lm_sql(s, sql, &df);
    static const char *const part[] = {"p"};
    if (st == LM_OK)
        st = lm_write(df, fmt, under(sub), mode, NULL, partitioned ? part : NULL,
                      partitioned ? 1 : 0);
    char *msg = strdup(st == LM_OK ? "ok" : lm_errmsg(s));
    lm_df_free(df);
    lm_session_close(s);
    return msg;
}

/* Reads sub back as fmt: "count sum(id)" or the error. */
static char *read_back(const char *faults, const char *fmt, const char *sub)
{
    lm_session *s = open_faults(faults);
    lm_df *df = NULL;
    char *out = NULL;
    if (lm_read(s, fmt, under(sub), NULL, "id BIGINT, s STRING, d DOUBLE, p BIGINT", &df) ==
        LM_OK) {
        lm_df *agg = NULL;
        if (lm_sql(s, "SELECT 1", &agg) == LM_OK) {
            lm_rows *rows = NULL;
            if (lm_df_collect(df, &rows) == LM_OK) {
                int64_t sum = 0;
                for (int64_t r = 0; r < lm_rows_count(rows); r++) {
                    char *cell = lm_rows_render(rows, r, 0, LM_RENDER_HIVE);
                    sum += atoll(cell);
                    free(cell);
                }
                char buf[64];
                snprintf(buf, sizeof buf, "%lld %lld", (long long)lm_rows_count(rows),
                         (long long)sum);
                out = strdup(buf);
                lm_rows_free(rows);
            }
        }
        lm_df_free(agg);
    }
    if (out == NULL)
        out = strdup(lm_errmsg(s));
    lm_df_free(df);
    lm_session_close(s);
    return out;
}

static const char *const formats[] = {"csv", "json", "parquet"};

/* --------------------------------------------------------------- writers */
static void test_full_disk_fails_a_new_write_and_leaves_nothing(void **state)
{
    (void)state;
    for (int f = 0; f < 3; f++) {
        char *msg = write_data("write:ENOSPC:part-00000", formats[f], "new", NULL, 0, false);
        assert_non_null(strstr(msg, "[TASK_WRITE_FAILED] Task failed while writing rows to file:"));
        assert_non_null(strstr(msg, "No space left on device (writing "));
        free(msg);
        char *t = snapshot(root);
        assert_string_equal(t, "");
        free(t);
    }
}

static void test_failed_overwrite_keeps_the_old_output(void **state)
{
    (void)state;
    static const char *const plans[] = {
        "write:ENOSPC",             /* the new part file cannot be written */
        "rename:EXDEV:/task_",      /* job commit cannot publish */
        "open:EROFS:_SUCCESS",      /* the marker cannot be created */
        "rename:EIO:attempt_",      /* task commit */
        "close:EDQUOT:part-",       /* deferred write error at close */
    };
    for (int f = 0; f < 3; f++) {
        char *msg = write_data(NULL, formats[f], "old", NULL, 0, true);
        assert_string_equal(msg, "ok");
        free(msg);
        char *before = snapshot(under("old"));
        for (size_t k = 0; k < sizeof plans / sizeof plans[0]; k++) {
            msg = write_data(plans[k], formats[f], "old", "overwrite", 100, true);
            if (strcmp(msg, "ok") == 0)
                fail_msg("%s with %s succeeded", formats[f], plans[k]);
            free(msg);
            char *after = snapshot(under("old"));
            if (strcmp(after, before) != 0)
                fail_msg("%s with %s changed the target:\n%s\nvs\n%s", formats[f], plans[k],
                         after, before);
            free(after);
            msg = write_data(plans[k], formats[f], "old", "append", 200, true);
            assert_string_not_equal(msg, "ok");
            free(msg);
            after = snapshot(under("old"));
            assert_string_equal(after, before);
            free(after);
        }
        char *back = read_back(NULL, formats[f], "old");
        assert_string_equal(back, "30 435");
        free(back);
        free(before);
        lm_fio_remove_tree(under("old"));
    }
}

static void test_partial_writes_and_reads_round_trip(void **state)
{
    (void)state;
    for (int f = 0; f < 3; f++) {
        char *msg = write_data("write:PARTIAL", formats[f], "partial", NULL, 0, false);
        assert_string_equal(msg, "ok");
        free(msg);
        char *back = read_back("read:PARTIAL", formats[f], "partial");
        assert_string_equal(back, "30 435");
        free(back);
        lm_fio_remove_tree(under("partial"));
    }
}

/* --------------------------------------------------------------- readers */
static void test_read_errors_and_short_reads_fail_the_read(void **state)
{
    (void)state;
    for (int f = 0; f < 3; f++) {
        char *msg = write_data(NULL, formats[f], "in", NULL, 0, false);
        assert_string_equal(msg, "ok");
        free(msg);
        char *e = read_back("read:EIO:part-", formats[f], "in");
        assert_non_null(strstr(e, "Input/output error (reading "));
        free(e);
        e = read_back("read:SHORT:part-", formats[f], "in");
        assert_non_null(strstr(e, "Unexpected end of file "));
        free(e);
        e = read_back("open:EACCES:part-", formats[f], "in");
        assert_string_not_equal(e, "30 435");
        free(e);
        lm_fio_remove_tree(under("in"));
    }
}

/* ------------------------------------------------------------------ sweep */
/* Fails the n-th call of one kind in an overwrite of a partitioned folder,
   n = 1, 2, ... until the overwrite makes fewer such calls: each failed
   run leaves the folder as it was. Returns the calls failed. */
static int sweep(const char *fmt, const char *op, const char *fault)
{
    char *msg = write_data(NULL, fmt, "sweep", NULL, 0, true);
    assert_string_equal(msg, "ok");
    free(msg);
    char *before = snapshot(under("sweep"));
    int n = 1;
    for (;; n++) {
        char plan[64];
        snprintf(plan, sizeof plan, "%s:%s::%d", op, fault, n);
        msg = write_data(plan, fmt, "sweep", "overwrite", 1000, true);
        bool ok = strcmp(msg, "ok") == 0;
        free(msg);
        if (ok)
            break;
        char *after = snapshot(under("sweep"));
        if (strcmp(after, before) != 0)
            fail_msg("%s %s changed the target", fmt, plan);
        free(after);
        if (n > 500)
            fail_msg("%s %s never ran out of calls", fmt, plan);
    }
    char *back = read_back(NULL, fmt, "sweep");
    assert_string_equal(back, "30 30435");
    free(back);
    free(before);
    lm_fio_remove_tree(under("sweep"));
    return n - 1;
}

static void test_every_file_operation_of_an_overwrite_fails_cleanly(void **state)
{
    (void)state;
    static const char *const ops[][2] = {
        {"open", "EACCES"}, {"write", "ENOSPC"}, {"close", "EIO"},
        {"rename", "EXDEV"}, {"mkdir", "EACCES"}};
    int total = 0;
    for (int f = 0; f < 3; f++)
        for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
            int n = sweep(formats[f], ops[k][0], ops[k][1]);
            printf("io sweep: %s %s:%s injected at %d points\n", formats[f], ops[k][0],
                   ops[k][1], n);
            assert_true(n >= 1);
            total += n;
        }
    printf("io sweep: %d injection points over csv/json/parquet overwrites, each left the "
           "target as it was\n",
           total);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_disk_fails_a_new_write_and_leaves_nothing),
        cmocka_unit_test(test_failed_overwrite_keeps_the_old_output),
        cmocka_unit_test(test_partial_writes_and_reads_round_trip),
        cmocka_unit_test(test_read_errors_and_short_reads_fail_the_read),
        cmocka_unit_test(test_every_file_operation_of_an_overwrite_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, make_root, drop_root);
}
