/*
 * Specification of job files as they are loaded (job/job_load.c,
 * job/job_text.c): the model a job file gives, variables, defaults, the
 * checks made before anything runs, and how positions inside texts map
 * back to the file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "job/job.h"
#include "job/job_int.h"

static job *load(const char *yaml, const char *const *vars, int nvars)
{
    char *err = NULL;
    job *j = job_load_string(yaml, "jobs/daily.yaml", vars, nvars, &err);
    if (j == NULL)
        fail_msg("unexpected load error: %s", err);
    return j;
}

/* The message a bad job gives. */
static void assert_load_error(const char *yaml, const char *expected)
{
    char *err = NULL;
    job *j = job_load_string(yaml, "bad.yaml", NULL, 0, &err);
    assert_null(j);
    assert_non_null(err);
    assert_string_equal(err, expected);
    free(err);
}

static void test_job_model_from_a_file(void **state)
{
    (void)state;
    job *j = load("name: daily\n"
                  "conf: {spark.sql.shuffle.partitions: 4}\n"
                  "sources:\n"
                  "  - name: orders\n"
                  "    format: CSV\n"
                  "    path: [a.csv, b.csv]\n"
                  "    options: {header: true, nullValue: ~}\n"
                  "    schema: \"id INT\"\n"
                  "steps:\n"
                  "  - name: big\n"
                  "    filter: id > 1\n"
                  "    select: id\n"
                  "  - sql: SELECT * FROM big\n"
                  "  - limit: 5\n"
                  "sinks:\n"
                  "  - {format: parquet, path: out, partitionBy: id}\n",
                  NULL, 0);
    assert_string_equal(j->name, "daily");
    assert_string_equal(j->dir, "jobs");
    assert_int_equal(j->nconf, 1);
    assert_string_equal(j->conf[0].key, "spark.sql.shuffle.partitions");
    assert_string_equal(j->conf[0].value.s, "4");
    assert_int_equal(j->nsources, 1);
    const job_source *src = &j->sources[0];
    assert_string_equal(src->format.s, "csv"); /* formats are case-insensitive */
    assert_int_equal(src->npaths, 2);
    assert_string_equal(src->paths[1].s, "b.csv");
    assert_int_equal(src->noptions, 2);
    assert_null(src->options[1].value.s); /* a YAML null is Spark's unset option */
    assert_string_equal(src->schema.s, "id INT");
    assert_int_equal(j->nsteps, 3);
    assert_int_equal(j->steps[0].nops, 2);
    assert_int_equal(j->steps[0].ops[0].kind, JOB_OP_FILTER);
    assert_int_equal(j->steps[0].ops[1].kind, JOB_OP_SELECT);
    assert_string_equal(j->steps[0].input, "orders"); /* the only source */
    assert_string_equal(j->steps[1].view, "step2");   /* unnamed steps */
    assert_null(j->steps[1].input);                   /* SQL names its tables */
    assert_string_equal(j->steps[2].input, "step2");  /* the step before */
    assert_int_equal(j->steps[2].ops[0].limit, 5);
    assert_int_equal(j->nsinks, 1);
    assert_string_equal(j->sinks[0].input, "step3"); /* the last step */
    assert_string_equal(j->sinks[0].label, "1");
    assert_int_equal(j->sinks[0].npartition_by, 1);
    assert_null(j->sinks[0].mode.s); /* Spark's default, errorifexists */
    job_free(j);
}

static void test_variables_defaults_overrides_and_builtins(void **state)
{
    (void)state;
    const char *vars[] = {"date=2024-02-02"};
    job *j = load("vars:\n"
                  "  date: 2024-01-01\n"
                  "  input: \"${job_dir}/in/${date}.csv\"\n"
                  "sources:\n"
                  "  - {name: t, format: csv, path: \"${input}\"}\n"
                  "steps:\n"
                  "  - {name: s, sql: \"SELECT '$${not_a_var}' AS x FROM t\"}\n",
                  vars, 1);
    /* the override wins, also inside a default that uses it */
    assert_string_equal(j->sources[0].paths[0].s, "jobs/in/2024-02-02.csv");
    /* $${ writes a literal ${ */
    assert_string_equal(j->steps[0].sql.s, "SELECT '${not_a_var}' AS x FROM t");
    job_free(j);
}

