/*
 * The PySpark translation of a job (job/job_pyspark.c), checked by running
 * it: a small interpreter below reads the generated script the way Python
 * would -- spark.read.format(...).options(...).schema(...).load(...)
 * .createOrReplaceTempView(...) and spark.sql("...")
 * .createOrReplaceTempView(...) with their string literals decoded as
 * Python decodes them -- and replays those calls on a fresh session. Every
 * view the script defines must hold the rows the job itself defines
 * (compared with the testkit). What the interpreter does not run (the
 * builder, the sinks, spark.stop) is checked as text.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "job/job.h"
#include "localmode_testkit.h"

/* ------------------------------------------------------- the interpreter */

/* A Python string literal at *p ("..." with escapes, or """...""");
   malloc'ed; *p moves past it. NULL when *p is not at a literal. */
static char *py_literal(const char **p)
{
    const char *s = *p;
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    if (strncmp(s, "\"\"\"", 3) == 0) {
        const char *end = strstr(s + 3, "\"\"\"");
        if (end == NULL)
            return NULL;
        lm_strbuf_append(&sb, s + 3, (size_t)(end - s - 3));
        *p = end + 3;
        return lm_strbuf_detach(&sb);
    }
    if (*s != '"')
        return NULL;
    for (s++; *s && *s != '"'; s++) {
        if (*s != '\\') {
            lm_strbuf_putc(&sb, *s);
            continue;
        }
        s++;
        switch (*s) {
        case 'n':
            lm_strbuf_putc(&sb, '\n');
            break;
        case 't':
            lm_strbuf_putc(&sb, '\t');
            break;
        case 'x': {
            char hex[3] = {s[1], s[2], 0};
            lm_strbuf_putc(&sb, (char)strtol(hex, NULL, 16));
            s += 2;
            break;
        }
        default:
            lm_strbuf_putc(&sb, *s);
            break;
        }
    }
    *p = *s ? s + 1 : s;
    return lm_strbuf_detach(&sb);
}

/* The literal argument of the first `call(` after p, or NULL. */
static char *arg_of(const char *p, const char *call)
{
    const char *at = strstr(p, call);
    if (at == NULL)
        return NULL;
    at += strlen(call);
    return py_literal(&at);
}

typedef struct replay {
    lm_session *s;
    int nsql, nsources;
    char **views; /* defined, in order */
    int nviews;
} replay;

static void define(replay *r, lm_df *df, const char *view)
{
    if (lm_df_create_or_replace_temp_view(df, view) != LM_OK)
        fail_msg("createOrReplaceTempView(%s): %s", view, lm_errmsg(r->s));
    r->views = realloc(r->views, sizeof *r->views * (size_t)(r->nviews + 1));
    r->views[r->nviews++] = strdup(view);
}

/* (spark.read.format(F) [.options(**{K: V, ...})] [.schema(S)] .load(P)
   .createOrReplaceTempView(N)) */
static const char *replay_read(replay *r, const char *p)
{
    const char *end = strstr(p, ".createOrReplaceTempView(");
    assert_non_null(end);
    char *block = strndup(p, (size_t)(end - p));
    char *format = arg_of(block, "spark.read.format(");
    char *schema = arg_of(block, ".schema(");
    lm_options *o = lm_options_new();
    const char *opts = strstr(block, ".options(**{");
    if (opts) {
        const char *q = opts + strlen(".options(**{");
        while (*q == '"') {
            char *k = py_literal(&q);
            q += strlen(": ");
            char *v = strncmp(q, "None", 4) == 0 ? (q += 4, NULL) : py_literal(&q);
            lm_options_set(o, k, v);
            free(k);
            free(v);
            if (strncmp(q, ", ", 2) == 0)
                q += 2;
        }
    }
    const char *load = strstr(block, ".load(") + strlen(".load(");
    char *paths[8];
    int npaths = 0;
    if (*load == '[')
        load++;
    while (*load == '"' && npaths < 8) {
        paths[npaths++] = py_literal(&load);
        if (strncmp(load, ", ", 2) == 0)
            load += 2;
    }
    lm_df *df = NULL;
    if (lm_read_paths(r->s, format, (const char *const *)paths, npaths, o, schema, &df) != LM_OK)
        fail_msg("spark.read: %s", lm_errmsg(r->s));
    const char *q = end + strlen(".createOrReplaceTempView(");
    char *view = py_literal(&q);
    define(r, df, view);
    r->nsources++;
    lm_df_free(df);
    for (int i = 0; i < npaths; i++)
        free(paths[i]);
    free(view);
    free(format);
    free(schema);
    free(block);
    lm_options_free(o);
    return q;
}

