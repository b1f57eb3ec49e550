/*
 * The physical operators of a resolved plan as Spark names them, and the
 * stages Spark would cut the plan into, for the views of a plan the CLI
 * draws itself: `explain --dot`, `--metrics` and the progress bar.
 *
 * localmode executes one operator per resolved node (exec/op_*.c); the
 * names follow the physical plan of `EXPLAIN` (api/explain.c): a
 * HashAggregate for an aggregate, SortMergeJoin for a join, a
 * LocalTableScan for in-memory rows. Stages end where Spark inserts an
 * Exchange: below an aggregate, a global sort, a join, a window with a
 * partitioning, and a set operation other than UNION ALL. Spark numbers
 * stages as it submits them, inputs first, so ids here are given in
 * post-order: every stage gets its id after the stages feeding it.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "analysis/coerce.h"
#include "cli/plan_ops.h"

bool cli_op_hidden(const lm_plan *p)
{
    return p->kind == LM_PLAN_SUBQUERY_ALIAS;
}

const char *cli_op_name(const lm_plan *p)
{
    switch (p->kind) {
    case LM_PLAN_RELATION:
    case LM_PLAN_VALUES:
        return "LocalTableScan";
    case LM_PLAN_TVF:
        return "Range";
    case LM_PLAN_ONE_ROW:
        return "Scan OneRowRelation";
    case LM_PLAN_PROJECT:
        return "Project";
    case LM_PLAN_FILTER:
        return "Filter";
    case LM_PLAN_AGGREGATE:
    case LM_PLAN_DISTINCT:
        return "HashAggregate";
    case LM_PLAN_SORT:
        return "Sort";
    case LM_PLAN_LIMIT:
        return "Limit";
    case LM_PLAN_OFFSET:
        return "Offset";
    case LM_PLAN_JOIN:
        return "SortMergeJoin";
    case LM_PLAN_SETOP:
        return p->setop == LM_SETOP_UNION       ? "Union"
               : p->setop == LM_SETOP_INTERSECT ? "Intersect"
                                                : "Except";
    case LM_PLAN_WINDOW:
        return "Window";
    case LM_PLAN_GENERATE:
        return "Generate";
    case LM_PLAN_EXPAND:
        return "Expand";
    case LM_PLAN_SAMPLE:
        return "Sample";
    case LM_PLAN_SUBQUERY_ALIAS:
        return "SubqueryAlias";
    default:
        return "Operator";
    }
}

static void expr_list(lm_strbuf *sb, lm_expr *const *v, int n, int max)
{
    for (int i = 0; i < n; i++) {
        if (i == max) {
            lm_strbuf_printf(sb, ", ... %d more", n - max);
            return;
        }
        if (i)
            lm_strbuf_puts(sb, ", ");
        const lm_expr *e = v[i];
        if (e->kind == LM_EXPR_ALIAS && e->nargs == 1) {
            /* `to_date(ts) AS day`, but not `sum(x) AS sum(x)` */
            lm_strbuf t;
            lm_strbuf_init(&t);
            lm_expr_pretty(&t, e->args[0]);
            lm_strbuf_puts(sb, lm_strbuf_cstr(&t));
            if (e->name && strcmp(lm_strbuf_cstr(&t), e->name) != 0)
                lm_strbuf_printf(sb, " AS %s", e->name);
            lm_strbuf_free(&t);
        } else {
            lm_expr_pretty(sb, e);
        }
    }
}

static const char *join_type(lm_join_type t)
{
    switch (t) {
    case LM_JOIN_INNER:
        return "Inner";
    case LM_JOIN_LEFT:
        return "LeftOuter";
    case LM_JOIN_RIGHT:
        return "RightOuter";
    case LM_JOIN_FULL:
        return "FullOuter";
    case LM_JOIN_LEFT_SEMI:
        return "LeftSemi";
    case LM_JOIN_LEFT_ANTI:
        return "LeftAnti";
    case LM_JOIN_CROSS:
        return "Cross";
    }
    return "";
}

