/*
 * Batch kernels for resolved expressions (design and contract in veval.h).
 *
 * A compiled program is a tree of vnodes allocated in one arena. Each
 * node evaluates to a vres: either a vector of the batch's length or a
 * constant (constants are never spread into vectors unless they are the
 * whole expression). Kernels load their operands into flat typed arrays
 * (int64 / double / byte-per-row validity), compute, and store into a new
 * vector of the node's type; the loads cost a copy of a few KiB per batch
 * but keep one kernel per operator instead of one per type pair.
 *
 * Semantics are the row interpreter's, node by node:
 *   - integral + - * wrap to the result type (Java arithmetic) unless ANSI;
 *     % follows Java (sign of the dividend, x % -1 == 0) and % 0 is NULL;
 *   - floating arithmetic is done in double and rounded to the result type,
 *     as functions/operators.c does; / 0 and % 0 are NULL;
 *   - comparisons use Spark's ordering (NaN = NaN and above every number,
 *     -0.0 = 0.0; strings as unsigned bytes, then length);
 *   - AND / OR use SQL three-valued logic.
 * Anything a kernel cannot decide (ANSI overflow, ANSI division by zero)
 * fails the batch, and the caller redoes it with the row interpreter.
 */
#include "veval.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/bytes.h"
#include "common/simd.h"
#include "expr/func.h"
#include "vector/strdict.h"

typedef enum vkind {
    VK_COL,
    VK_CONST,
    VK_ARITH,
    VK_CMP,
    VK_AND,
    VK_OR,
    VK_NOT,
    VK_ISNULL,
    VK_ISNOTNULL,
    VK_CAST,
    VK_LIKE,
    VK_ROWS
} vkind;

enum { OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_REM };
enum { CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE, CMP_EQNS };
enum { LIKE_EXACT, LIKE_PREFIX, LIKE_SUFFIX, LIKE_CONTAINS };

typedef struct vnode vnode;
struct vnode {
    vkind kind;
    const lm_expr *e;
    const lm_type *type;   /* result type */
    int op;
    int ordinal;           /* COL */
    lm_value cval;         /* CONST */
    vnode *a, *b;
    const char *pat;       /* LIKE */
    int32_t patlen;
    int nneed;             /* ROWS: input columns read, or -1 for all */
    int *need;
};

struct lm_vexpr {
    lm_arena arena;
    vnode *root;
    bool native;
};

/* A node's value over a batch: a vector (one reference owned) or a constant. */
typedef struct vres {
    lm_vector *v;
    bool is_const;
    lm_value c;
} vres;

/* ------------------------------------------------------------ analysis */

static bool walk_supported(const lm_expr *e)
{
    if (e == NULL)
        return true;
    switch (e->kind) {
    case LM_EXPR_SCALAR_SUBQUERY:
    case LM_EXPR_EXISTS:
    case LM_EXPR_IN_SUBQUERY:
    case LM_EXPR_GROUPING_ID:
        return false;
    case LM_EXPR_CALL:
        if (e->fn == NULL || (e->fn->flags & LM_FN_NONDETERMINISTIC) ||
            e->fn->kind != LM_FN_SCALAR)
            return false;
        break;
    default:
        break;
    }
    for (int i = 0; i < e->nargs; i++)
        if (!walk_supported(e->args[i]))
            return false;
    return true;
}

bool lm_vexpr_supported(const lm_expr *e)
{
    return walk_supported(e);
}

bool lm_expr_columns(const lm_expr *e, bool *need, int ncols)
{
    if (e == NULL)
        return true;
    switch (e->kind) {
    case LM_EXPR_BOUND:
        if (e->ordinal >= 0 && e->ordinal < ncols)
            need[e->ordinal] = true;
        return true;
    case LM_EXPR_SCALAR_SUBQUERY:
    case LM_EXPR_EXISTS:
    case LM_EXPR_IN_SUBQUERY:
        /* the subquery may read any column of this row as an outer reference */
        for (int i = 0; i < e->nargs; i++)
            lm_expr_columns(e->args[i], need, ncols);
        return false;
    default:
        break;
    }
    bool ok = true;
    for (int i = 0; i < e->nargs; i++)
        ok &= lm_expr_columns(e->args[i], need, ncols);
    ok &= lm_expr_columns(e->filter, need, ncols);
    for (int i = 0; i < e->norder; i++)
        ok &= lm_expr_columns(e->order[i], need, ncols);
    if (e->window) {
        for (int i = 0; i < e->window->npartition; i++)
            ok &= lm_expr_columns(e->window->partition[i], need, ncols);
        for (int i = 0; i < e->window->norder; i++)
            ok &= lm_expr_columns(e->window->order[i], need, ncols);
    }
    return ok;
}

/* A subtree that reads nothing from the row and can be computed once. */
static bool is_constant(const lm_expr *e)
{
    switch (e->kind) {
    case LM_EXPR_LITERAL:
        return true;
    case LM_EXPR_BOUND:
    case LM_EXPR_OUTER:
    case LM_EXPR_LAMBDA:
    case LM_EXPR_LAMBDA_VAR:
    case LM_EXPR_SCALAR_SUBQUERY:
    case LM_EXPR_EXISTS:
    case LM_EXPR_IN_SUBQUERY:
    case LM_EXPR_GROUPING_ID:
        return false;
    case LM_EXPR_CALL:
        if (e->fn == NULL || e->fn->kind != LM_FN_SCALAR || (e->fn->flags & LM_FN_NONDETERMINISTIC))
            return false;
        break;
    case LM_EXPR_ALIAS:
    case LM_EXPR_CAST:
    case LM_EXPR_CASE:
    case LM_EXPR_IN:
    case LM_EXPR_FIELD:
    case LM_EXPR_SUBSCRIPT:
        break;
    default:
        return false;
    }
    for (int i = 0; i < e->nargs; i++)
        if (!is_constant(e->args[i]))
            return false;
    return true;
}

static bool is_int_id(lm_type_id id)
{
    return id == LM_TYPE_BYTE || id == LM_TYPE_SHORT || id == LM_TYPE_INT || id == LM_TYPE_LONG;
}

/* Types whose values load as int64 and compare as int64. */
static bool is_i64_like(lm_type_id id)
{
    return is_int_id(id) || id == LM_TYPE_DATE || id == LM_TYPE_TIMESTAMP ||
           id == LM_TYPE_TIMESTAMP_NTZ || id == LM_TYPE_YM_INTERVAL || id == LM_TYPE_DT_INTERVAL;
}

static bool is_float_id(lm_type_id id)
{
    return id == LM_TYPE_FLOAT || id == LM_TYPE_DOUBLE;
}

static int arith_op(const char *n)
{
    if (n[1] != '\0')
        return -1;
    switch (n[0]) {
    case '+': return OP_ADD;
    case '-': return OP_SUB;
    case '*': return OP_MUL;
    case '/': return OP_DIV;
    case '%': return OP_REM;
    default: return -1;
    }
}

static int cmp_op(const char *n)
{
    if (!strcmp(n, "=") || !strcmp(n, "=="))
        return CMP_EQ;
    if (!strcmp(n, "!=") || !strcmp(n, "<>"))
        return CMP_NE;
    if (!strcmp(n, "<"))
        return CMP_LT;
    if (!strcmp(n, "<="))
        return CMP_LE;
    if (!strcmp(n, ">"))
        return CMP_GT;
    if (!strcmp(n, ">="))
        return CMP_GE;
    if (!strcmp(n, "<=>"))
        return CMP_EQNS;
    return -1;
}

/* LIKE patterns without _ or escapes whose % only sit at the ends reduce
   to byte comparisons (equal code points have equal UTF-8 bytes). */
