/*
 * Specification of job steps and runs (job/job_sql.c, job/job_run.c): the
 * SQL each DataFrame-style op compiles to, the rows a job defines, and the
 * error a failing step reports, with its position in the file and the
 * engine's error class kept on the session.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "job/job.h"
#include "localmode_testkit.h"

static job *load(const char *yaml)
{
    char *err = NULL;
    job *j = job_load_string(yaml, "job.yaml", NULL, 0, &err);
    if (j == NULL)
        fail_msg("unexpected load error: %s", err);
    return j;
}

/* The SQL of a job's step i. */
static void assert_step_sql(const char *yaml, int i, const char *expected)
{
    job *j = load(yaml);
    job_sql q;
    job_sql_init(&q);
    assert_true(job_step_sql(j, i, j->steps[i].nops, &q));
    assert_string_equal(lm_strbuf_cstr(&q.sql), expected);
    job_sql_free(&q);
    job_free(j);
}

#define BASE "steps:\n  - {name: t, sql: \"SELECT 1 AS k, 2 AS v\"}\n"

static void test_ops_in_clause_order_share_one_select(void **state)
{
    (void)state;
    assert_step_sql(BASE "  - {name: s, filter: k > 0, select: [k, v * 2 AS w], order_by: w DESC,"
                         " limit: 3}\n",
                    1, "SELECT k, v * 2 AS w FROM t WHERE k > 0 ORDER BY w DESC LIMIT 3");
    assert_step_sql(BASE "  - {name: s, aggregate: {group_by: k, agg: sum(v) AS s}, order_by: s, "
                         "dedupe: true}\n",
                    1,
                    "SELECT DISTINCT * FROM (\nSELECT k, sum(v) AS s FROM t GROUP BY 1 ORDER BY "
                    "s\n) AS t");
}

static void test_an_op_out_of_clause_order_starts_a_new_select(void **state)
{
    (void)state;
    /* select then filter: the filter sees the selected columns */
    assert_step_sql(BASE "  - {name: s, select: [v AS w], filter: w > 1, limit: 2, order_by: w}\n",
                    1,
                    "SELECT * FROM (\n"
                    "SELECT * FROM (\n"
                    "SELECT v AS w FROM t\n"
                    ") AS t WHERE w > 1 LIMIT 2\n"
                    ") AS t ORDER BY w");
}

static void test_dedupe_is_spark_deduplicate_as_an_aggregate_of_first(void **state)
{
    (void)state;
    assert_step_sql(BASE "  - {name: s, dedupe: [k, v]}\n", 1,
                    "SELECT __first.* FROM (SELECT first(struct(*)) AS __first FROM t GROUP BY k, "
                    "v) AS t");
    assert_step_sql(BASE "  - {name: s, dedupe: true}\n", 1, "SELECT DISTINCT * FROM t");
    /* after other ops, over their block */
    assert_step_sql(BASE "  - {name: s, filter: v > 0, dedupe: [k]}\n", 1,
                    "SELECT __first.* FROM (SELECT first(struct(*)) AS __first FROM (\n"
                    "SELECT * FROM t WHERE v > 0\n"
                    ") AS t GROUP BY k) AS t");
}

static void test_aggregate_groups_by_ordinal_so_keys_may_carry_aliases(void **state)
{
    (void)state;
    assert_step_sql(BASE "  - name: s\n    aggregate: {group_by: \"k % 2 AS parity, concat(k, "
                         "',', v)\", agg: [sum(v) AS total, count(*)]}\n",
                    1,
                    "SELECT k % 2 AS parity, concat(k, ',', v), sum(v) AS total, count(*) FROM t "
                    "GROUP BY 1, 2");
    assert_step_sql(BASE "  - {name: s, aggregate: {agg: max(v)}}\n", 1, "SELECT max(v) FROM t");
}

static void test_join_names_the_input_after_its_view(void **state)
{
    (void)state;
    /* the select after a join still tells the sides apart */
    assert_step_sql(BASE "  - {name: d, sql: \"SELECT 1 AS k, 'x' AS label\"}\n"
                         "  - {name: s, from: t, join: {with: d, as: dim, on: t.k = dim.k, how: "
                         "left}, select: [t.k, dim.label]}\n",
                    2, "SELECT t.k, dim.label FROM t LEFT OUTER JOIN d AS dim ON t.k = dim.k");
    /* a filter before a join filters the input first */
    assert_step_sql(BASE "  - {name: d, sql: \"SELECT 1 AS k\"}\n"
                         "  - {name: s, from: t, filter: v > 0, join: {with: d, using: [k]}}\n",
                    2,
                    "SELECT * FROM (\nSELECT * FROM t WHERE v > 0\n) AS t INNER JOIN d USING (k)");
}

static void test_a_sql_step_loses_its_trailing_semicolon(void **state)
{
    (void)state;
    assert_step_sql("steps:\n  - sql: \"SELECT 1;  \"\n", 0, "SELECT 1");
}

static void test_generated_sql_maps_fragments_back_to_the_file(void **state)
{
    (void)state;
    job *j = load(BASE "  - name: s\n    filter: k > 0\n    select: [k, nope]\n");
    job_sql q;
    job_sql_init(&q);
    assert_true(job_step_sql(j, 1, 2, &q));
    const char *sql = lm_strbuf_cstr(&q.sql);
    int line, col;
    assert_true(job_sql_locate(&q, (int)(strstr(sql, "nope") - sql), &line, &col));
    assert_int_equal(line, 5);
    assert_int_equal(col, 17);
    assert_true(job_sql_locate(&q, (int)(strstr(sql, "k > 0") - sql) + 4, &line, &col));
    assert_int_equal(line, 4);
    assert_int_equal(col, 17);
    assert_false(job_sql_locate(&q, 0, &line, &col)); /* "SELECT": generated */
    job_sql_free(&q);
    job_free(j);
}