static void test_undefined_variable_points_at_its_reference(void **state)
{
    (void)state;
    assert_load_error("steps:\n  - name: s\n    sql: SELECT ${day} AS d\n",
                      "bad.yaml:3:17: step \"s\": undefined variable ${day}: give it with --var "
                      "day=VALUE or under `vars:`");
    assert_load_error("steps:\n  - name: s\n    sql: SELECT ${} AS d\n",
                      "bad.yaml:3:17: step \"s\": malformed variable reference: write ${name} (or "
                      "$${ for a literal ${)");
}

static void test_malformed_var_override_is_rejected(void **state)
{
    (void)state;
    const char *vars[] = {"=x"};
    char *err = NULL;
    assert_null(job_load_string("steps: [{sql: SELECT 1}]", "j.yaml", vars, 1, &err));
    assert_string_equal(err, "--var expects NAME=VALUE (NAME of letters, digits, _ . -), got '=x'");
    free(err);
}

static void test_shape_errors(void **state)
{
    (void)state;
    assert_load_error(
        "- a\n- b\n",
        "bad.yaml:1:1: a job is a mapping with `sources`, `steps` and `sinks`, found a "
        "list");
    assert_load_error("sources: {name: t}\n",
                      "bad.yaml:1:10: `sources` must be a list (- {name: orders, format: csv, "
                      "path: orders.csv}), found a mapping");
    assert_load_error("steps:\n  - name: a\n    sql: SELECT 1\n    sql: SELECT 2\n",
                      "bad.yaml:4:5: step 1: key `sql` given twice (first at line 3)");
    assert_load_error("steps:\n  - {name: a, sql: SELECT 1}\n  - {name: b, join: x}\n",
                      "bad.yaml:3:21: step \"b\": `join` must be a mapping {with: VIEW, on: "
                      "CONDITION | using: [COLUMNS], how: TYPE}, found a scalar");
    assert_load_error("steps:\n  - {name: a, sql: SELECT 1}\n  - {name: b, join: {with: a}}\n",
                      "bad.yaml:3:21: step \"b\": a join needs `on` (a condition) or `using` "
                      "(column names), or `how: cross`");
    assert_load_error(
        "steps:\n  - {name: a, sql: SELECT 1}\n  - {name: b, aggregate: {group_by: "
        "x}}\n",
        "bad.yaml:3:26: step \"b\": an aggregate needs `agg` (aggregate expressions)");
    assert_load_error("steps:\n  - {name: a, sql: SELECT 1}\n  - {name: b, limit: many}\n",
                      "bad.yaml:3:22: step \"b\": `limit` must be a number of rows (0 to "
                      "2147483647), got `many`");
    assert_load_error("steps:\n  - {name: a, sql: SELECT 1}\n  - {name: b, cache: maybe}\n",
                      "bad.yaml:3:22: step \"b\": `cache` must be true or false");
    assert_load_error("steps:\n  - {name: a, sql: SELECT 1}\nsinks:\n  - {format: console, path: "
                      "x}\n",
                      "bad.yaml:4:29: sink 1: a console sink prints; it takes no `path`");
    assert_load_error("sources:\n  - {name: a, format: csv, path: a.csv}\n  - {name: b, format: "
                      "csv, path: b.csv}\nsteps:\n  - filter: x > 1\n",
                      "bad.yaml:5:5: step 1: the first step reads no previous step and the job "
                      "has 2 sources: say which with `from:`");
    assert_load_error("conf: {}\n", "bad.yaml:1:1: the job has no sources and no steps: nothing "
                                    "to run");
}