static bool like_shape(const char *p, int32_t n, int *mode, const char **core, int32_t *corelen)
{
    int32_t lo = 0, hi = n;
    bool lead = false, trail = false;
    while (lo < hi && p[lo] == '%') {
        lo++;
        lead = true;
    }
    while (hi > lo && p[hi - 1] == '%') {
        hi--;
        trail = true;
    }
    for (int32_t i = lo; i < hi; i++)
        if (p[i] == '%' || p[i] == '_' || p[i] == '\\')
            return false;
    if (lo == n) { /* only % signs: matches everything, contains "" */
        *mode = LIKE_CONTAINS;
    } else {
        *mode = lead && trail ? LIKE_CONTAINS : lead ? LIKE_SUFFIX : trail ? LIKE_PREFIX : LIKE_EXACT;
    }
    *core = p + lo;
    *corelen = hi - lo;
    return true;
}

/* ------------------------------------------------------------ compile */

typedef struct compiler {
    lm_eval_ctx *ec;
    lm_vexpr *prog;
    bool oom;
} compiler;

static vnode *new_node(compiler *c, vkind k, const lm_expr *e)
{
    vnode *n = lm_arena_calloc(&c->prog->arena, 1, sizeof *n);
    if (n == NULL) {
        c->oom = true;
        return NULL;
    }
    n->kind = k;
    n->e = e;
    n->type = e->type;
    return n;
}

static int max_ordinal(const lm_expr *e)
{
    if (e == NULL)
        return -1;
    int m = e->kind == LM_EXPR_BOUND ? e->ordinal : -1;
    for (int i = 0; i < e->nargs; i++) {
        int k = max_ordinal(e->args[i]);
        m = k > m ? k : m;
    }
    int k = max_ordinal(e->filter);
    m = k > m ? k : m;
    for (int i = 0; i < e->norder; i++) {
        k = max_ordinal(e->order[i]);
        m = k > m ? k : m;
    }
    if (e->window) {
        for (int i = 0; i < e->window->npartition; i++) {
            k = max_ordinal(e->window->partition[i]);
            m = k > m ? k : m;
        }
        for (int i = 0; i < e->window->norder; i++) {
            k = max_ordinal(e->window->order[i]);
            m = k > m ? k : m;
        }
    }
    return m;
}

static vnode *rows_node(compiler *c, const lm_expr *e)
{
    vnode *n = new_node(c, VK_ROWS, e);
    if (n == NULL)
        return NULL;
    c->prog->native = false;
    int maxo = -1;
    /* find the widest ordinal first, then list the columns read */
    int width = max_ordinal(e) + 1;
    bool *need = calloc((size_t)width + 1, sizeof *need);
    if (need == NULL) {
        c->oom = true;
        return NULL;
    }
    bool listed = lm_expr_columns(e, need, width);
    for (int i = 0; i < width; i++)
        if (need[i])
            maxo = i;
    if (!listed) {
        n->nneed = -1;
    } else {
        int cnt = 0;
        for (int i = 0; i <= maxo; i++)
            cnt += need[i];
        n->need = lm_arena_alloc(&c->prog->arena, sizeof *n->need * (size_t)(cnt + 1));
        if (n->need == NULL) {
            free(need);
            c->oom = true;
            return NULL;
        }
        for (int i = 0; i <= maxo; i++)
            if (need[i])
                n->need[n->nneed++] = i;
    }
    free(need);
    return n;
}

static vnode *compile(compiler *c, const lm_expr *e);

static vnode *compile_const(compiler *c, const lm_expr *e)
{
    lm_arena scratch;
    lm_arena_init(&scratch, 1024);
    lm_arena *saved = c->ec->arena;
    c->ec->arena = &scratch;
    lm_value v;
    lm_status st = lm_eval_expr(c->ec, e, NULL, &v);
    c->ec->arena = saved;
    vnode *n = NULL;
    if (st != LM_OK) {
        /* the row path raises this per row (or not at all on no rows) */
        lm_error_clear(c->ec->err);
        n = rows_node(c, e);
    } else if ((n = new_node(c, VK_CONST, e)) != NULL) {
        if (!lm_value_copy(&c->prog->arena, e->type, &v, &n->cval))
            c->oom = true;
    }
    lm_arena_free(&scratch);
    return n;
}

static vnode *compile_call(compiler *c, const lm_expr *e)
{
    const char *name = e->fn->name;
    int op;
    if (e->nargs == 2 && (op = arith_op(name)) >= 0) {
        lm_type_id l = e->args[0]->type->id, r = e->args[1]->type->id, t = e->type->id;
        bool ok = l == r && l == t && (is_int_id(t) || is_float_id(t)) &&
                  !(op == OP_DIV && is_int_id(t));
        if (!ok)
            return rows_node(c, e);
        vnode *n = new_node(c, VK_ARITH, e);
        if (n == NULL)
            return NULL;
        n->op = op;
        n->a = compile(c, e->args[0]);
        n->b = compile(c, e->args[1]);
        return n->a && n->b ? n : NULL;
    }
    if (e->nargs == 2 && (op = cmp_op(name)) >= 0) {
        lm_type_id l = e->args[0]->type->id, r = e->args[1]->type->id;
        bool ok = l == r && (is_i64_like(l) || is_float_id(l) || l == LM_TYPE_BOOLEAN ||
                             l == LM_TYPE_STRING);
        if (!ok)
            return rows_node(c, e);
        vnode *n = new_node(c, VK_CMP, e);
        if (n == NULL)
            return NULL;
        n->op = op;
        n->a = compile(c, e->args[0]);
        n->b = compile(c, e->args[1]);
        return n->a && n->b ? n : NULL;
    }
    if (e->nargs == 2 && (!strcmp(name, "and") || !strcmp(name, "or"))) {
        vnode *n = new_node(c, name[0] == 'a' ? VK_AND : VK_OR, e);
        if (n == NULL)
            return NULL;
        n->a = compile(c, e->args[0]);
        n->b = compile(c, e->args[1]);
        return n->a && n->b ? n : NULL;
    }
    if (e->nargs == 1 && (!strcmp(name, "not") || !strcmp(name, "!"))) {
        vnode *n = new_node(c, VK_NOT, e);
        if (n == NULL)
            return NULL;
        n->a = compile(c, e->args[0]);
        return n->a ? n : NULL;
    }
    if (e->nargs == 1 && (!strcmp(name, "isnull") || !strcmp(name, "isnotnull"))) {
        vnode *n = new_node(c, strcmp(name, "isnull") == 0 ? VK_ISNULL : VK_ISNOTNULL, e);
        if (n == NULL)
            return NULL;
        n->a = compile(c, e->args[0]);
        return n->a ? n : NULL;
    }
    if (e->nargs == 2 && !strcmp(name, "like") && e->args[0]->type->id == LM_TYPE_STRING &&
        is_constant(e->args[1])) {
        vnode *pat = compile_const(c, e->args[1]);
        if (pat == NULL)
            return NULL;
        int mode;
        const char *core;
        int32_t corelen;
        if (pat->kind != VK_CONST || pat->cval.is_null ||
            !like_shape(pat->cval.u.str.ptr, pat->cval.u.str.len, &mode, &core, &corelen))
            return rows_node(c, e);
        vnode *n = new_node(c, VK_LIKE, e);
        if (n == NULL)
            return NULL;
        n->op = mode;
        n->pat = core;
        n->patlen = corelen;
        n->a = compile(c, e->args[0]);
        return n->a ? n : NULL;
    }
    return rows_node(c, e);
}

/* Widening numeric casts only: they never fail and never round
   differently from cast.c (integral to double rounds as C does). */
static bool cast_ok(lm_type_id from, lm_type_id to)
{
    static const int rank[LM_TYPE__COUNT] = {[LM_TYPE_BYTE] = 1, [LM_TYPE_SHORT] = 2,
                                             [LM_TYPE_INT] = 3, [LM_TYPE_LONG] = 4};
    if (is_int_id(from) && is_int_id(to))
        return rank[to] >= rank[from];
    if (is_int_id(from) && is_float_id(to))
        return true;
    return from == LM_TYPE_FLOAT && to == LM_TYPE_DOUBLE;
}

