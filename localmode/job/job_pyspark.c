/*
 * A job as the PySpark program Spark runs (`localmode submit job.yaml` on
 * a cluster master): sources through spark.read.format(...).load, every
 * step through spark.sql with the very SQL localmode runs (job_step_sql),
 * sinks through df.write...save. Variables are already substituted, so the
 * script is the job as it ran here, and a test can run its SQL back
 * through localmode.
 *
 * Strings are written as Python literals: triple-quoted when the text
 * reads well that way (no backslash, no triple quote), escaped otherwise.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "job/job_int.h"
#include "plan/plan.h"
#include "sql/parser.h"

static void py_str(lm_strbuf *sb, const char *s)
{
    if (s == NULL) {
        lm_strbuf_puts(sb, "None");
        return;
    }
    lm_strbuf_putc(sb, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            lm_strbuf_printf(sb, "\\%c", c);
        else if (c == '\n')
            lm_strbuf_puts(sb, "\\n");
        else if (c == '\t')
            lm_strbuf_puts(sb, "\\t");
        else if (c < 0x20)
            lm_strbuf_printf(sb, "\\x%02x", c);
        else
            lm_strbuf_putc(sb, (char)c);
    }
    lm_strbuf_putc(sb, '"');
}

void job_py_str(lm_strbuf *sb, const char *s)
{
    py_str(sb, s);
}

/* SQL text as a Python literal; multi-line SQL stays readable. */
static void py_sql(lm_strbuf *sb, const char *sql)
{
    size_t n = strlen(sql);
    if (strchr(sql, '\n') && !strchr(sql, '\\') && !strstr(sql, "\"\"\"") &&
        (n == 0 || sql[n - 1] != '"')) {
        lm_strbuf_puts(sb, "\"\"\"\n");
        lm_strbuf_puts(sb, sql);
        lm_strbuf_puts(sb, "\n\"\"\"");
        return;
    }
    py_str(sb, sql);
}

static void py_options(lm_strbuf *sb, const job_kv *kv, int n)
{
    if (n == 0)
        return;
    lm_strbuf_puts(sb, "\n    .options(**{");
    for (int i = 0; i < n; i++) {
        if (i)
            lm_strbuf_puts(sb, ", ");
        py_str(sb, kv[i].key);
        lm_strbuf_puts(sb, ": ");
        py_str(sb, kv[i].value.s);
    }
    lm_strbuf_puts(sb, "})");
}

/* Whether a `sql:` statement is a query (its rows become the step's
   view) rather than a command; unparseable text counts as a query, so
   Spark reports the error. */
static bool is_query(const char *sql)
{
    lm_arena a;
    lm_arena_init(&a, 4096);
    lm_error err;
    lm_error_init(&err);
    lm_stmt *st = NULL;
    bool q = lm_parse_statement(sql, &a, &st, &err) != LM_OK || st->kind == LM_STMT_QUERY;
    lm_error_clear(&err);
    lm_arena_free(&a);
    return q;
}

static const char *op_comment(const job_op *op)
{
    switch (op->kind) {
    case JOB_OP_FILTER:
        return "filter";
    case JOB_OP_SELECT:
        return "selectExpr";
    case JOB_OP_DEDUPE:
        return op->nitems ? "dropDuplicates" : "distinct";
    case JOB_OP_JOIN:
        return "join";
    case JOB_OP_AGGREGATE:
        return "groupBy.agg";
    case JOB_OP_ORDER_BY:
        return "orderBy";
    case JOB_OP_LIMIT:
        return "limit";
    }
    return "";
}

static void py_step(const job *j, int i, lm_strbuf *sb)
{
    const job_step *st = &j->steps[i];
    if (st->ml) {
        job_ml_to_pyspark(j, i, sb);
        return;
    }
    if (st->name.s)
        lm_strbuf_printf(sb, "\n# step \"%s\"", st->name.s);
    else
        lm_strbuf_printf(sb, "\n# step %d", st->index);
    if (st->nops) {
        lm_strbuf_puts(sb, ": ");
        for (int k = 0; k < st->nops; k++)
            lm_strbuf_printf(sb, "%s%s", k ? ", " : "", op_comment(&st->ops[k]));
        lm_strbuf_printf(sb, " over %s", st->input);
    }
    lm_strbuf_putc(sb, '\n');
    job_sql q;
    job_sql_init(&q);
    if (!job_step_sql(j, i, st->nops, &q)) {
        job_sql_free(&q);
        return;
    }
    const char *sql = lm_strbuf_cstr(&q.sql);
    if (st->sql.s && !is_query(sql)) {
        lm_strbuf_puts(sb, "spark.sql(");
        py_sql(sb, sql);
        lm_strbuf_puts(sb, ")\n");
    } else {
        lm_strbuf_puts(sb, "spark.sql(");
        py_sql(sb, sql);
        lm_strbuf_puts(sb, ").createOrReplaceTempView(");
        py_str(sb, st->view);
        lm_strbuf_puts(sb, ")\n");
        if (st->cache) {
            lm_strbuf_printf(sb, "spark.sql(\"CACHE TABLE %s\")\n", st->view);
        }
    }
    job_sql_free(&q);
}