static void test_a_job_defines_its_steps_as_views(void **state)
{
    lm_session *s = *state;
    job *j = load("steps:\n"
                  "  - {name: nums, sql: \"SELECT id, id % 2 AS odd FROM range(6)\"}\n"
                  "  - name: odd_total\n"
                  "    filter: odd = 1\n"
                  "    aggregate: {group_by: odd, agg: [sum(id) AS total]}\n");
    char *err = NULL;
    assert_int_equal(job_run(s, j, NULL, &err), LM_OK);
    assert_null(err);
    lm_df *df = lmt_sql(s, "SELECT * FROM odd_total");
    lmt_assert_rows_equal(df, "(1, 9)", NULL);
    lmt_assert_schema_equal_ddl(df, "odd BIGINT, total BIGINT", NULL);
    job_free(j);
}

static void test_views_are_lazy_like_spark_temp_views(void **state)
{
    lm_session *s = *state;
    /* the job sets ANSI mode: the teardown puts the old value back */
    lmt_with_conf(s, "spark.sql.ansi.enabled", "true");
    /* a step that would fail at run time defines its view; the action fails */
    job *j = load("conf: {spark.sql.ansi.enabled: true}\n"
                  "steps:\n  - {name: bad, sql: \"SELECT CAST('x' AS INT) AS k\"}\n");
    char *err = NULL;
    assert_int_equal(job_run(s, j, NULL, &err), LM_OK);
    lmt_assert_sql_error(s, "SELECT * FROM bad", "CAST_INVALID_INPUT");
    job_free(j);
}

static void test_a_failing_op_is_reported_at_the_op_with_its_class(void **state)
{
    lm_session *s = *state;
    job *j = load("steps:\n"
                  "  - {name: t, sql: \"SELECT 1 AS amount\"}\n"
                  "  - name: u\n"
                  "    filter: amount > 0\n"
                  "    order_by: amont\n"
                  "    limit: 1\n");
    char *err = NULL;
    assert_int_equal(job_run(s, j, NULL, &err), LM_ERROR);
    assert_string_equal(err, "job.yaml:5:15: step \"u\": [UNRESOLVED_COLUMN.WITH_SUGGESTION] A "
                             "column, variable, or function parameter with name `amont` cannot "
                             "be resolved. Did you mean one of the following? [`t`.`amount`].");
    assert_string_equal(lm_errclass(s), "UNRESOLVED_COLUMN.WITH_SUGGESTION");
    free(err);
    job_free(j);
}

static void test_sources_named_as_existing_views_can_be_kept(void **state)
{
    lm_session *s = *state;
    lmt_exec(s, "CREATE TEMPORARY VIEW orders AS SELECT 7 AS id");
    job *j = load("sources:\n  - {name: orders, format: csv, path: /nowhere/orders.csv}\n"
                  "steps:\n  - {name: ids, select: id}\n");
    job_run_opts o;
    memset(&o, 0, sizeof o);
    o.keep_existing_views = true;
    char *err = NULL;
    assert_int_equal(job_run(s, j, &o, &err), LM_OK);
    lmt_assert_rows_equal(lmt_sql(s, "SELECT * FROM ids"), "7", NULL);
    /* without the option the file is read, and is missing */
    assert_int_equal(job_run(s, j, NULL, &err), LM_ERROR);
    assert_string_equal(err, "job.yaml:2:39: source \"orders\": [PATH_NOT_FOUND] Path does not "
                             "exist: file:/nowhere/orders.csv.");
    free(err);
    job_free(j);
}

static void test_a_step_reading_a_command_needs_from(void **state)
{
    lm_session *s = *state;
    job *j = load("steps:\n  - sql: CREATE TEMPORARY VIEW w AS SELECT 1 AS k\n"
                  "  - {name: x, filter: k > 0}\n");
    char *err = NULL;
    assert_int_equal(job_run(s, j, NULL, &err), LM_ERROR);
    assert_string_equal(err, "job.yaml:3:5: step \"x\": the step before is a command (its SQL "
                             "yields no rows): say which view to read with `from:`");
    free(err);
    job_free(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ops_in_clause_order_share_one_select),
        cmocka_unit_test(test_an_op_out_of_clause_order_starts_a_new_select),
        cmocka_unit_test(test_dedupe_is_spark_deduplicate_as_an_aggregate_of_first),
        cmocka_unit_test(test_aggregate_groups_by_ordinal_so_keys_may_carry_aliases),
        cmocka_unit_test(test_join_names_the_input_after_its_view),
        cmocka_unit_test(test_a_sql_step_loses_its_trailing_semicolon),
        cmocka_unit_test(test_generated_sql_maps_fragments_back_to_the_file),
        lmt_unit_test(test_a_job_defines_its_steps_as_views),
        lmt_unit_test(test_views_are_lazy_like_spark_temp_views),
        lmt_unit_test(test_a_failing_op_is_reported_at_the_op_with_its_class),
        lmt_unit_test(test_sources_named_as_existing_views_can_be_kept),
        lmt_unit_test(test_a_step_reading_a_command_needs_from),
    };
    return cmocka_run_group_tests(tests, lmt_group_setup, lmt_group_teardown);
}