static vnode *compile(compiler *c, const lm_expr *e)
{
    if (c->oom)
        return NULL;
    switch (e->kind) {
    case LM_EXPR_BOUND: {
        vnode *n = new_node(c, VK_COL, e);
        if (n)
            n->ordinal = e->ordinal;
        return n;
    }
    case LM_EXPR_ALIAS:
        return compile(c, e->args[0]);
    default:
        break;
    }
    if (is_constant(e))
        return compile_const(c, e);
    if (e->kind == LM_EXPR_CAST) {
        lm_type_id from = e->args[0]->type->id, to = e->type->id;
        if (from == to && lm_type_equal(e->args[0]->type, e->type))
            return compile(c, e->args[0]);
        if (!cast_ok(from, to))
            return rows_node(c, e);
        vnode *n = new_node(c, VK_CAST, e);
        if (n == NULL)
            return NULL;
        n->a = compile(c, e->args[0]);
        return n->a ? n : NULL;
    }
    if (e->kind == LM_EXPR_CALL && e->fn && e->fn->kind == LM_FN_SCALAR &&
        !(e->fn->flags & LM_FN_NONDETERMINISTIC))
        return compile_call(c, e);
    return rows_node(c, e);
}

lm_vexpr *lm_vexpr_compile(lm_eval_ctx *ec, const lm_expr *e)
{
    lm_vexpr *v = calloc(1, sizeof *v);
    if (v == NULL) {
        lm_error_oom(ec->err);
        return NULL;
    }
    lm_arena_init(&v->arena, 1024);
    v->native = true;
    compiler c = {ec, v, false};
    v->root = compile(&c, e);
    if (v->root == NULL || c.oom) {
        lm_vexpr_free(v);
        lm_error_oom(ec->err);
        return NULL;
    }
    return v;
}

void lm_vexpr_free(lm_vexpr *v)
{
    if (v == NULL)
        return;
    lm_arena_free(&v->arena);
    free(v);
}

bool lm_vexpr_is_column(const lm_vexpr *v, int *ordinal)
{
    if (v->root->kind != VK_COL)
        return false;
    *ordinal = v->root->ordinal;
    return true;
}

bool lm_vexpr_is_native(const lm_vexpr *v)
{
    return v->native;
}

/* ------------------------------------------------------------ loads / stores */

static void load_valid(const vres *r, int32_t n, uint8_t *valid)
{
    if (r->is_const) {
        memset(valid, r->c.is_null ? 0 : 1, (size_t)n);
        return;
    }
    const lm_vector *v = r->v;
    if (v->type->id == LM_TYPE_NULL) {
        memset(valid, 0, (size_t)n);
        return;
    }
    lm_vector_valid_bytes(v, n, valid);
}

static int64_t const_i64(const lm_value *c, lm_type_id id)
{
    return id == LM_TYPE_BOOLEAN ? (int64_t)c->u.b : c->u.i64;
}

static void load_i64(const vres *r, lm_type_id id, int32_t n, int64_t *out)
{
    if (r->is_const) {
        int64_t x = r->c.is_null ? 0 : const_i64(&r->c, id);
        for (int32_t i = 0; i < n; i++)
            out[i] = x;
        return;
    }
    const void *d = r->v->data;
    switch (r->v->type->id) {
    case LM_TYPE_BOOLEAN:
        for (int32_t i = 0; i < n; i++)
            out[i] = ((const uint8_t *)d)[i];
        break;
    case LM_TYPE_BYTE:
        for (int32_t i = 0; i < n; i++)
            out[i] = ((const int8_t *)d)[i];
        break;
    case LM_TYPE_SHORT:
        for (int32_t i = 0; i < n; i++)
            out[i] = ((const int16_t *)d)[i];
        break;
    case LM_TYPE_INT:
    case LM_TYPE_DATE:
    case LM_TYPE_YM_INTERVAL:
        for (int32_t i = 0; i < n; i++)
            out[i] = ((const int32_t *)d)[i];
        break;
    case LM_TYPE_LONG:
    case LM_TYPE_TIMESTAMP:
    case LM_TYPE_TIMESTAMP_NTZ:
    case LM_TYPE_DT_INTERVAL:
        memcpy(out, d, sizeof *out * (size_t)n);
        break;
    default:
        memset(out, 0, sizeof *out * (size_t)n);
        break;
    }
}

static void load_f64(const vres *r, int32_t n, double *out)
{
    if (r->is_const) {
        double x = r->c.is_null ? 0 : r->c.u.f64;
        for (int32_t i = 0; i < n; i++)
            out[i] = x;
        return;
    }
    const void *d = r->v->data;
    if (r->v->type->id == LM_TYPE_FLOAT) {
        for (int32_t i = 0; i < n; i++)
            out[i] = (double)((const float *)d)[i];
    } else if (r->v->type->id == LM_TYPE_DOUBLE) {
        memcpy(out, d, sizeof *out * (size_t)n);
    } else {
        memset(out, 0, sizeof *out * (size_t)n);
    }
}

/* Constants of FLOAT type hold f32; load_f64 needs the widened value. */
static void load_f64_typed(const vres *r, lm_type_id id, int32_t n, double *out)
{
    if (r->is_const && id == LM_TYPE_FLOAT) {
        double x = r->c.is_null ? 0 : (double)r->c.u.f32;
        for (int32_t i = 0; i < n; i++)
            out[i] = x;
        return;
    }
    load_f64(r, n, out);
}

static void store_validity(lm_vector *v, int32_t n, const uint8_t *valid)
{
    uint8_t *bits = v->validity;
    int32_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, valid + i, 8);
        if (w == 0x0101010101010101ULL) {
            bits[i >> 3] = 0xFF;
            continue;
        }
        uint8_t byte = 0;
        for (int k = 0; k < 8; k++)
            byte |= (uint8_t)((valid[i + k] & 1) << k);
        bits[i >> 3] = byte;
    }
    if (i < n) {
        uint8_t byte = 0;
        for (int k = 0; i + k < n; k++)
            byte |= (uint8_t)((valid[i + k] & 1) << k);
        bits[i >> 3] = byte;
    }
    v->length = n;
}

static lm_vector *new_vec(const lm_type *t, int32_t n)
{
    return lm_vector_new(t, n > 0 ? n : 1);
}

/* Writes int64 values into a vector of an integral-like or boolean type;
   null slots are stored as 0 so later kernels read defined bytes. */
static void store_i64(lm_vector *v, int32_t n, const int64_t *x, const uint8_t *valid)
{
    void *d = v->data;
    switch (v->type->id) {
    case LM_TYPE_BOOLEAN:
        for (int32_t i = 0; i < n; i++)
            ((uint8_t *)d)[i] = valid[i] ? (uint8_t)(x[i] != 0) : 0;
        break;
    case LM_TYPE_BYTE:
        for (int32_t i = 0; i < n; i++)
            ((int8_t *)d)[i] = valid[i] ? (int8_t)x[i] : 0;
        break;
    case LM_TYPE_SHORT:
        for (int32_t i = 0; i < n; i++)
            ((int16_t *)d)[i] = valid[i] ? (int16_t)x[i] : 0;
        break;
    case LM_TYPE_INT:
    case LM_TYPE_DATE:
    case LM_TYPE_YM_INTERVAL:
        for (int32_t i = 0; i < n; i++)
            ((int32_t *)d)[i] = valid[i] ? (int32_t)x[i] : 0;
        break;
    default:
        for (int32_t i = 0; i < n; i++)
            ((int64_t *)d)[i] = valid[i] ? x[i] : 0;
        break;
    }
    store_validity(v, n, valid);
}