static void py_sink(const job_sink *k, lm_strbuf *sb)
{
    lm_strbuf_printf(sb, "\n# sink %s\n", k->label);
    if (strcmp(k->format.s, "console") == 0) {
        const char *rows = "20", *truncate = "True";
        for (int i = 0; i < k->noptions; i++) {
            if (k->options[i].value.s == NULL)
                continue;
            if (strcasecmp(k->options[i].key, "numRows") == 0)
                rows = k->options[i].value.s;
            else if (strcasecmp(k->options[i].key, "truncate") == 0)
                truncate = strcasecmp(k->options[i].value.s, "false") == 0 ? "False" : "True";
        }
        lm_strbuf_puts(sb, "spark.table(");
        py_str(sb, k->input);
        lm_strbuf_printf(sb, ").show(%d, truncate=%s)\n", atoi(rows), truncate);
        return;
    }
    lm_strbuf_puts(sb, "(spark.table(");
    py_str(sb, k->input);
    lm_strbuf_puts(sb, ").write.format(");
    py_str(sb, k->format.s);
    lm_strbuf_puts(sb, ")");
    if (k->mode.s) {
        lm_strbuf_puts(sb, "\n    .mode(");
        py_str(sb, k->mode.s);
        lm_strbuf_puts(sb, ")");
    }
    if (k->npartition_by) {
        lm_strbuf_puts(sb, "\n    .partitionBy(");
        for (int i = 0; i < k->npartition_by; i++) {
            if (i)
                lm_strbuf_puts(sb, ", ");
            py_str(sb, k->partition_by[i].s);
        }
        lm_strbuf_puts(sb, ")");
    }
    py_options(sb, k->options, k->noptions);
    lm_strbuf_puts(sb, "\n    .save(");
    py_str(sb, k->path.s);
    lm_strbuf_puts(sb, "))\n");
}

void job_to_pyspark(const job *j, lm_strbuf *sb)
{
    lm_strbuf_printf(sb, "# Generated by localmode %s from %s: the job as PySpark for Spark %s.\n",
                     LM_VERSION, j->file, LM_SPARK_VERSION);
    bool any = false;
    for (int i = 2; i < j->nvars; i++)
        if (j->vars[i].value.s) {
            lm_strbuf_printf(sb, "%s %s=%s", any ? "," : "# Variables:", j->vars[i].key,
                             j->vars[i].value.s);
            any = true;
        }
    if (any)
        lm_strbuf_putc(sb, '\n');
    lm_strbuf_puts(sb, "from pyspark.sql import SparkSession\n");
    job_ml_pyspark_imports(j, sb);
    lm_strbuf_puts(sb, "\nspark = (SparkSession.builder.appName(");
    py_str(sb, j->name);
    lm_strbuf_puts(sb, ")");
    for (int i = 0; i < j->nconf; i++) {
        if (j->conf[i].value.s == NULL)
            continue;
        lm_strbuf_puts(sb, "\n    .config(");
        py_str(sb, j->conf[i].key);
        lm_strbuf_puts(sb, ", ");
        py_str(sb, j->conf[i].value.s);
        lm_strbuf_puts(sb, ")");
    }
    lm_strbuf_puts(sb, "\n    .getOrCreate())\n");
    for (int i = 0; i < j->nsources; i++) {
        const job_source *src = &j->sources[i];
        lm_strbuf_printf(sb, "\n# source \"%s\"\n(spark.read.format(", src->name.s);
        py_str(sb, src->format.s);
        lm_strbuf_puts(sb, ")");
        py_options(sb, src->options, src->noptions);
        if (src->schema.s) {
            lm_strbuf_puts(sb, "\n    .schema(");
            py_str(sb, src->schema.s);
            lm_strbuf_puts(sb, ")");
        }
        lm_strbuf_puts(sb, "\n    .load(");
        if (src->npaths == 1) {
            py_str(sb, src->paths[0].s);
        } else if (src->npaths > 1) {
            lm_strbuf_putc(sb, '[');
            for (int p = 0; p < src->npaths; p++) {
                if (p)
                    lm_strbuf_puts(sb, ", ");
                py_str(sb, src->paths[p].s);
            }
            lm_strbuf_putc(sb, ']');
        }
        lm_strbuf_puts(sb, ")\n    .createOrReplaceTempView(");
        py_str(sb, src->name.s);
        lm_strbuf_puts(sb, "))\n");
    }
    for (int i = 0; i < j->nsteps; i++)
        py_step(j, i, sb);
    for (int i = 0; i < j->nsinks; i++)
        py_sink(&j->sinks[i], sb);
    lm_strbuf_puts(sb, "\nspark.stop()\n");
}
