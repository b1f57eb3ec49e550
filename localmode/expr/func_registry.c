/*
 * The function registry: the family tables of functions/ merged into one
 * array sorted by name, built once (pthread_once) and read-only after, so
 * lookups from any thread need no lock. Lookup is a binary search with
 * ASCII case folding, as Spark's FunctionRegistry ignores case.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "expr/func.h"
#include "functions/families.h"

static const lm_func_table *const k_tables[] = {
    &lm_funcs_operators,
    &lm_funcs_conditional,
    &lm_funcs_math,
    &lm_funcs_string,
    &lm_funcs_number_format,
    &lm_funcs_regexp,
    &lm_funcs_aggregate,
    &lm_funcs_collection,
    &lm_funcs_array,
    &lm_funcs_hof,
    &lm_funcs_datetime,
    &lm_funcs_misc,
    &lm_funcs_window,
    &lm_funcs_generator,
};

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static const lm_func_def **g_index;
static size_t g_count;

typedef struct ranked_def {
    const lm_func_def *def;
    size_t rank; /* position over all tables, in priority order */
} ranked_def;

static int cmp_def(const void *a, const void *b)
{
    const ranked_def *x = a, *y = b;
    int c = strcasecmp(x->def->name, y->def->name);
    if (c)
        return c;
    return x->rank < y->rank ? -1 : x->rank > y->rank;
}

/* Builds the sorted index. Names are unique across the family tables;
   should one repeat, a single entry is kept. */
static void build_index(void)
{
    size_t total = 0;
    for (size_t t = 0; t < sizeof k_tables / sizeof k_tables[0]; t++)
        total += k_tables[t]->count;
    ranked_def *r = malloc(sizeof *r * (total ? total : 1));
    const lm_func_def **idx = malloc(sizeof *idx * (total ? total : 1));
    if (r == NULL || idx == NULL) {
        free(r);
        free(idx);
        return;
    }
    size_t n = 0;
    for (size_t t = 0; t < sizeof k_tables / sizeof k_tables[0]; t++)
        for (size_t i = 0; i < k_tables[t]->count; i++, n++) {
            r[n].def = &k_tables[t]->defs[i];
            r[n].rank = n;
        }
    /* ties on the name are broken by rank, so the earlier table comes first */
    qsort(r, n, sizeof *r, cmp_def);
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        if (w > 0 && strcasecmp(idx[w - 1]->name, r[i].def->name) == 0)
            continue;
        idx[w++] = r[i].def;
    }
    free(r);
    g_index = idx;
    g_count = w;
}

static void ensure_index(void)
{
    pthread_once(&g_once, build_index);
}

const lm_func_def *lm_func_lookup(const char *name)
{
    if (name == NULL)
        return NULL;
    ensure_index();
    size_t lo = 0, hi = g_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcasecmp(g_index[mid]->name, name);
        if (c == 0)
            return g_index[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

void lm_func_foreach(void (*fn)(const lm_func_def *, void *), void *arg)
{
    ensure_index();
    for (size_t i = 0; i < g_count; i++)
        fn(g_index[i], arg);
}

bool lm_func_is_higher_order(const lm_func_def *fn)
{
    return fn >= lm_funcs_hof.defs && fn < lm_funcs_hof.defs + lm_funcs_hof.count;
}