static void store_f64(lm_vector *v, int32_t n, const double *x, const uint8_t *valid)
{
    if (v->type->id == LM_TYPE_FLOAT) {
        float *d = v->data;
        for (int32_t i = 0; i < n; i++)
            d[i] = valid[i] ? (float)x[i] : 0.0f;
    } else {
        double *d = v->data;
        for (int32_t i = 0; i < n; i++)
            d[i] = valid[i] ? x[i] : 0.0;
    }
    store_validity(v, n, valid);
}

/* ------------------------------------------------------------ evaluation */

static lm_status eval_node(lm_eval_ctx *ec, const vnode *n, const lm_batch *b, vres *out);

static void vres_drop(vres *r)
{
    if (r->v)
        lm_vector_free(r->v);
    r->v = NULL;
}

static lm_status oom(lm_eval_ctx *ec)
{
    return lm_error_oom(ec->err);
}

/* The failure that makes the caller redo a batch on the row path. */
static lm_status redo(lm_eval_ctx *ec)
{
    return lm_error_set(ec->err, LM_ERROR, LM_EXC_RUNTIME, "INTERNAL_ERROR", "XX000",
                        "vectorized evaluation needs the row interpreter for this batch");
}

static void *xmalloc(size_t n)
{
    return malloc(n ? n : 1);
}

static uint64_t wrap_to(lm_type_id id, uint64_t x)
{
    switch (id) {
    case LM_TYPE_BYTE: return (uint64_t)(int64_t)(int8_t)(uint8_t)x;
    case LM_TYPE_SHORT: return (uint64_t)(int64_t)(int16_t)(uint16_t)x;
    case LM_TYPE_INT: return (uint64_t)(int64_t)(int32_t)(uint32_t)x;
    default: return x;
    }
}

static lm_status eval_arith_int(lm_eval_ctx *ec, const vnode *n, int32_t nr, const int64_t *a,
                                const int64_t *bb, uint8_t *valid, int64_t *r)
{
    lm_type_id t = n->type->id;
    bool bad = false;
    switch (n->op) {
    case OP_ADD:
        for (int32_t i = 0; i < nr; i++) {
            int64_t s;
            bad |= valid[i] & __builtin_add_overflow(a[i], bb[i], &s);
            r[i] = (int64_t)wrap_to(t, (uint64_t)a[i] + (uint64_t)bb[i]);
            if (t != LM_TYPE_LONG)
                bad |= valid[i] & (r[i] != s);
        }
        break;
    case OP_SUB:
        for (int32_t i = 0; i < nr; i++) {
            int64_t s;
            bad |= valid[i] & __builtin_sub_overflow(a[i], bb[i], &s);
            r[i] = (int64_t)wrap_to(t, (uint64_t)a[i] - (uint64_t)bb[i]);
            if (t != LM_TYPE_LONG)
                bad |= valid[i] & (r[i] != s);
        }
        break;
    case OP_MUL:
        for (int32_t i = 0; i < nr; i++) {
            int64_t s;
            bad |= valid[i] & __builtin_mul_overflow(a[i], bb[i], &s);
            r[i] = (int64_t)wrap_to(t, (uint64_t)a[i] * (uint64_t)bb[i]);
            if (t != LM_TYPE_LONG)
                bad |= valid[i] & (r[i] != s);
        }
        break;
    default: /* REM: Java semantics, % 0 is NULL */
        for (int32_t i = 0; i < nr; i++) {
            if (bb[i] == 0) {
                bad |= valid[i] & ec->ansi;
                valid[i] = 0;
                r[i] = 0;
            } else {
                r[i] = bb[i] == -1 ? 0 : a[i] % bb[i];
            }
        }
        return bad ? redo(ec) : LM_OK;
    }
    return (bad && ec->ansi) ? redo(ec) : LM_OK;
}

static lm_status eval_arith_float(lm_eval_ctx *ec, const vnode *n, int32_t nr, const double *a,
                                  const double *bb, uint8_t *valid, double *r)
{
    switch (n->op) {
    case OP_ADD:
        for (int32_t i = 0; i < nr; i++)
            r[i] = a[i] + bb[i];
        break;
    case OP_SUB:
        for (int32_t i = 0; i < nr; i++)
            r[i] = a[i] - bb[i];
        break;
    case OP_MUL:
        for (int32_t i = 0; i < nr; i++)
            r[i] = a[i] * bb[i];
        break;
    default: {
        bool bad = false;
        for (int32_t i = 0; i < nr; i++) {
            if (bb[i] == 0) {
                bad |= valid[i] & ec->ansi;
                valid[i] = 0;
                r[i] = 0;
            } else {
                r[i] = n->op == OP_DIV ? a[i] / bb[i] : fmod(a[i], bb[i]);
            }
        }
        if (bad)
            return redo(ec);
        break;
    }
    }
    return LM_OK;
}

/* r = a op b for + - * where each side is a vector (ca/cb unused) or,
   when its pointer is NULL, the constant ca/cb; integers wrap as Java's. */
#define ARITH_LOOP(T, U, op, a, ca, b, cb, r, n)                                                   \
    do {                                                                                           \
        T *restrict r_ = (r);                                                                      \
        const T *restrict a_ = (a), *restrict b_ = (b);                                            \
        for (int32_t i = 0; i < (n); i++) {                                                        \
            T x_ = a_ ? a_[i] : (ca), y_ = b_ ? b_[i] : (cb);                                      \
            r_[i] = (op) == OP_ADD   ? (T)((U)x_ + (U)y_)                                          \
                    : (op) == OP_SUB ? (T)((U)x_ - (U)y_)                                          \
                                     : (T)((U)x_ * (U)y_);                                         \
        }                                                                                          \
    } while (0)

#define ARITH_KERNEL(name, T, U)                                                                   \
    static LM_SIMD_CLONES void name(int op, const T *a, T ca, const T *b, T cb, T *r, int32_t n)   \
    {                                                                                              \
        if (a && b) {                                                                              \
            if (op == OP_ADD) ARITH_LOOP(T, U, OP_ADD, a, ca, b, cb, r, n);                        \
            else if (op == OP_SUB) ARITH_LOOP(T, U, OP_SUB, a, ca, b, cb, r, n);                   \
            else ARITH_LOOP(T, U, OP_MUL, a, ca, b, cb, r, n);                                     \
        } else if (a) {                                                                            \
            if (op == OP_ADD) ARITH_LOOP(T, U, OP_ADD, a, ca, (const T *)NULL, cb, r, n);          \
            else if (op == OP_SUB) ARITH_LOOP(T, U, OP_SUB, a, ca, (const T *)NULL, cb, r, n);     \
            else ARITH_LOOP(T, U, OP_MUL, a, ca, (const T *)NULL, cb, r, n);                       \
        } else {                                                                                   \
            if (op == OP_ADD) ARITH_LOOP(T, U, OP_ADD, (const T *)NULL, ca, b, cb, r, n);          \
            else if (op == OP_SUB) ARITH_LOOP(T, U, OP_SUB, (const T *)NULL, ca, b, cb, r, n);     \
            else ARITH_LOOP(T, U, OP_MUL, (const T *)NULL, ca, b, cb, r, n);                       \
        }                                                                                          \
    }

ARITH_KERNEL(arith_i32, int32_t, uint32_t)
ARITH_KERNEL(arith_i64, int64_t, uint64_t)
ARITH_KERNEL(arith_f64, double, double)

/* One side e (evaluated to r) of a fast arithmetic node: a vector or a
   non-NULL constant of the node's type t. */
static bool fast_side(const vnode *e, const vres *r, lm_type_id t)
{
    return r->is_const ? !r->c.is_null && e->type->id == t : r->v->type->id == t;
}

