/*
 * The SQL of a job step. A `sql:` step is its own statement; a step of
 * DataFrame-style ops compiles each op to one SELECT over the op before
 * it, innermost first, the intermediate rows named after the step's input
 * as a Spark program names its DataFrame variable:
 *
 *   from: clean, filter: amount > 0, select: [id, amount]
 *   =>  SELECT id, amount FROM (
 *       SELECT * FROM clean WHERE amount > 0
 *       ) AS clean
 *
 * The SQL is what Spark itself would run for the op (dedupe is the
 * Deduplicate -> Aggregate(first) rewrite Spark's optimizer performs,
 * written schema-free as first(struct(*))), so localmode and the
 * generated PySpark script execute the same text. Every fragment taken
 * from the file is recorded with its span, so an error's query context
 * maps back to the file.
 */
#include <stdlib.h>
#include <string.h>

#include "job/job_int.h"

void job_sql_init(job_sql *q)
{
    lm_strbuf_init(&q->sql);
    q->nmaps = q->cap = 0;
    q->maps = NULL;
}

void job_sql_free(job_sql *q)
{
    lm_strbuf_free(&q->sql);
    free(q->maps);
    q->maps = NULL;
    q->nmaps = q->cap = 0;
}

static void lit(job_sql *q, const char *s)
{
    lm_strbuf_puts(&q->sql, s);
}

/* Appends n bytes of t->s and remembers where they came from. */
static bool frag_n(job_sql *q, const job_text *t, size_t n)
{
    if (q->nmaps == q->cap) {
        int cap = q->cap ? q->cap * 2 : 8;
        job_sqlmap *m = realloc(q->maps, sizeof *m * (size_t)cap);
        if (m == NULL)
            return false;
        q->maps = m;
        q->cap = cap;
    }
    q->maps[q->nmaps].start = (int)q->sql.len;
    q->maps[q->nmaps].len = (int)n;
    q->maps[q->nmaps].text = t;
    q->nmaps++;
    lm_strbuf_append(&q->sql, t->s, n);
    return true;
}

static bool frag(job_sql *q, const job_text *t)
{
    return frag_n(q, t, strlen(t->s));
}

static bool frags(job_sql *q, const job_text *v, int n, const char *sep)
{
    for (int i = 0; i < n; i++) {
        if (i)
            lit(q, sep);
        if (!frag(q, &v[i]))
            return false;
    }
    return true;
}

/*
 * Top-level items of a comma-separated SQL list ("a, f(b, c) AS d" is
 * two): commas inside parentheses, brackets, quotes and comments do not
 * count. Used to number an aggregate's grouping keys.
 */
static int count_items(const char *s)
{
    int depth = 0, n = 1;
    for (const char *p = s; *p; p++) {
        char c = *p;
        if (c == '\'' || c == '"' || c == '`') {
            for (p++; *p && *p != c; p++)
                if (*p == '\\' && c != '`' && p[1])
                    p++;
            if (*p == '\0')
                break;
        } else if (c == '-' && p[1] == '-') {
            while (*p && *p != '\n')
                p++;
            if (*p == '\0')
                break;
        } else if (c == '(' || c == '[') {
            depth++;
        } else if (c == ')' || c == ']') {
            depth--;
        } else if (c == ',' && depth == 0) {
            n++;
        }
    }
    return n;
}

static void name_sql(job_sql *q, const char *name)
{
    if (job_is_identifier(name)) {
        lit(q, name);
        return;
    }
    lm_strbuf_putc(&q->sql, '`');
    for (const char *p = name; *p; p++) {
        if (*p == '`')
            lm_strbuf_putc(&q->sql, '`');
        lm_strbuf_putc(&q->sql, *p);
    }
    lm_strbuf_putc(&q->sql, '`');
}

static bool emit_op(const job *j, const job_step *st, int k, job_sql *q);

/* The rows op k reads: the input view, or ops [0, k) in parentheses. */
static bool emit_source(const job *j, const job_step *st, int k, job_sql *q, const char *alias)
{
    if (k == 0) {
        if (st->from.s)
            return frag(q, &st->from);
        lit(q, st->input);
        return true;
    }
    lit(q, "(\n");
    if (!emit_op(j, st, k - 1, q))
        return false;
    lit(q, "\n) AS ");
    name_sql(q, alias);
    return true;
}

