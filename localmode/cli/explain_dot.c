/*
 * A resolved plan as a Graphviz graph (`localmode explain --dot`): one box
 * per physical operator (Spark's names, plan_ops.c), an Exchange where
 * Spark shuffles, and a cluster per stage, so `dot -Tsvg` draws what the
 * Spark UI's SQL tab shows. Edges follow the data, from the scans up to
 * the result. Subquery aliases do no work and are left out.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "analysis/coerce.h"
#include "cli/explain_dot.h"
#include "cli/plan_ops.h"
#include "expr/func.h"
#include "session/session.h"

typedef struct dot {
    lm_strbuf *sb;
    const cli_stages *st;
    int shuffle_partitions;
    int next_id;
    int nids, cap;
    int *stage_of_id; /* the stage of each operator node; -1 for exchanges */
} dot;

static void note_stage(dot *d, int id, int stage)
{
    if (id >= d->cap) {
        int cap = d->cap ? d->cap * 2 : 32;
        while (cap <= id)
            cap *= 2;
        int *v = realloc(d->stage_of_id, sizeof *v * (size_t)cap);
        if (v == NULL)
            return;
        for (int i = d->cap; i < cap; i++)
            v[i] = -1;
        d->stage_of_id = v;
        d->cap = cap;
    }
    d->stage_of_id[id] = stage;
    if (id >= d->nids)
        d->nids = id + 1;
}

/* A DOT string: quotes and backslashes escaped, long text cut. */
static void dot_text(lm_strbuf *sb, const char *s, size_t max)
{
    size_t n = 0;
    for (; *s && n < max; s++, n++) {
        if (*s == '"' || *s == '\\')
            lm_strbuf_putc(sb, '\\');
        if (*s == '\n') {
            lm_strbuf_puts(sb, "\\n");
            continue;
        }
        lm_strbuf_putc(sb, *s);
    }
    if (*s)
        lm_strbuf_puts(sb, "...");
}

/* Which sides of a join's row an expression reads: bit 1 the left input
   (ordinals below nleft), bit 2 the right; 4 when it reads anything else. */
static int sides(const lm_expr *e, int nleft)
{
    if (e == NULL)
        return 0;
    if (e->kind == LM_EXPR_BOUND)
        return e->ordinal < nleft ? 1 : 2;
    if (e->kind == LM_EXPR_OUTER || e->subquery)
        return 4;
    int m = 0;
    for (int i = 0; i < e->nargs; i++)
        m |= sides(e->args[i], nleft);
    return m;
}

/* The equi-join keys of one side (Spark shuffles each side by them):
   equalities between the sides among the condition's conjuncts. */
static void join_keys(lm_strbuf *sb, const lm_expr *c, int nleft, bool right)
{
    if (c == NULL || c->kind != LM_EXPR_CALL || c->fn == NULL)
        return;
    if (strcmp(c->fn->name, "and") == 0 && c->nargs == 2) {
        join_keys(sb, c->args[0], nleft, right);
        join_keys(sb, c->args[1], nleft, right);
        return;
    }
    if (c->fn->symbol == NULL || strcmp(c->fn->symbol, "=") != 0 || c->nargs != 2)
        return;
    int a = sides(c->args[0], nleft), b = sides(c->args[1], nleft);
    const lm_expr *key = NULL;
    if (a == 1 && b == 2)
        key = c->args[right ? 1 : 0];
    else if (a == 2 && b == 1)
        key = c->args[right ? 0 : 1];
    if (key) {
        if (sb->len)
            lm_strbuf_puts(sb, ", ");
        lm_expr_pretty(sb, key);
    }
}