/*
 * + - * on two INT, LONG or DOUBLE operands of the result's type, without
 * ANSI overflow checks (non-ANSI, or doubles): computed straight into the
 * result vector, validity the AND of the operands' bitmaps. False when
 * the node does not have that shape (the general path then runs).
 */
static bool arith_fast(lm_eval_ctx *ec, const vnode *n, const vres *x, const vres *y, int32_t nr,
                       lm_vector **out, lm_status *st)
{
    lm_type_id t = n->type->id;
    if (n->op > OP_MUL || nr <= 0 || (t != LM_TYPE_INT && t != LM_TYPE_LONG && t != LM_TYPE_DOUBLE) ||
        (ec->ansi && t != LM_TYPE_DOUBLE) || !fast_side(n->a, x, t) || !fast_side(n->b, y, t) ||
        (x->is_const && y->is_const))
        return false;
    lm_vector *v = new_vec(n->type, nr);
    if (v == NULL) {
        *st = oom(ec);
        return true;
    }
    const void *a = x->is_const ? NULL : x->v->data, *b = y->is_const ? NULL : y->v->data;
    if (t == LM_TYPE_INT)
        arith_i32(n->op, a, (int32_t)x->c.u.i64, b, (int32_t)y->c.u.i64, v->data, nr);
    else if (t == LM_TYPE_LONG)
        arith_i64(n->op, a, x->c.u.i64, b, y->c.u.i64, v->data, nr);
    else
        arith_f64(n->op, a, x->c.u.f64, b, y->c.u.f64, v->data, nr);
    /* validity: a constant side is all valid */
    int32_t nbytes = (nr + 7) / 8;
    const uint8_t *va = x->is_const ? NULL : x->v->validity;
    const uint8_t *vb = y->is_const ? NULL : y->v->validity;
    for (int32_t j = 0; j < nbytes; j++) {
        uint8_t m = (uint8_t)((va ? va[j] : 0xFF) & (vb ? vb[j] : 0xFF));
        if (j == nbytes - 1 && (nr & 7))
            m &= (uint8_t)((1u << (nr & 7)) - 1);
        v->validity[j] = m;
    }
    v->length = nr;
    /* null slots hold 0, as every kernel leaves them */
    if (!lm_vector_no_nulls(v)) {
        size_t w = t == LM_TYPE_INT ? 4 : 8;
        for (int32_t i = 0; i < nr; i++)
            if (lm_vector_is_null(v, i))
                memset((char *)v->data + w * (size_t)i, 0, w);
    }
    *out = v;
    *st = LM_OK;
    return true;
}

static lm_status eval_arith(lm_eval_ctx *ec, const vnode *n, const lm_batch *b, vres *out)
{
    vres x = {0}, y = {0};
    lm_status st = eval_node(ec, n->a, b, &x);
    if (st == LM_OK)
        st = eval_node(ec, n->b, b, &y);
    int32_t nr = b->nrows;
    lm_vector *fast = NULL;
    if (st == LM_OK && arith_fast(ec, n, &x, &y, nr, &fast, &st)) {
        vres_drop(&x);
        vres_drop(&y);
        out->v = fast;
        return st;
    }
    lm_type_id t = n->type->id;
    uint8_t *va = xmalloc((size_t)nr), *vb = xmalloc((size_t)nr);
    void *pa = xmalloc(8 * (size_t)nr), *pb = xmalloc(8 * (size_t)nr), *pr = xmalloc(8 * (size_t)nr);
    lm_vector *v = st == LM_OK ? new_vec(n->type, nr) : NULL;
    if (st == LM_OK && (!va || !vb || !pa || !pb || !pr || !v))
        st = oom(ec);
    if (st == LM_OK) {
        load_valid(&x, nr, va);
        load_valid(&y, nr, vb);
        for (int32_t i = 0; i < nr; i++)
            va[i] &= vb[i];
        if (is_int_id(t)) {
            load_i64(&x, t, nr, pa);
            load_i64(&y, t, nr, pb);
            st = eval_arith_int(ec, n, nr, pa, pb, va, pr);
            if (st == LM_OK)
                store_i64(v, nr, pr, va);
        } else {
            load_f64_typed(&x, t, nr, pa);
            load_f64_typed(&y, t, nr, pb);
            st = eval_arith_float(ec, n, nr, pa, pb, va, pr);
            if (st == LM_OK)
                store_f64(v, nr, pr, va);
        }
    }
    free(va);
    free(vb);
    free(pa);
    free(pb);
    free(pr);
    vres_drop(&x);
    vres_drop(&y);
    if (st != LM_OK) {
        lm_vector_free(v);
        return st;
    }
    out->v = v;
    return LM_OK;
}

static inline bool cmp_result(int op, int c)
{
    switch (op) {
    case CMP_EQ:
    case CMP_EQNS: return c == 0;
    case CMP_NE: return c != 0;
    case CMP_LT: return c < 0;
    case CMP_LE: return c <= 0;
    case CMP_GT: return c > 0;
    default: return c >= 0;
    }
}

static inline void str_at(const vres *r, int32_t i, const char **p, int32_t *len)
{
    if (r->is_const) {
        *p = r->c.u.str.ptr;
        *len = r->c.u.str.len;
        return;
    }
    const int32_t *off = r->v->data;
    *p = r->v->heap + off[i];
    *len = off[i + 1] - off[i];
}

static inline int cmp_bytes(const char *a, int32_t la, const char *b, int32_t lb)
{
    int32_t m = la < lb ? la : lb;
    int c = m > 0 ? memcmp(a, b, (size_t)m) : 0;
    if (c != 0)
        return c < 0 ? -1 : 1;
    return (la > lb) - (la < lb);
}