/* Op k of the step over the ops before it. */
static bool emit_op(const job *j, const job_step *st, int k, job_sql *q)
{
    const job_op *op = &st->ops[k];
    const char *alias = job_alias_of((lm_arena *)&j->arena, st->input);
    if (alias == NULL)
        return false;
    bool ok = true;
    switch (op->kind) {
    case JOB_OP_FILTER:
        lit(q, "SELECT * FROM ");
        ok = emit_source(j, st, k, q, alias);
        lit(q, " WHERE ");
        return ok && frag(q, &op->items[0]);
    case JOB_OP_SELECT:
        lit(q, "SELECT ");
        ok = frags(q, op->items, op->nitems, ", ");
        lit(q, " FROM ");
        return ok && emit_source(j, st, k, q, alias);
    case JOB_OP_ORDER_BY:
        lit(q, "SELECT * FROM ");
        ok = emit_source(j, st, k, q, alias);
        lit(q, " ORDER BY ");
        return ok && frags(q, op->items, op->nitems, ", ");
    case JOB_OP_LIMIT:
        lit(q, "SELECT * FROM ");
        ok = emit_source(j, st, k, q, alias);
        lm_strbuf_printf(&q->sql, " LIMIT %lld", (long long)op->limit);
        return ok;
    case JOB_OP_DEDUPE:
        if (op->nitems == 0) {
            lit(q, "SELECT DISTINCT * FROM ");
            return emit_source(j, st, k, q, alias);
        }
        /* dropDuplicates(keys): the first row of each key, columns in
           their order (Spark plans it as an aggregate of first()) */
        lit(q, "SELECT __first.* FROM (SELECT first(struct(*)) AS __first FROM ");
        ok = emit_source(j, st, k, q, alias);
        lit(q, " GROUP BY ");
        ok = ok && frags(q, op->items, op->nitems, ", ");
        lit(q, ") AS ");
        name_sql(q, alias);
        return ok;
    case JOB_OP_AGGREGATE: {
        /* groupBy(keys).agg(aggs): keys then aggregates; grouping by
           ordinal lets a key carry an alias (groupBy(expr.alias(...))) */
        lit(q, "SELECT ");
        ok = frags(q, op->keys, op->nkeys, ", ");
        if (op->nkeys)
            lit(q, ", ");
        ok = ok && frags(q, op->items, op->nitems, ", ");
        lit(q, " FROM ");
        ok = ok && emit_source(j, st, k, q, alias);
        int n = 0;
        for (int i = 0; i < op->nkeys; i++)
            n += count_items(op->keys[i].s);
        for (int i = 0; i < n; i++)
            lm_strbuf_printf(&q->sql, "%s%d", i ? ", " : " GROUP BY ", i + 1);
        return ok;
    }
    case JOB_OP_JOIN:
        lit(q, "SELECT * FROM ");
        ok = emit_source(j, st, k, q, alias);
        lm_strbuf_printf(&q->sql, " %s JOIN ", job_join_sql(op->how.s));
        ok = ok && frag(q, &op->with);
        if (op->alias.s) {
            lit(q, " AS ");
            ok = ok && frag(q, &op->alias);
        }
        if (op->on.s) {
            lit(q, " ON ");
            ok = ok && frag(q, &op->on);
        } else if (op->nusing) {
            lit(q, " USING (");
            ok = ok && frags(q, op->using_cols, op->nusing, ", ");
            lit(q, ")");
        }
        return ok;
    }
    return false;
}

bool job_step_sql(const job *j, int i, int nops, job_sql *out)
{
    const job_step *st = &j->steps[i];
    if (st->sql.s) {
        /* a trailing `;` is harmless in a file but not to the parser */
        size_t n = strlen(st->sql.s);
        while (n > 0 && strchr(" \t\r\n;", st->sql.s[n - 1]))
            n--;
        return frag_n(out, &st->sql, n) && lm_strbuf_ok(&out->sql);
    }
    if (nops > st->nops)
        nops = st->nops;
    return nops > 0 && emit_op(j, st, nops - 1, out) && lm_strbuf_ok(&out->sql);
}

bool job_sql_locate(const job_sql *q, int offset, int *line, int *col)
{
    if (offset < 0)
        return false;
    for (int i = 0; i < q->nmaps; i++)
        if (offset >= q->maps[i].start && offset < q->maps[i].start + q->maps[i].len) {
            job_text_locate(q->maps[i].text, offset - q->maps[i].start, line, col);
            return true;
        }
    return false;
}