static void exchange_label(dot *d, lm_strbuf *sb, const lm_plan *p, bool right)
{
    lm_strbuf_puts(sb, "Exchange\\n");
    lm_strbuf keys;
    lm_strbuf_init(&keys);
    const char *kind = "hashpartitioning";
    if (p->kind == LM_PLAN_SORT) {
        kind = "rangepartitioning";
        for (int i = 0; i < p->nexprs; i++) {
            if (i)
                lm_strbuf_puts(&keys, ", ");
            lm_expr_pretty(&keys, p->exprs[i]);
        }
    } else if (p->kind == LM_PLAN_AGGREGATE) {
        for (int i = 0; i < p->ngroup; i++) {
            if (i)
                lm_strbuf_puts(&keys, ", ");
            lm_expr_pretty(&keys, p->group_by[i]);
        }
        if (p->ngroup == 0)
            kind = "SinglePartition";
    } else if (p->kind == LM_PLAN_JOIN && p->child && p->child->schema) {
        join_keys(&keys, p->cond, p->child->schema->nfields, right);
    } else if (p->kind == LM_PLAN_WINDOW) {
        const lm_window_info *w = p->aux;
        for (int i = 0; w && w->spec && i < w->spec->npartition; i++) {
            if (i)
                lm_strbuf_puts(&keys, ", ");
            lm_expr_pretty(&keys, w->spec->partition[i]);
        }
        if (w == NULL || w->spec == NULL || w->spec->npartition == 0)
            kind = "SinglePartition";
    }
    lm_strbuf tmp;
    lm_strbuf_init(&tmp);
    if (strcmp(kind, "SinglePartition") == 0)
        lm_strbuf_puts(&tmp, kind);
    else if (keys.len)
        lm_strbuf_printf(&tmp, "%s(%s, %d)", kind, lm_strbuf_cstr(&keys), d->shuffle_partitions);
    else
        lm_strbuf_printf(&tmp, "%s(%d)", kind, d->shuffle_partitions);
    dot_text(sb, lm_strbuf_cstr(&tmp), 80);
    lm_strbuf_free(&tmp);
    lm_strbuf_free(&keys);
}

/* Declares p's node (or, for a hidden node, its child's) and returns its
   id; edges from its inputs are written as they are declared. */
static int emit(dot *d, const lm_plan *p)
{
    while (cli_op_hidden(p) && p->child)
        p = p->child;
    int id = d->next_id++;
    lm_strbuf *sb = d->sb;
    lm_strbuf detail;
    lm_strbuf_init(&detail);
    cli_op_detail(&detail, p);
    lm_strbuf_printf(sb, "  n%d [label=\"", id);
    dot_text(sb, cli_op_name(p), 64);
    if (detail.len) {
        lm_strbuf_puts(sb, "\\n");
        dot_text(sb, lm_strbuf_cstr(&detail), 80);
    }
    lm_strbuf_puts(sb, "\"];\n");
    note_stage(d, id, cli_stage_of(d->st, p));
    lm_strbuf_free(&detail);
    const lm_plan *kids[2] = {p->child, p->right};
    for (int k = 0; k < 2; k++) {
        if (kids[k] == NULL)
            continue;
        int c = emit(d, kids[k]);
        if (cli_op_exchange(p, k == 1)) {
            int x = d->next_id++;
            lm_strbuf_printf(sb, "  n%d [label=\"", x);
            exchange_label(d, sb, p, k == 1);
            lm_strbuf_puts(sb, "\", shape=box, style=\"filled,dashed\", fillcolor=\"#fff4d6\"];\n");
            lm_strbuf_printf(sb, "  n%d -> n%d;\n  n%d -> n%d;\n", c, x, x, id);
        } else {
            lm_strbuf_printf(sb, "  n%d -> n%d;\n", c, id);
        }
    }
    return id;
}

lm_status cli_plan_dot(lm_session *s, const lm_plan *p, const char *name, lm_strbuf *sb)
{
    cli_stages st;
    if (!cli_stages_build(&st, p)) {
        cli_stages_free(&st);
        return LM_ENOMEM;
    }
    dot d = {sb, &st, s->shuffle_partitions, 0, 0, 0, NULL};
    lm_strbuf_puts(sb, "digraph ");
    lm_strbuf_puts(sb, name);
    lm_strbuf_puts(sb, " {\n"
                       "  rankdir=BT;\n"
                       "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#e8f0fe\", "
                       "fontname=\"Helvetica\", fontsize=10];\n"
                       "  edge [color=\"#5f6368\"];\n");
    emit(&d, p);
    for (int k = 0; k < st.nstages; k++) {
        lm_strbuf_printf(sb,
                         "  subgraph cluster_stage_%d {\n    label=\"Stage %d\"; style=dashed; "
                         "color=\"#9aa0a6\";\n   ",
                         k, k);
        for (int i = 0; i < d.nids; i++)
            if (d.stage_of_id[i] == k)
                lm_strbuf_printf(sb, " n%d;", i);
        lm_strbuf_puts(sb, "\n  }\n");
    }
    lm_strbuf_puts(sb, "}\n");
    free(d.stage_of_id);
    cli_stages_free(&st);
    return lm_strbuf_ok(sb) ? LM_OK : LM_ENOMEM;
}