static lm_status eval_cmp(lm_eval_ctx *ec, const vnode *n, const lm_batch *b, vres *out)
{
    vres x = {0}, y = {0};
    lm_status st = eval_node(ec, n->a, b, &x);
    if (st == LM_OK)
        st = eval_node(ec, n->b, b, &y);
    int32_t nr = b->nrows;
    lm_type_id t = n->e->args[0]->type->id;
    uint8_t *va = xmalloc((size_t)nr), *vb = xmalloc((size_t)nr);
    uint8_t *r = NULL;
    void *pa = NULL, *pb = NULL;
    if (t != LM_TYPE_STRING) {
        pa = xmalloc(8 * (size_t)nr);
        pb = xmalloc(8 * (size_t)nr);
    }
    lm_vector *v = st == LM_OK ? new_vec(n->type, nr) : NULL;
    if (v)
        r = v->data; /* booleans are one byte each: write the result in place */
    if (st == LM_OK && (!va || !vb || !r || !v || (t != LM_TYPE_STRING && (!pa || !pb))))
        st = oom(ec);
    if (st == LM_OK) {
        load_valid(&x, nr, va);
        load_valid(&y, nr, vb);
        int op = n->op;
        if (t == LM_TYPE_STRING) {
            for (int32_t i = 0; i < nr; i++) {
                if (!(va[i] & vb[i])) {
                    r[i] = 0;
                    continue;
                }
                const char *s1, *s2;
                int32_t l1, l2;
                str_at(&x, i, &s1, &l1);
                str_at(&y, i, &s2, &l2);
                if (op == CMP_EQ || op == CMP_NE || op == CMP_EQNS) {
                    bool eq = l1 == l2 && lm_bytes_eq(s1, s2, l1);
                    r[i] = op == CMP_NE ? !eq : eq;
                } else {
                    r[i] = cmp_result(op, cmp_bytes(s1, l1, s2, l2));
                }
            }
        } else if (is_float_id(t)) {
            double *a = pa, *bb = pb;
            load_f64_typed(&x, t, nr, a);
            load_f64_typed(&y, t, nr, bb);
            for (int32_t i = 0; i < nr; i++)
                r[i] = cmp_result(op, lm_double_compare(a[i], bb[i]));
        } else if (!x.is_const && y.is_const && !y.c.is_null && op != CMP_EQNS &&
                   (x.v->type->id == LM_TYPE_INT || x.v->type->id == LM_TYPE_LONG)) {
            /* column against a constant, the usual filter shape: compare
               the column's own values without widening copies */
            int64_t c = y.c.u.i64;
            if (x.v->type->id == LM_TYPE_INT) {
                const int32_t *a = x.v->data;
                for (int32_t i = 0; i < nr; i++)
                    r[i] = cmp_result(op, (a[i] > c) - (a[i] < c));
            } else {
                const int64_t *a = x.v->data;
                for (int32_t i = 0; i < nr; i++)
                    r[i] = cmp_result(op, (a[i] > c) - (a[i] < c));
            }
        } else {
            int64_t *a = pa, *bb = pb;
            load_i64(&x, t, nr, a);
            load_i64(&y, t, nr, bb);
            switch (op) {
            case CMP_EQ:
            case CMP_EQNS:
                for (int32_t i = 0; i < nr; i++)
                    r[i] = a[i] == bb[i];
                break;
            case CMP_NE:
                for (int32_t i = 0; i < nr; i++)
                    r[i] = a[i] != bb[i];
                break;
            case CMP_LT:
                for (int32_t i = 0; i < nr; i++)
                    r[i] = a[i] < bb[i];
                break;
            case CMP_LE:
                for (int32_t i = 0; i < nr; i++)
                    r[i] = a[i] <= bb[i];
                break;
            case CMP_GT:
                for (int32_t i = 0; i < nr; i++)
                    r[i] = a[i] > bb[i];
                break;
            default:
                for (int32_t i = 0; i < nr; i++)
                    r[i] = a[i] >= bb[i];
                break;
            }
        }
        if (op == CMP_EQNS) {
            /* NULL <=> NULL is true, NULL <=> x false; never NULL */
            for (int32_t i = 0; i < nr; i++) {
                if (!(va[i] & vb[i]))
                    r[i] = !va[i] && !vb[i];
                va[i] = 1;
            }
        } else {
            for (int32_t i = 0; i < nr; i++)
                va[i] &= vb[i];
        }
        for (int32_t i = 0; i < nr; i++)
            r[i] &= va[i];
        store_validity(v, nr, va);
    }
    free(va);
    free(vb);
    free(pa);
    free(pb);
    vres_drop(&x);
    vres_drop(&y);
    if (st != LM_OK) {
        lm_vector_free(v);
        return st;
    }
    out->v = v;
    return LM_OK;
}

static lm_status eval_logic(lm_eval_ctx *ec, const vnode *n, const lm_batch *b, vres *out)
{
    vres x = {0}, y = {0};
    lm_status st = eval_node(ec, n->a, b, &x);
    if (st == LM_OK && n->b)
        st = eval_node(ec, n->b, b, &y);
    int32_t nr = b->nrows;
    uint8_t *va = xmalloc((size_t)nr), *vb = xmalloc((size_t)nr);
    int64_t *a = xmalloc(8 * (size_t)nr), *bb = xmalloc(8 * (size_t)nr);
    lm_vector *v = st == LM_OK ? new_vec(n->type, nr) : NULL;
    if (st == LM_OK && (!va || !vb || !a || !bb || !v))
        st = oom(ec);
    if (st == LM_OK) {
        load_valid(&x, nr, va);
        switch (n->kind) {
        case VK_ISNULL:
        case VK_ISNOTNULL:
            for (int32_t i = 0; i < nr; i++) {
                a[i] = n->kind == VK_ISNULL ? !va[i] : va[i];
                va[i] = 1;
            }
            break;
        case VK_NOT:
            load_i64(&x, LM_TYPE_BOOLEAN, nr, a);
            for (int32_t i = 0; i < nr; i++)
                a[i] = !a[i];
            break;
        default: {
            load_valid(&y, nr, vb);
            load_i64(&x, LM_TYPE_BOOLEAN, nr, a);
            load_i64(&y, LM_TYPE_BOOLEAN, nr, bb);
            bool and = n->kind == VK_AND;
            for (int32_t i = 0; i < nr; i++) {
                bool xa = va[i] && a[i], ya = vb[i] && bb[i];          /* known true */
                bool xf = va[i] && !a[i], yf = vb[i] && !bb[i];        /* known false */
                if (and) {
                    a[i] = !(xf || yf) && xa && ya;
                    va[i] = (xf || yf) || (va[i] && vb[i]);
                } else {
                    a[i] = xa || ya;
                    va[i] = (xa || ya) || (va[i] && vb[i]);
                }
            }
            break;
        }
        }
        store_i64(v, nr, a, va);
    }
    free(va);
    free(vb);
    free(a);
    free(bb);
    vres_drop(&x);
    vres_drop(&y);
    if (st != LM_OK) {
        lm_vector_free(v);
        return st;
    }
    out->v = v;
    return LM_OK;
}

static lm_status eval_cast(lm_eval_ctx *ec, const vnode *n, const lm_batch *b, vres *out)
{
    vres x = {0};
    lm_status st = eval_node(ec, n->a, b, &x);
    int32_t nr = b->nrows;
    lm_type_id from = n->e->args[0]->type->id, to = n->type->id;
    uint8_t *va = xmalloc((size_t)nr);
    int64_t *a = xmalloc(8 * (size_t)nr);
    double *d = xmalloc(8 * (size_t)nr);
    lm_vector *v = st == LM_OK ? new_vec(n->type, nr) : NULL;
    if (st == LM_OK && (!va || !a || !d || !v))
        st = oom(ec);
    if (st == LM_OK) {
        load_valid(&x, nr, va);
        if (is_int_id(to)) {
            load_i64(&x, from, nr, a);
            store_i64(v, nr, a, va);
        } else if (is_int_id(from) && to == LM_TYPE_FLOAT) {
            /* cast.c converts integrals to float directly, not via double */
            load_i64(&x, from, nr, a);
            float *f = v->data;
            for (int32_t i = 0; i < nr; i++)
                f[i] = va[i] ? (float)a[i] : 0.0f;
            store_validity(v, nr, va);
        } else if (is_int_id(from)) {
            load_i64(&x, from, nr, a);
            for (int32_t i = 0; i < nr; i++)
                d[i] = (double)a[i];
            store_f64(v, nr, d, va);
        } else {
            load_f64_typed(&x, from, nr, d);
            store_f64(v, nr, d, va);
        }
    }
    free(va);
    free(a);
    free(d);
    vres_drop(&x);
    if (st != LM_OK) {
        lm_vector_free(v);
        return st;
    }
    out->v = v;
    return LM_OK;
}

static bool like_one(const vnode *n, const char *s, int32_t len)
{
    const char *p = n->pat;
    int32_t m = n->patlen;
    switch (n->op) {
    case LIKE_EXACT:
        return len == m && (m == 0 || memcmp(s, p, (size_t)m) == 0);
    case LIKE_PREFIX:
        return len >= m && (m == 0 || memcmp(s, p, (size_t)m) == 0);
    case LIKE_SUFFIX:
        return len >= m && (m == 0 || memcmp(s + len - m, p, (size_t)m) == 0);
    default:
        if (m == 0)
            return true;
        if (len < m)
            return false;
        for (int32_t i = 0; i + m <= len; i++)
            if (s[i] == p[0] && memcmp(s + i, p, (size_t)m) == 0)
                return true;
        return false;
    }
}

