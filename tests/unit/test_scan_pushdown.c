/*
 * File relations scanned with what the query pushes down: a Parquet
 * relation is defined from its footers and read when a query runs, with
 * the filter's simple conjuncts (row groups whose statistics exclude them
 * are skipped, partition folders whose values exclude them are not
 * opened) and only the columns read above. Results must be the same as
 * without pushdown; the scan's output (seen through an execution hook)
 * shows what was skipped.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "exec/exec.h"
#include "localmode.h"
#include "parquet_fixture.h"
#include "session/session.h"

/* rows and all-NULL columns of the last file relation scanned */
typedef struct scan_seen {
    int64_t rows;
    int ncols;
    bool all_null[8];
} scan_seen;

static void on_enter(void *ctx, const lm_plan *p)
{
    (void)ctx;
    (void)p;
}

static void on_leave(void *ctx, const lm_plan *p, const lm_table *out)
{
    scan_seen *seen = ctx;
    if (p->kind != LM_PLAN_RELATION || p->table == NULL || p->table->source == NULL || !out)
        return;
    seen->rows = out->nrows;
    seen->ncols = out->schema->nfields < 8 ? out->schema->nfields : 8;
    for (int c = 0; c < seen->ncols; c++) {
        seen->all_null[c] = true;
        for (int b = 0; b < out->nbatches; b++)
            for (int32_t r = 0; r < out->batches[b]->nrows; r++)
                if (!lm_vector_is_null(out->batches[b]->cols[c], r))
                    seen->all_null[c] = false;
    }
}

typedef struct fixture {
    lm_session *s;
    char dir[512], flat[600], parted[600];
    scan_seen seen;
    lm_exec_hook hook;
} fixture;

static char *sql_show(lm_session *s, const char *sql)
{
    lm_df *df = NULL;
    if (lm_sql(s, sql, &df) != LM_OK) {
        fprintf(stderr, "%s: %s\n", sql, lm_errmsg(s));
        return NULL;
    }
    char *out = lm_df_show_string(df, 20, 20, false);
    lm_df_free(df);
    return out;
}

static void run_ok(lm_session *s, const char *sql)
{
    lm_df *df = NULL;
    lm_status st = lm_sql(s, sql, &df);
    if (st != LM_OK)
        fprintf(stderr, "%s: %s\n", sql, lm_errmsg(s));
    assert_int_equal(st, LM_OK);
    lm_df_free(df);
}

/* 4000 rows in row groups of a few hundred: id 0..3999 ascending, a
   string that sorts with it, a double, a date; every 7th name NULL. Also
   the same rows partitioned by p = id / 1000. */
static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->s = lm_session_open(NULL, NULL);
    snprintf(f->dir, sizeof f->dir, "%s", pq_tmpdir());
    snprintf(f->flat, sizeof f->flat, "%s/flat", f->dir);
    snprintf(f->parted, sizeof f->parted, "%s/parted", f->dir);
    lm_df *df = NULL;
    assert_int_equal(lm_sql(f->s,
                            "SELECT CAST(id AS INT) AS id, "
                            "IF(id % 7 = 0, NULL, lpad(CAST(id AS STRING), 5, '0')) AS name, "
                            "id / 4.0D AS v, date_add(DATE'2024-01-01', CAST(id AS INT)) AS d, "
                            "CAST(id DIV 1000 AS INT) AS p FROM range(4000)",
                            &df),
                     LM_OK);
    lm_options *o = lm_options_new();
    lm_options_set(o, "parquet.block.size", "8192");
    assert_int_equal(lm_write(df, "parquet", f->flat, "overwrite", o, NULL, 0), LM_OK);
    const char *by[] = {"p"};
    assert_int_equal(lm_write(df, "parquet", f->parted, "overwrite", o, by, 1), LM_OK);
    lm_options_free(o);
    lm_df_free(df);
    f->hook = (lm_exec_hook){on_enter, on_leave, &f->seen};
    f->s->exec_hook = &f->hook;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    lm_session_close(f->s);
    pq_rm_rf(f->dir);
    free(f);
    return 0;
}