static void test_a_misspelt_key_gets_a_suggestion_or_the_list(void **state)
{
    (void)state;
    assert_load_error("sources:\n  - {name: t, format: csv, path: a, optoins: {}}\n",
                      "bad.yaml:2:37: source \"t\": unknown key `optoins` in a source (did you "
                      "mean `options`?)");
    assert_load_error("sources:\n  - {name: t, format: csv, path: a, compression: gzip}\n",
                      "bad.yaml:2:37: source \"t\": unknown key `compression` in a source "
                      "(expected `name`, `format`, `path`, `options`, `schema`, `description`)");
}

static void test_texts_map_offsets_back_to_the_file(void **state)
{
    (void)state;
    job *j = load("vars: {t: orders}\n"
                  "steps:\n"
                  "  - name: block\n"
                  "    sql: |\n"
                  "      SELECT a,\n"
                  "             b FROM ${t}\n"
                  "  - name: flat\n"
                  "    sql: SELECT c FROM ${t} WHERE d\n"
                  "  - name: quoted\n"
                  "    sql: 'SELECT e'\n",
                  NULL, 0);
    int line, col;
    const job_text *b = &j->steps[0].sql;
    const char *at = strstr(b->s, "b FROM");
    job_text_locate(b, (int)(at - b->s), &line, &col);
    assert_int_equal(line, 6);
    assert_int_equal(col, 14);
    const job_text *f = &j->steps[1].sql;
    job_text_locate(f, (int)(strstr(f->s, "WHERE") - f->s), &line, &col);
    /* after the substitution, columns are the file's again */
    assert_int_equal(line, 8);
    assert_int_equal(col, 29);
    job_text_locate(f, (int)(strstr(f->s, "orders") - f->s) + 2, &line, &col);
    assert_int_equal(col, 24); /* inside a substituted value: its ${ */
    const job_text *q = &j->steps[2].sql;
    job_text_locate(q, 7, &line, &col);
    assert_int_equal(line, 10);
    assert_int_equal(col, 18); /* past the opening quote */
    job_free(j);
}

static void test_join_types_as_spark_names_them(void **state)
{
    (void)state;
    assert_string_equal(job_join_sql(NULL), "INNER");
    assert_string_equal(job_join_sql("left_outer"), "LEFT OUTER");
    assert_string_equal(job_join_sql("LeftOuter"), "LEFT OUTER");
    assert_string_equal(job_join_sql("full"), "FULL OUTER");
    assert_string_equal(job_join_sql("outer"), "FULL OUTER");
    assert_string_equal(job_join_sql("semi"), "LEFT SEMI");
    assert_string_equal(job_join_sql("left_anti"), "LEFT ANTI");
    assert_string_equal(job_join_sql("cross"), "CROSS");
    assert_null(job_join_sql("sideways"));
}

static void test_identifiers_and_aliases(void **state)
{
    (void)state;
    assert_true(job_is_identifier("daily_sales2"));
    assert_false(job_is_identifier("2daily"));
    assert_false(job_is_identifier("daily-sales"));
    lm_arena a;
    lm_arena_init(&a, 256);
    assert_string_equal(job_alias_of(&a, "global_temp.v"), "v");
    assert_string_equal(job_alias_of(&a, "db.`odd.name`"), "odd.name");
    lm_arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_job_model_from_a_file),
        cmocka_unit_test(test_variables_defaults_overrides_and_builtins),
        cmocka_unit_test(test_undefined_variable_points_at_its_reference),
        cmocka_unit_test(test_malformed_var_override_is_rejected),
        cmocka_unit_test(test_shape_errors),
        cmocka_unit_test(test_a_misspelt_key_gets_a_suggestion_or_the_list),
        cmocka_unit_test(test_texts_map_offsets_back_to_the_file),
        cmocka_unit_test(test_join_types_as_spark_names_them),
        cmocka_unit_test(test_identifiers_and_aliases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