static lm_status eval_like(lm_eval_ctx *ec, const vnode *n, const lm_batch *b, vres *out)
{
    vres x = {0};
    lm_status st = eval_node(ec, n->a, b, &x);
    int32_t nr = b->nrows;
    uint8_t *va = xmalloc((size_t)nr);
    int64_t *r = xmalloc(8 * (size_t)nr);
    lm_vector *v = st == LM_OK ? new_vec(n->type, nr) : NULL;
    if (st == LM_OK && (!va || !r || !v))
        st = oom(ec);
    if (st == LM_OK) {
        load_valid(&x, nr, va);
        for (int32_t i = 0; i < nr; i++) {
            r[i] = 0;
            if (va[i]) {
                const char *s;
                int32_t len;
                str_at(&x, i, &s, &len);
                r[i] = like_one(n, s, len);
            }
        }
        store_i64(v, nr, r, va);
    }
    free(va);
    free(r);
    vres_drop(&x);
    if (st != LM_OK) {
        lm_vector_free(v);
        return st;
    }
    out->v = v;
    return LM_OK;
}

/* Row interpreter for one subtree over the batch. */
static lm_status eval_rows(lm_eval_ctx *ec, const lm_expr *e, int nneed, const int *need,
                           const lm_batch *b, lm_vector **out)
{
    int32_t nr = b->nrows;
    int w = b->ncols;
    lm_value *row = calloc((size_t)w + 1, sizeof *row);
    lm_vector *v = new_vec(e->type, nr);
    if (row == NULL || v == NULL) {
        free(row);
        lm_vector_free(v);
        return oom(ec);
    }
    for (int c = 0; c < w; c++)
        row[c] = lm_value_null();
    lm_arena scratch;
    lm_arena_init(&scratch, 16 * 1024);
    lm_arena *saved = ec->arena;
    ec->arena = &scratch;
    lm_status st = LM_OK;
    for (int32_t i = 0; st == LM_OK && i < nr; i++) {
        if (nneed < 0) {
            if (!lm_batch_get_row(b, i, row, &scratch))
                st = oom(ec);
        } else {
            for (int k = 0; k < nneed && st == LM_OK; k++)
                if (need[k] < w && !lm_vector_get(b->cols[need[k]], i, &row[need[k]], &scratch))
                    st = oom(ec);
        }
        lm_value r;
        if (st == LM_OK)
            st = lm_eval_expr(ec, e, row, &r);
        if (st == LM_OK && lm_vector_append(v, &r) != LM_OK)
            st = oom(ec);
        if ((i & 255) == 255 && st == LM_OK) {
            /* values were copied into v; keep the scratch small */
            lm_arena_free(&scratch);
        }
    }
    ec->arena = saved;
    lm_arena_free(&scratch);
    free(row);
    if (st != LM_OK) {
        lm_vector_free(v);
        return st;
    }
    *out = v;
    return LM_OK;
}

static lm_status eval_node(lm_eval_ctx *ec, const vnode *n, const lm_batch *b, vres *out)
{
    out->v = NULL;
    out->is_const = false;
    switch (n->kind) {
    case VK_COL:
        if (n->ordinal >= b->ncols)
            return redo(ec);
        out->v = lm_vector_ref(b->cols[n->ordinal]);
        return LM_OK;
    case VK_CONST:
        out->is_const = true;
        out->c = n->cval;
        return LM_OK;
    case VK_ARITH:
        return eval_arith(ec, n, b, out);
    case VK_CMP:
        return eval_cmp(ec, n, b, out);
    case VK_AND:
    case VK_OR:
    case VK_NOT:
    case VK_ISNULL:
    case VK_ISNOTNULL:
        return eval_logic(ec, n, b, out);
    case VK_CAST:
        return eval_cast(ec, n, b, out);
    case VK_LIKE:
        return eval_like(ec, n, b, out);
    default:
        return eval_rows(ec, n->e, n->nneed, n->need, b, &out->v);
    }
}

static lm_status spread_const(lm_eval_ctx *ec, const lm_type *t, const lm_value *c, int32_t nr,
                              lm_vector **out)
{
    lm_vector *v = new_vec(t, nr);
    if (v == NULL)
        return oom(ec);
    lm_type_id id = t->id;
    if (!c->is_null && (is_i64_like(id) || id == LM_TYPE_BOOLEAN || is_float_id(id))) {
        /* fixed-width constants are written directly, no append per row */
        uint8_t *valid = xmalloc((size_t)nr);
        int64_t *x = xmalloc(8 * (size_t)nr);
        double *d = xmalloc(8 * (size_t)nr);
        if (valid == NULL || x == NULL || d == NULL) {
            free(valid);
            free(x);
            free(d);
            lm_vector_free(v);
            return oom(ec);
        }
        memset(valid, 1, (size_t)nr);
        for (int32_t i = 0; i < nr; i++) {
            x[i] = const_i64(c, id);
            d[i] = id == LM_TYPE_FLOAT ? (double)c->u.f32 : c->u.f64;
        }
        if (is_float_id(id))
            store_f64(v, nr, d, valid);
        else
            store_i64(v, nr, x, valid);
        free(valid);
        free(x);
        free(d);
        *out = v;
        return LM_OK;
    }
    for (int32_t i = 0; i < nr; i++)
        if (lm_vector_append(v, c) != LM_OK) {
            lm_vector_free(v);
            return oom(ec);
        }
    *out = v;
    return LM_OK;
}

lm_status lm_vexpr_eval(lm_eval_ctx *ec, const lm_vexpr *v, const lm_batch *b, lm_vector **out)
{
    vres r;
    *out = NULL;
    lm_status st = eval_node(ec, v->root, b, &r);
    if (st != LM_OK)
        return st;
    if (r.is_const)
        return spread_const(ec, v->root->type, &r.c, b->nrows, out);
    *out = r.v;
    return LM_OK;
}

/* keep[i] &= (a[i] OP c) over n rows, the operator outside the loop. */
#define AND_CMP(T, a, c, op, keep, n)                                                             \
    do {                                                                                           \
        const T *restrict x_ = (a);                                                                \
        uint8_t *restrict k_ = (keep);                                                             \
        switch (op) {                                                                              \
        case CMP_EQ: for (int32_t i = 0; i < (n); i++) k_[i] &= x_[i] == (c); break;               \
        case CMP_NE: for (int32_t i = 0; i < (n); i++) k_[i] &= x_[i] != (c); break;               \
        case CMP_LT: for (int32_t i = 0; i < (n); i++) k_[i] &= x_[i] < (c); break;                \
        case CMP_LE: for (int32_t i = 0; i < (n); i++) k_[i] &= x_[i] <= (c); break;               \
        case CMP_GT: for (int32_t i = 0; i < (n); i++) k_[i] &= x_[i] > (c); break;                \
        default: for (int32_t i = 0; i < (n); i++) k_[i] &= x_[i] >= (c); break;                   \
        }                                                                                          \
    } while (0)

/* keep[i] &= x[i] op c, for the three column types and their constant
   (the constant's type matches the values', so every loop vectorizes) */
static LM_SIMD_CLONES void and_cmp_i32(const int32_t *x, int32_t c, int op, uint8_t *keep, int32_t n)
{
    AND_CMP(int32_t, x, c, op, keep, n);
}

static LM_SIMD_CLONES void and_cmp_i64(const int64_t *x, int64_t c, int op, uint8_t *keep, int32_t n)
{
    AND_CMP(int64_t, x, c, op, keep, n);
}

static LM_SIMD_CLONES void and_cmp_f64(const double *x, double c, int op, uint8_t *keep, int32_t n)
{
    /* NaN lies above c: it passes > and >= (IEEE says no); for the other
       operators IEEE's answer is already Spark's */
    const double *restrict y = x;
    uint8_t *restrict k = keep;
    if (op == CMP_GT)
        for (int32_t i = 0; i < n; i++)
            k[i] &= (y[i] > c) | (y[i] != y[i]);
    else if (op == CMP_GE)
        for (int32_t i = 0; i < n; i++)
            k[i] &= (y[i] >= c) | (y[i] != y[i]);
    else
        AND_CMP(double, x, c, op, keep, n);
}