static void test_filter_skips_row_groups_and_keeps_every_match(void **state)
{
    fixture *f = *state;
    char sql[1024];
    snprintf(sql, sizeof sql,
             "SELECT count(*) AS n, min(id) AS lo, max(id) AS hi FROM parquet.`%s` "
             "WHERE id >= 3950",
             f->flat);
    char *out = sql_show(f->s, sql);
    assert_string_equal(out, "+---+----+----+\n"
                             "|  n|  lo|  hi|\n"
                             "+---+----+----+\n"
                             "| 50|3950|3999|\n"
                             "+---+----+----+\n");
    free(out);
    /* only the last row group(s) were decoded */
    assert_true(f->seen.rows >= 50);
    assert_true(f->seen.rows < 1000);
    /* the literal on the left, and an equality */
    snprintf(sql, sizeof sql, "SELECT id, name FROM parquet.`%s` WHERE 10 > id AND id = 3", f->flat);
    out = sql_show(f->s, sql);
    assert_string_equal(out, "+---+-----+\n"
                             "| id| name|\n"
                             "+---+-----+\n"
                             "|  3|00003|\n"
                             "+---+-----+\n");
    free(out);
    assert_true(f->seen.rows < 1000);
}

static void test_only_the_columns_read_are_decoded(void **state)
{
    fixture *f = *state;
    char sql[1024];
    snprintf(sql, sizeof sql, "SELECT sum(id) AS s FROM parquet.`%s`", f->flat);
    char *out = sql_show(f->s, sql);
    assert_string_equal(out, "+-------+\n|      s|\n+-------+\n|7998000|\n+-------+\n");
    free(out);
    assert_int_equal(f->seen.rows, 4000);
    assert_int_equal(f->seen.ncols, 5);
    assert_false(f->seen.all_null[0]); /* id */
    assert_true(f->seen.all_null[1]);  /* name, v, d: not read */
    assert_true(f->seen.all_null[2]);
    assert_true(f->seen.all_null[3]);
}

static void test_strings_dates_and_nulls_push_with_spark_results(void **state)
{
    fixture *f = *state;
    char sql[1024];
    snprintf(sql, sizeof sql,
             "SELECT count(*) AS n FROM parquet.`%s` WHERE name > '03990' AND d >= DATE'2034-01-01'",
             f->flat);
    char *out = sql_show(f->s, sql);
    /* ids 3991..3999 but not 3997 (a multiple of 7) */
    assert_string_equal(out, "+---+\n|  n|\n+---+\n|  8|\n+---+\n");
    free(out);
    assert_true(f->seen.rows < 1000);
    snprintf(sql, sizeof sql, "SELECT count(*) AS n FROM parquet.`%s` WHERE name IS NULL", f->flat);
    out = sql_show(f->s, sql);
    assert_string_equal(out, "+---+\n|  n|\n+---+\n|572|\n+---+\n");
    free(out);
    /* a comparison with NULL keeps nothing, and reads nothing */
    snprintf(sql, sizeof sql, "SELECT count(*) AS n FROM parquet.`%s` WHERE id = CAST(NULL AS INT)",
             f->flat);
    out = sql_show(f->s, sql);
    assert_string_equal(out, "+---+\n|  n|\n+---+\n|  0|\n+---+\n");
    free(out);
    assert_int_equal(f->seen.rows, 0);
}

static void test_double_filters_are_not_pushed_but_still_apply(void **state)
{
    fixture *f = *state;
    char sql[1024];
    snprintf(sql, sizeof sql, "SELECT count(*) AS n FROM parquet.`%s` WHERE v > 999.0D", f->flat);
    char *out = sql_show(f->s, sql);
    assert_string_equal(out, "+---+\n|  n|\n+---+\n|  3|\n+---+\n");
    free(out);
    /* NaN sorts above every number in Spark but not in Parquet's min/max */
    assert_int_equal(f->seen.rows, 4000);
}

static void test_partition_filters_skip_folders(void **state)
{
    fixture *f = *state;
    char sql[1024];
    snprintf(sql, sizeof sql,
             "SELECT p, count(*) AS n, min(id) AS lo FROM parquet.`%s` WHERE p = 2 GROUP BY p",
             f->parted);
    char *out = sql_show(f->s, sql);
    assert_string_equal(out, "+---+----+----+\n"
                             "|  p|   n|  lo|\n"
                             "+---+----+----+\n"
                             "|  2|1000|2000|\n"
                             "+---+----+----+\n");
    free(out);
    assert_int_equal(f->seen.rows, 1000);
}