/* spark.sql(S)[.createOrReplaceTempView(N)] */
static const char *replay_sql(replay *r, const char *p)
{
    p += strlen("spark.sql(");
    char *sql = py_literal(&p);
    assert_non_null(sql);
    assert_int_equal(*p, ')');
    p++;
    lm_df *df = NULL;
    if (lm_sql(r->s, sql, &df) != LM_OK)
        fail_msg("spark.sql(%s): %s", sql, lm_errmsg(r->s));
    r->nsql++;
    if (strncmp(p, ".createOrReplaceTempView(", 25) == 0) {
        p += 25;
        char *view = py_literal(&p);
        define(r, df, view);
        free(view);
    }
    lm_df_free(df);
    free(sql);
    return p;
}

static void replay_script(replay *r, const char *script)
{
    const char *p = script;
    while (*p) {
        if (strncmp(p, "(spark.read.format(", 19) == 0)
            p = replay_read(r, p + 1);
        else if (strncmp(p, "spark.sql(", 10) == 0)
            p = replay_sql(r, p);
        else
            p++;
    }
}

static void replay_free(replay *r)
{
    for (int i = 0; i < r->nviews; i++)
        free(r->views[i]);
    free(r->views);
}

/* ------------------------------------------------------------------ tests */

static char *write_file(const char *name, const char *text)
{
    const char *dir = lmt_tmpdir();
    assert_non_null(dir);
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = malloc(n);
    snprintf(path, n, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static void test_the_script_defines_the_rows_the_job_defines(void **state)
{
    (void)state;
    char *orders = write_file("orders.csv", "id,day,product,qty,price\n"
                                            "1,2024-01-01,p1,2,10.5\n"
                                            "2,2024-01-01,p2,1,\"3,5\"\n"
                                            "2,2024-01-01,p2,1,\"3,5\"\n"
                                            "3,2024-01-02,p1,,4\n"
                                            "4,2024-01-02,p3,5,1\n");
    char yaml[4096];
    snprintf(
        yaml, sizeof yaml,
        "name: translation\n"
        "vars: {min_qty: 1}\n"
        "conf: {spark.sql.shuffle.partitions: 3}\n"
        "sources:\n"
        "  - name: raw\n"
        "    format: csv\n"
        "    path: %s\n"
        "    options: {header: true, nullValue: \"\", quote: '\"'}\n"
        "    schema: \"id INT, day DATE, product STRING, qty INT, price STRING\"\n"
        "steps:\n"
        "  - name: products\n"
        "    sql: |\n"
        "      SELECT * FROM VALUES ('p1', 'Books'), ('p2', 'Toys') AS t(product, "
        "category)\n"
        "  - name: orders\n"
        "    from: raw\n"
        "    select: [id, day, product, qty, \"CAST(replace(price, ',', '.') AS "
        "DECIMAL(10,2)) AS price\"]\n"
        "    filter: qty >= ${min_qty}\n"
        "    dedupe: [id]\n"
        "    cache: true\n"
        "  - name: enriched\n"
        "    join: {with: products, as: p, on: orders.product = p.product, how: left}\n"
        "    select: [id, day, \"coalesce(category, 'Unknown') AS category\", \"qty * price AS "
        "amount\"]\n"
        "  - name: daily\n"
        "    aggregate:\n"
        "      group_by: [day, category]\n"
        "      agg: [sum(amount) AS revenue, count(*) AS n]\n"
        "  - name: top\n"
        "    sql: |\n"
        "      SELECT day, category, revenue,\n"
        "             rank() OVER (PARTITION BY day ORDER BY revenue DESC) AS r\n"
        "      FROM daily\n"
        "  - name: best\n"
        "    from: top\n"
        "    filter: r = 1\n"
        "    order_by: day\n"
        "    limit: 10\n"
        "  - name: with_dims\n"
        "    from: enriched\n"
        "    join: {with: products, using: [category], how: left_anti}\n"
        "sinks:\n"
        "  - {from: best, format: console, options: {numRows: 5, truncate: false}}\n"
        "  - {from: daily, format: parquet, path: out, mode: overwrite, partition_by: day}\n",
        orders);
    char *err = NULL;
    job *j = job_load_string(yaml, "translation.yaml", NULL, 0, &err);
    if (j == NULL)
        fail_msg("%s", err);

    /* the job itself, without its sinks */
    lm_session *by_job = lmt_session_new();
    assert_non_null(by_job);
    job_run_opts o;
    memset(&o, 0, sizeof o);
    o.skip_sinks = true;
    if (job_run(by_job, j, &o, &err) != LM_OK)
        fail_msg("%s", err);

    /* the script, replayed */
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    job_to_pyspark(j, &sb);
    const char *script = lm_strbuf_cstr(&sb);
    lm_session *by_script = lmt_session_new();
    assert_non_null(by_script);
    replay r = {by_script, 0, 0, NULL, 0};
    replay_script(&r, script);

    /* one read per source, one spark.sql per step plus the CACHE TABLE */
    assert_int_equal(r.nsources, 1);
    assert_int_equal(r.nsql, j->nsteps + 1);
    assert_int_equal(r.nviews, j->nsources + j->nsteps);
    lmt_df_opts opts = lmt_df_opts_default();
    opts.color = LMT_COLOR_NEVER;
    for (int i = 0; i < r.nviews; i++) {
        lm_df *a = lm_read_table(by_script, r.views[i]);
        lm_df *e = lm_read_table(by_job, r.views[i]);
        assert_non_null(a);
        assert_non_null(e);
        lmt_result res = lmt_df_equal(a, e, &opts);
        if (res.outcome != LMT_EQUAL)
            fail_msg("view %s differs:\n%s", r.views[i], res.report);
        lmt_result_free(&res);
        lm_df_free(a);
        lm_df_free(e);
    }
    /* and the job's figures, so the comparison is not of two empty sets */
    lm_df *best = lm_read_table(by_job, "best");
    lmt_assert_rows_equal(best,
                          "(DATE'2024-01-01', 'Books', 21.00, 1), "
                          "(DATE'2024-01-02', 'Unknown', 5.00, 1)",
                          NULL);
    lm_df_free(best);

    /* what the interpreter does not run, as text */
    assert_non_null(strstr(script, "spark = (SparkSession.builder.appName(\"translation\")\n"
                                   "    .config(\"spark.sql.shuffle.partitions\", \"3\")\n"
                                   "    .getOrCreate())\n"));
    assert_non_null(strstr(script, "spark.table(\"best\").show(5, truncate=False)\n"));
    assert_non_null(strstr(script, "(spark.table(\"daily\").write.format(\"parquet\")\n"
                                   "    .mode(\"overwrite\")\n"
                                   "    .partitionBy(\"day\")\n"
                                   "    .save(\"out\"))\n"));
    assert_non_null(strstr(script, "spark.sql(\"CACHE TABLE orders\")\n"));
    assert_non_null(strstr(script, "\nspark.stop()\n"));

    replay_free(&r);
    lm_strbuf_free(&sb);
    lm_session_close(by_script);
    lm_session_close(by_job);
    job_free(j);
    free(orders);
}

static void test_python_literals_escape_what_python_would_misread(void **state)
{
    (void)state;
    char *err = NULL;
    job *j = job_load_string("steps:\n"
                             "  - {name: a, sql: \"SELECT 'x\\\\y\\\"' AS s\"}\n"
                             "  - name: b\n"
                             "    sql: |\n"
                             "      SELECT 1 AS k\n"
                             "      FROM a\n",
                             "q.yaml", NULL, 0, &err);
    if (j == NULL)
        fail_msg("%s", err);
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    job_to_pyspark(j, &sb);
    /* one line with a backslash: escaped; several lines: triple-quoted */
    assert_non_null(
        strstr(lm_strbuf_cstr(&sb),
               "spark.sql(\"SELECT 'x\\\\y\\\"' AS s\").createOrReplaceTempView(\"a\")"));
    assert_non_null(
        strstr(lm_strbuf_cstr(&sb), "spark.sql(\"\"\"\nSELECT 1 AS k\nFROM a\n\"\"\")"));
    lm_strbuf_free(&sb);
    job_free(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_script_defines_the_rows_the_job_defines),
        cmocka_unit_test(test_python_literals_escape_what_python_would_misread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