void cli_op_detail(lm_strbuf *sb, const lm_plan *p)
{
    switch (p->kind) {
    case LM_PLAN_RELATION:
        if (p->qualifiers && p->schema->nfields && p->qualifiers[0] && p->qualifiers[0][0]) {
            const char *const *q = (const char *const *)p->qualifiers[0];
            while (q[1])
                q++;
            lm_strbuf_printf(sb, "%s ", *q);
        }
        /* fall through */
    case LM_PLAN_VALUES:
    case LM_PLAN_TVF:
        lm_strbuf_putc(sb, '[');
        for (int i = 0; i < p->schema->nfields; i++) {
            if (i == 8) {
                lm_strbuf_printf(sb, ", ... %d more", p->schema->nfields - 8);
                break;
            }
            lm_strbuf_printf(sb, "%s%s", i ? ", " : "", p->schema->fields[i].name);
        }
        lm_strbuf_putc(sb, ']');
        return;
    case LM_PLAN_PROJECT:
        lm_strbuf_putc(sb, '[');
        expr_list(sb, p->exprs, p->nexprs, 6);
        lm_strbuf_putc(sb, ']');
        return;
    case LM_PLAN_FILTER:
        if (p->cond)
            lm_expr_pretty(sb, p->cond);
        return;
    case LM_PLAN_AGGREGATE: {
        const lm_agg_info *info = p->aux;
        lm_strbuf_puts(sb, "keys=[");
        expr_list(sb, p->group_by, p->ngroup, 6);
        lm_strbuf_puts(sb, "], functions=[");
        if (info)
            expr_list(sb, info->aggs, info->naggs, 6);
        lm_strbuf_putc(sb, ']');
        return;
    }
    case LM_PLAN_SORT:
        lm_strbuf_putc(sb, '[');
        expr_list(sb, p->exprs, p->nexprs, 6);
        lm_strbuf_putc(sb, ']');
        return;
    case LM_PLAN_LIMIT:
    case LM_PLAN_OFFSET:
        if (p->cond)
            lm_expr_pretty(sb, p->cond);
        return;
    case LM_PLAN_JOIN:
        lm_strbuf_puts(sb, join_type(p->join_type));
        if (p->cond) {
            lm_strbuf_puts(sb, ", ");
            lm_expr_pretty(sb, p->cond);
        }
        return;
    case LM_PLAN_WINDOW: {
        const lm_window_info *w = p->aux;
        lm_strbuf_putc(sb, '[');
        if (w)
            expr_list(sb, w->funcs, w->nfuncs, 4);
        lm_strbuf_putc(sb, ']');
        return;
    }
    case LM_PLAN_SETOP:
        if (p->all)
            lm_strbuf_puts(sb, "ALL");
        return;
    default:
        return;
    }
}

/*
 * Hash partitioning, approximately as EnsureRequirements reasons about it:
 * the columns a node's rows come out hash-partitioned by, as their pretty
 * text separated by '\x1f', or false when unknown or not hash-partitioned.
 * An aggregate or partitioned window shuffles by its keys (unless its input
 * already satisfies them, in which case it keeps that partitioning);
 * filters, sorts within partitions and projections that keep the columns
 * pass it on. Columns are matched by name, so a renaming projection loses
 * it: we then draw an exchange Spark might have avoided, never the reverse
 * in the common plans.
 */
static void key_text(lm_strbuf *sb, lm_expr *const *v, int n)
{
    for (int i = 0; i < n; i++) {
        if (i)
            lm_strbuf_putc(sb, '\x1f');
        lm_expr_pretty(sb, v[i]);
    }
}

static bool partitioning(const lm_plan *p, lm_strbuf *out);

/* Whether each key of `have` is among the keys of `want` (Spark's
   HashPartitioning satisfies ClusteredDistribution when its expressions
   are a subset of the required clustering). */
static bool keys_within(const char *have, const char *want)
{
    if (*have == '\0')
        return false;
    for (const char *k = have; k;) {
        const char *e = strchr(k, '\x1f');
        size_t n = e ? (size_t)(e - k) : strlen(k);
        bool found = false;
        for (const char *w = want; w && !found;) {
            const char *we = strchr(w, '\x1f');
            size_t m = we ? (size_t)(we - w) : strlen(w);
            found = m == n && strncmp(k, w, n) == 0;
            w = we ? we + 1 : NULL;
        }
        if (!found)
            return false;
        k = e ? e + 1 : NULL;
    }
    return true;
}

/* Whether p's child is already partitioned within the given keys. */
static bool child_satisfies(const lm_plan *p, lm_expr *const *keys, int n)
{
    lm_strbuf want, have;
    lm_strbuf_init(&want);
    lm_strbuf_init(&have);
    key_text(&want, keys, n);
    bool ok = p->child && partitioning(p->child, &have) &&
              keys_within(lm_strbuf_cstr(&have), lm_strbuf_cstr(&want));
    lm_strbuf_free(&want);
    lm_strbuf_free(&have);
    return ok;
}

static bool partitioning(const lm_plan *p, lm_strbuf *out)
{
    switch (p->kind) {
    case LM_PLAN_AGGREGATE:
        if (p->ngroup == 0)
            return false;
        if (child_satisfies(p, p->group_by, p->ngroup))
            return partitioning(p->child, out);
        key_text(out, p->group_by, p->ngroup);
        return true;
    case LM_PLAN_WINDOW: {
        const lm_window_info *w = p->aux;
        if (w == NULL || w->spec == NULL || w->spec->npartition == 0)
            return false;
        if (child_satisfies(p, w->spec->partition, w->spec->npartition))
            return partitioning(p->child, out);
        key_text(out, w->spec->partition, w->spec->npartition);
        return true;
    }
    case LM_PLAN_FILTER:
    case LM_PLAN_SUBQUERY_ALIAS:
        return partitioning(p->child, out);
    case LM_PLAN_SORT:
        return !p->global && partitioning(p->child, out);
    case LM_PLAN_PROJECT: {
        /* kept when every key is still an output column of that name */
        lm_strbuf in;
        lm_strbuf_init(&in);
        bool ok = partitioning(p->child, &in);
        for (const char *k = lm_strbuf_cstr(&in); ok && k;) {
            const char *e = strchr(k, '\x1f');
            size_t n = e ? (size_t)(e - k) : strlen(k);
            bool found = false;
            for (int i = 0; i < p->schema->nfields && !found; i++)
                found = strlen(p->schema->fields[i].name) == n &&
                        strncmp(p->schema->fields[i].name, k, n) == 0;
            ok = found;
            k = e ? e + 1 : NULL;
        }
        if (ok)
            lm_strbuf_puts(out, lm_strbuf_cstr(&in));
        lm_strbuf_free(&in);
        return ok;
    }
    default:
        return false;
    }
}

