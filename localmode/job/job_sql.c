/*
 * The SQL of a job step. A `sql:` step is its own statement. A step of
 * DataFrame-style ops is compiled to SELECT blocks: ops fill a block's
 * clauses in SQL's order (FROM and joins, WHERE, GROUP BY or the select
 * list, DISTINCT, ORDER BY, LIMIT) and an op that belongs earlier than a
 * clause already filled starts a new block over the last one, the rows
 * named after the step's input as a Spark program names its DataFrame
 * variable:
 *
 *   from: clean, filter: amount > 0, select: [id, amount], dedupe: [id]
 *   =>  SELECT __first.* FROM (SELECT first(struct(*)) AS __first FROM (
 *       SELECT id, amount FROM clean WHERE amount > 0
 *       ) AS clean GROUP BY id) AS clean
 *
 * The SQL is what Spark itself would run for the ops (dedupe is the
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

/*
 * A SELECT block under construction. Ops fill its clauses in SQL's order
 * (FROM and joins, WHERE, GROUP BY or the select list, DISTINCT, ORDER BY,
 * LIMIT); an op that would come earlier than a clause already filled
 * starts a new block over this one. So `join` then `select` is one block,
 * and the select can still tell `orders.id` from `dims.id`, as Spark code
 * does with df["id"]; `select` then `filter` filters the selected rows.
 */
typedef struct blk {
    const struct blk *inner; /* FROM this block; NULL: the step's input */
    const job_op *joins[16];
    int njoins;
    const job_op *filter, *aggregate, *select, *order, *limit;
    bool distinct;
    const job_op *dedupe; /* a block of its own: the first row per key */
} blk;

static bool blk_takes(const blk *b, const job_op *op)
{
    if (b->dedupe)
        return false;
    bool later = b->order || b->limit || b->distinct;
    bool shaped = later || b->select || b->aggregate;
    switch (op->kind) {
    case JOB_OP_JOIN:
        return !shaped && !b->filter && b->njoins < 16;
    case JOB_OP_FILTER:
        return !shaped && !b->filter;
    case JOB_OP_SELECT:
    case JOB_OP_AGGREGATE:
        return !shaped;
    case JOB_OP_DEDUPE:
        return op->nitems == 0 && !later;
    case JOB_OP_ORDER_BY:
        return !b->order && !b->limit;
    case JOB_OP_LIMIT:
        return !b->limit;
    }
    return false;
}

static void blk_add(blk *b, const job_op *op)
{
    switch (op->kind) {
    case JOB_OP_JOIN:
        b->joins[b->njoins++] = op;
        break;
    case JOB_OP_FILTER:
        b->filter = op;
        break;
    case JOB_OP_SELECT:
        b->select = op;
        break;
    case JOB_OP_AGGREGATE:
        b->aggregate = op;
        break;
    case JOB_OP_DEDUPE:
        if (op->nitems)
            b->dedupe = op;
        else
            b->distinct = true;
        break;
    case JOB_OP_ORDER_BY:
        b->order = op;
        break;
    case JOB_OP_LIMIT:
        b->limit = op;
        break;
    }
}

static bool blk_empty(const blk *b)
{
    return !b->njoins && !b->filter && !b->select && !b->aggregate && !b->order && !b->limit &&
           !b->distinct && !b->dedupe;
}

static bool emit_block(const job_step *st, const blk *b, const char *alias, job_sql *q);

/* FROM: the input view (as written in `from:`), or the block before. */
static bool emit_from(const job_step *st, const blk *b, const char *alias, job_sql *q)
{
    if (b->inner == NULL) {
        if (st->from.s)
            return frag(q, &st->from);
        lit(q, st->input);
        return true;
    }
    lit(q, "(\n");
    if (!emit_block(st, b->inner, alias, q))
        return false;
    lit(q, "\n) AS ");
    name_sql(q, alias);
    return true;
}

static bool emit_join(const job_op *op, job_sql *q)
{
    bool ok = true;
    lm_strbuf_printf(&q->sql, " %s JOIN ", job_join_sql(op->how.s));
    ok = frag(q, &op->with);
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

static bool emit_block(const job_step *st, const blk *b, const char *alias, job_sql *q)
{
    bool ok = true;
    if (b->dedupe) {
        /* dropDuplicates(keys): the first row of each key, columns in their
           order (Spark plans it as an aggregate of first()) */
        lit(q, "SELECT __first.* FROM (SELECT first(struct(*)) AS __first FROM ");
        ok = emit_from(st, b, alias, q);
        lit(q, " GROUP BY ");
        ok = ok && frags(q, b->dedupe->items, b->dedupe->nitems, ", ");
        lit(q, ") AS ");
        name_sql(q, alias);
        return ok;
    }
    lit(q, b->distinct ? "SELECT DISTINCT " : "SELECT ");
    int nkeys = 0;
    if (b->aggregate) {
        /* groupBy(keys).agg(aggs): keys then aggregates; grouping by
           ordinal lets a key carry an alias (groupBy(expr.alias(...))) */
        const job_op *op = b->aggregate;
        ok = frags(q, op->keys, op->nkeys, ", ");
        if (op->nkeys)
            lit(q, ", ");
        ok = ok && frags(q, op->items, op->nitems, ", ");
        for (int i = 0; i < op->nkeys; i++)
            nkeys += count_items(op->keys[i].s);
    } else if (b->select) {
        ok = frags(q, b->select->items, b->select->nitems, ", ");
    } else {
        lit(q, "*");
    }
    lit(q, " FROM ");
    ok = ok && emit_from(st, b, alias, q);
    for (int i = 0; i < b->njoins && ok; i++)
        ok = emit_join(b->joins[i], q);
    if (b->filter) {
        lit(q, " WHERE ");
        ok = ok && frag(q, &b->filter->items[0]);
    }
    for (int i = 0; i < nkeys; i++)
        lm_strbuf_printf(&q->sql, "%s%d", i ? ", " : " GROUP BY ", i + 1);
    if (b->order) {
        lit(q, " ORDER BY ");
        ok = ok && frags(q, b->order->items, b->order->nitems, ", ");
    }
    if (b->limit)
        lm_strbuf_printf(&q->sql, " LIMIT %lld", (long long)b->limit->limit);
    return ok;
}

/* Ops [0, nops) of the step, grouped into blocks, the last one emitted. */
static bool emit_ops(const job *j, const job_step *st, int nops, job_sql *q)
{
    const char *alias = job_alias_of((lm_arena *)&j->arena, st->input);
    blk *blocks = calloc((size_t)nops + 1, sizeof *blocks);
    if (alias == NULL || blocks == NULL) {
        free(blocks);
        return false;
    }
    int n = 1;
    for (int k = 0; k < nops; k++) {
        const job_op *op = &st->ops[k];
        blk *cur = &blocks[n - 1];
        if (!blk_takes(cur, op)) {
            /* a dedupe over nothing but the input reads the input itself */
            if (!(op->kind == JOB_OP_DEDUPE && blk_empty(cur))) {
                blocks[n].inner = cur;
                cur = &blocks[n++];
            }
        }
        blk_add(cur, op);
    }
    bool ok = emit_block(st, &blocks[n - 1], alias, q);
    free(blocks);
    return ok;
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
    return nops > 0 && emit_ops(j, st, nops, out) && lm_strbuf_ok(&out->sql);
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