static void test_dataframe_reads_are_relations_that_transform(void **state)
{
    fixture *f = *state;
    lm_df *df = NULL, *filtered = NULL;
    assert_int_equal(lm_read(f->s, "parquet", f->flat, NULL, NULL, &df), LM_OK);
    filtered = lm_df_filter_expr(df, "id < 5 AND name IS NOT NULL");
    assert_non_null(filtered);
    char *out = lm_df_show_string(filtered, 20, 20, false);
    assert_non_null(out);
    assert_non_null(strstr(out, "|  4|00004|"));
    assert_non_null(strstr(out, "|  1|00001|0.25|2024-01-02|  0|"));
    assert_null(strstr(out, "|  0| NULL|"));
    free(out);
    assert_true(f->seen.rows < 1000);
    char *plan = lm_df_explain_string(filtered, "simple");
    assert_non_null(plan);
    assert_non_null(strstr(plan, "FileScan parquet [id#"));
    free(plan);
    lm_df_free(filtered);
    lm_df_free(df);
}

/* CSV and JSON reads are parsed at once, but are relations too: every
   DataFrame call applies to them. */
static void test_csv_and_json_reads_transform(void **state)
{
    fixture *f = *state;
    char path[700];
    snprintf(path, sizeof path, "%s/people.csv", f->dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("name,age\nann,31\nbob,17\ncid,45\n", fp);
    fclose(fp);
    lm_options *o = lm_options_new();
    lm_options_set(o, "header", "true");
    lm_options_set(o, "inferSchema", "true");
    lm_df *df = NULL;
    assert_int_equal(lm_read(f->s, "csv", path, o, NULL, &df), LM_OK);
    lm_options_free(o);
    lm_df *adults = lm_df_filter_expr(df, "age >= 18");
    lm_df *names = adults ? lm_df_select_expr(adults, "upper(name) AS n", NULL) : NULL;
    assert_non_null(names);
    char *out = lm_df_show_string(names, 20, 20, false);
    assert_string_equal(out, "+---+\n|  n|\n+---+\n|ANN|\n|CID|\n+---+\n");
    free(out);
    lm_df_free(names);
    lm_df_free(adults);
    lm_df_free(df);
    snprintf(path, sizeof path, "%s/people.json", f->dir);
    fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("{\"name\":\"ann\",\"age\":31}\n{\"name\":\"bob\"}\n", fp);
    fclose(fp);
    assert_int_equal(lm_read(f->s, "json", path, NULL, NULL, &df), LM_OK);
    lm_df *known = lm_df_filter_expr(df, "age IS NOT NULL");
    int64_t n = -1;
    assert_non_null(known);
    assert_int_equal(lm_df_count(known, &n), LM_OK);
    assert_int_equal(n, 1);
    lm_df_free(known);
    lm_df_free(df);
}

static void test_cache_and_uncache_of_a_parquet_view(void **state)
{
    fixture *f = *state;
    char sql[1024];
    snprintf(sql, sizeof sql,
             "CREATE OR REPLACE TEMPORARY VIEW t USING parquet OPTIONS (path '%s')", f->flat);
    run_ok(f->s, sql);
    run_ok(f->s, "CACHE TABLE t");
    f->seen.rows = -1;
    char *out = sql_show(f->s, "SELECT count(*) AS n FROM t WHERE id < 10");
    assert_string_equal(out, "+---+\n|  n|\n+---+\n| 10|\n+---+\n");
    free(out);
    assert_int_equal(f->seen.rows, -1); /* the cached rows, no scan */
    run_ok(f->s, "UNCACHE TABLE t");
    out = sql_show(f->s, "SELECT count(*) AS n FROM t WHERE id < 10");
    assert_string_equal(out, "+---+\n|  n|\n+---+\n| 10|\n+---+\n");
    free(out);
    assert_true(f->seen.rows >= 10 && f->seen.rows < 1000);
    run_ok(f->s, "DROP VIEW t");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_filter_skips_row_groups_and_keeps_every_match),
        cmocka_unit_test(test_only_the_columns_read_are_decoded),
        cmocka_unit_test(test_strings_dates_and_nulls_push_with_spark_results),
        cmocka_unit_test(test_double_filters_are_not_pushed_but_still_apply),
        cmocka_unit_test(test_partition_filters_skip_folders),
        cmocka_unit_test(test_dataframe_reads_are_relations_that_transform),
        cmocka_unit_test(test_csv_and_json_reads_transform),
        cmocka_unit_test(test_cache_and_uncache_of_a_parquet_view),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