/*
 * A conjunct `column OP constant` (either way round) ANDed straight into
 * keep, without building its boolean vector: the usual filter shape.
 * Integers, doubles (NaN above every number, as Spark orders it; a NaN
 * constant is left to the general path) and string (in)equality. False
 * when the conjunct has another shape; keep is then untouched.
 */
static bool and_cmp_const(const vnode *n, const lm_batch *b, uint8_t *keep, uint8_t *valid)
{
    /* NOT (x op c) is x (the opposite op) c: NULL stays NULL, and Spark's
       order of non-NULL values (NaN included) is total */
    bool negate = n->kind == VK_NOT && n->a && n->a->kind == VK_CMP;
    if (negate)
        n = n->a;
    if (n->kind != VK_CMP || n->op == CMP_EQNS)
        return false;
    const vnode *col = n->a, *cst = n->b;
    int op = n->op;
    if (negate)
        op = op == CMP_EQ ? CMP_NE : op == CMP_NE ? CMP_EQ : op == CMP_LT ? CMP_GE
           : op == CMP_LE ? CMP_GT : op == CMP_GT ? CMP_LE : CMP_LT;
    if (col->kind == VK_CONST && cst->kind == VK_COL) {
        col = n->b;
        cst = n->a;
        op = op == CMP_LT ? CMP_GT : op == CMP_GT ? CMP_LT : op == CMP_LE ? CMP_GE
           : op == CMP_GE ? CMP_LE : op;
    }
    if (col->kind != VK_COL || cst->kind != VK_CONST || cst->cval.is_null || col->ordinal >= b->ncols)
        return false;
    const lm_vector *v = b->cols[col->ordinal];
    lm_type_id t = v->type->id;
    int32_t nr = b->nrows;
    if (t != cst->type->id)
        return false;
    if (t == LM_TYPE_DOUBLE && isnan(cst->cval.u.f64))
        return false;
    if (t == LM_TYPE_STRING && op != CMP_EQ && op != CMP_NE)
        return false;
    if (t != LM_TYPE_INT && t != LM_TYPE_LONG && t != LM_TYPE_DOUBLE && t != LM_TYPE_STRING)
        return false;
    if (!lm_vector_no_nulls(v)) {
        lm_vector_valid_bytes(v, nr, valid);
        for (int32_t i = 0; i < nr; i++)
            keep[i] &= valid[i];
    }
    if (t == LM_TYPE_INT) {
        /* an INT constant (the types match) */
        and_cmp_i32(v->data, (int32_t)cst->cval.u.i64, op, keep, nr);
    } else if (t == LM_TYPE_LONG) {
        and_cmp_i64(v->data, cst->cval.u.i64, op, keep, nr);
    } else if (t == LM_TYPE_DOUBLE) {
        and_cmp_f64(v->data, cst->cval.u.f64, op, keep, nr);
    } else if (v->codes != NULL) {
        /* a coded column (strdict.h): the constant's code, once; a value
           no row has equals no row */
        int32_t code = lm_strdict_find(v->dict, cst->cval.u.str.ptr, cst->cval.u.str.len);
        if (code >= 0)
            and_cmp_i32(v->codes, code, op, keep, nr);
        else if (op == CMP_EQ)
            memset(keep, 0, (size_t)nr);
    } else {
        const int32_t *off = v->data;
        const char *cs = cst->cval.u.str.ptr;
        int32_t cl = cst->cval.u.str.len;
        bool want = op == CMP_EQ;
        for (int32_t i = 0; i < nr; i++) {
            int32_t l = off[i + 1] - off[i];
            bool eq = l == cl && lm_bytes_eq(v->heap + off[i], cs, cl);
            keep[i] &= eq == want;
        }
    }
    return true;
}

/* The indices of the rows whose keep byte is 1, into sel; their count.
   Eight bytes at a time: a multiply gathers their low bits into one
   byte, whose set bits are the kept rows. */
static int32_t kept_rows(const uint8_t *keep, int32_t n, int32_t *sel)
{
    int32_t k = 0, i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, keep + i, 8);
        w &= 0x0101010101010101ULL;
        if (w == 0x0101010101010101ULL) {
            for (int j = 0; j < 8; j++)
                sel[k + j] = i + j;
            k += 8;
            continue;
        }
        for (unsigned m = (unsigned)((w * 0x0102040810204080ULL) >> 56); m != 0; m &= m - 1)
            sel[k++] = i + __builtin_ctz(m);
    }
    for (; i < n; i++) {
        sel[k] = i;
        k += keep[i] & 1;
    }
    return k;
}

/* Collects the conjuncts of an AND tree. */
static int conjuncts(const vnode *n, const vnode **out, int k, int cap)
{
    if (n->kind == VK_AND && k + 2 <= cap) {
        k = conjuncts(n->a, out, k, cap);
        return conjuncts(n->b, out, k, cap);
    }
    if (k < cap)
        out[k++] = n;
    return k;
}

lm_status lm_vexpr_select(lm_eval_ctx *ec, const lm_vexpr *v, const lm_batch *b, int32_t *sel,
                          int32_t *n)
{
    vres r;
    *n = 0;
    /* a row passes when every conjunct is TRUE (one, when the root is
       not an AND): AND the conjuncts' bytes instead of building the
       three-valued AND vectors */
    const vnode *cj[32];
    int nc = conjuncts(v->root, cj, 0, 32);
    uint8_t keep_buf[LM_BATCH_ROWS], valid_buf[LM_BATCH_ROWS];
    uint8_t *keep = keep_buf, *valid = valid_buf;
    if (b->nrows > LM_BATCH_ROWS) {
        keep = xmalloc((size_t)b->nrows);
        valid = xmalloc((size_t)b->nrows);
        if (keep == NULL || valid == NULL) {
            free(keep);
            free(valid);
            return oom(ec);
        }
    }
    memset(keep, 1, (size_t)b->nrows);
    lm_status st = LM_OK;
    for (int c = 0; st == LM_OK && c < nc; c++) {
        if (and_cmp_const(cj[c], b, keep, valid))
            continue;
        st = eval_node(ec, cj[c], b, &r);
        if (st != LM_OK)
            break;
        if (r.is_const) {
            if (r.c.is_null || !r.c.u.b)
                memset(keep, 0, (size_t)b->nrows);
        } else if (r.v->type->id != LM_TYPE_BOOLEAN) {
            memset(keep, 0, (size_t)b->nrows);
        } else {
            const uint8_t *d = r.v->data, *bits = r.v->validity;
            for (int32_t i = 0; i < b->nrows; i++)
                keep[i] &= d[i] & (bits[i >> 3] >> (i & 7));
        }
        vres_drop(&r);
    }
    int32_t k = st == LM_OK ? kept_rows(keep, b->nrows, sel) : 0;
    if (keep != keep_buf) {
        free(keep);
        free(valid);
    }
    *n = k;
    return st;
}

lm_status lm_eval_batch_rows(lm_eval_ctx *ec, const lm_expr *e, const lm_batch *b,
                             lm_vector **out)
{
    return eval_rows(ec, e, -1, NULL, b, out);
}

lm_status lm_eval_batch(lm_eval_ctx *ec, const lm_expr *e, const lm_batch *b, lm_vector **out)
{
    *out = NULL;
    if (!lm_vexpr_supported(e))
        return lm_eval_batch_rows(ec, e, b, out);
    lm_vexpr *v = lm_vexpr_compile(ec, e);
    if (v == NULL)
        return LM_ENOMEM;
    lm_status st = lm_vexpr_eval(ec, v, b, out);
    lm_vexpr_free(v);
    if (st == LM_ENOMEM)
        return st;
    if (st != LM_OK) {
        lm_error_clear(ec->err);
        return lm_eval_batch_rows(ec, e, b, out);
    }
    return LM_OK;
}