/*
 * Whether Spark shuffles between p and its child (right: the right child):
 * the Exchange EnsureRequirements inserts for a required distribution --
 * clustered by the keys of an aggregate or a partitioned window unless the
 * child is already partitioned within them, all rows in one partition for
 * a global aggregate or an unpartitioned window, hash-partitioned by the
 * keys for both sides of a (sort-merge) join, range-partitioned for a
 * global sort.
 */
bool cli_op_exchange(const lm_plan *p, bool right)
{
    (void)right;
    switch (p->kind) {
    case LM_PLAN_AGGREGATE:
        return p->ngroup == 0 || !child_satisfies(p, p->group_by, p->ngroup);
    case LM_PLAN_DISTINCT:
    case LM_PLAN_JOIN:
        return true;
    case LM_PLAN_SORT:
        return p->global;
    case LM_PLAN_WINDOW: {
        const lm_window_info *w = p->aux;
        if (w == NULL || w->spec == NULL)
            return false;
        if (w->spec->npartition == 0)
            return true;
        return !child_satisfies(p, w->spec->partition, w->spec->npartition);
    }
    case LM_PLAN_SETOP:
        return !(p->setop == LM_SETOP_UNION && p->all);
    default:
        return false;
    }
}

/* Dynamic array push for the stage map. */
static bool push(cli_stages *S, const lm_plan *p)
{
    if (S->n == S->cap) {
        int cap = S->cap ? S->cap * 2 : 32;
        const lm_plan **nodes = realloc(S->nodes, sizeof *nodes * (size_t)cap);
        if (nodes == NULL)
            return false;
        S->nodes = nodes;
        int *st = realloc(S->stage, sizeof *st * (size_t)cap);
        if (st == NULL)
            return false;
        S->stage = st;
        S->cap = cap;
    }
    S->nodes[S->n] = p;
    S->stage[S->n] = -1;
    S->n++;
    return true;
}

/* Collects the nodes of the stage rooted at p (indexes pushed to S), then
   the stages below it (which take ids first), then numbers this one. */
static bool region(cli_stages *S, const lm_plan *root)
{
    int first = S->n;
    /* breadth over the region: nodes [first, S->n) grow as we go */
    if (!push(S, root))
        return false;
    int nb = 0, cb = 0;
    const lm_plan **below = NULL;
    bool ok = true;
    for (int i = first; i < S->n && ok; i++) {
        const lm_plan *p = S->nodes[i];
        const lm_plan *kids[2] = {p->child, p->right};
        for (int k = 0; k < 2 && ok; k++) {
            if (kids[k] == NULL)
                continue;
            if (cli_op_exchange(p, k == 1)) {
                if (nb == cb) {
                    cb = cb ? cb * 2 : 4;
                    const lm_plan **nbw = realloc(below, sizeof *nbw * (size_t)cb);
                    if (nbw == NULL) {
                        ok = false;
                        break;
                    }
                    below = nbw;
                }
                below[nb++] = kids[k];
            } else {
                ok = push(S, kids[k]);
            }
        }
    }
    int last = S->n;
    for (int i = 0; i < nb && ok; i++)
        ok = region(S, below[i]);
    free(below);
    if (!ok)
        return false;
    int id = S->nstages++;
    for (int i = first; i < last; i++)
        S->stage[i] = id;
    return true;
}

bool cli_stages_build(cli_stages *S, const lm_plan *root)
{
    memset(S, 0, sizeof *S);
    return region(S, root);
}

int cli_stage_of(const cli_stages *S, const lm_plan *p)
{
    for (int i = 0; i < S->n; i++)
        if (S->nodes[i] == p)
            return S->stage[i];
    return -1;
}

int cli_stage_size(const cli_stages *S, int stage)
{
    int n = 0;
    for (int i = 0; i < S->n; i++)
        n += S->stage[i] == stage && !cli_op_hidden(S->nodes[i]);
    return n;
}

void cli_stages_free(cli_stages *S)
{
    free(S->nodes);
    free(S->stage);
    memset(S, 0, sizeof *S);
}
