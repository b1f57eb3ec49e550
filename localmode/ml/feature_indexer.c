/*
 * StringIndexer / StringIndexerModel and IndexToString.
 *
 * Fitting counts the distinct values of each input column (numeric
 * columns are indexed by their string cast, as Spark casts them; NULLs
 * are not labels) and orders them by stringOrderType:
 *  - frequencyDesc (default) / frequencyAsc: by count, ties broken
 *    alphabetically ascending, as Spark 3 does for both;
 *  - alphabetDesc / alphabetAsc: by the string (byte order).
 * Transforming maps a value to its label's position as a double and marks
 * the output with a nominal ML attribute holding the labels. NULLs
 * and unseen values follow handleInvalid: "error" fails with Spark's
 * messages, "skip" drops the row, "keep" maps them to numLabels.
 */
#include <stdlib.h>
#include <string.h>

#include "ml/transform.h"
#include "render/render.h"

static const ml_param_def k_params[] = {
    P_STR_NODEF("inputCol"),
    P_STR_NODEF("outputCol"),
    P_STRS("inputCols"),
    P_STRS("outputCols"),
    P_CHOICE("handleInvalid", "error", HANDLE_INVALID_3),
    P_CHOICE("stringOrderType", "frequencyDesc",
             "frequencyDesc|frequencyAsc|alphabetDesc|alphabetAsc"),
};

/* The fitted labels of each column, and a sorted index for lookups. */
typedef struct idx_col {
    int n;
    char **labels;
    int *by_text; /* label positions sorted by text */
} idx_col;

typedef struct idx_data {
    int ncols;
    idx_col *cols;
} idx_data;

static void idx_free(void *p)
{
    idx_data *d = p;
    if (d == NULL)
        return;
    for (int c = 0; c < d->ncols; c++) {
        for (int i = 0; i < d->cols[c].n; i++)
            free(d->cols[c].labels[i]);
        free(d->cols[c].labels);
        free(d->cols[c].by_text);
    }
    free(d->cols);
    free(d);
}

/* A cell's text as the cast to string renders it; NULL for NULL. */
static char *cell_text(const lm_type *t, const lm_value *v)
{
    if (v->is_null)
        return NULL;
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    if (t->id == LM_TYPE_STRING)
        lm_strbuf_append(&sb, v->u.str.ptr, (size_t)v->u.str.len);
    else
        lm_render(&sb, t, v, LM_STYLE_CAST, NULL);
    char *s = lm_strbuf_detach(&sb);
    return s ? s : calloc(1, 1);
}

typedef struct count {
    char *text;
    int64_t n;
} count;

static int by_text(const void *a, const void *b, void *ctx)
{
    (void)ctx;
    return strcmp(((const count *)a)->text, ((const count *)b)->text);
}

/* order: 0 frequencyDesc, 1 frequencyAsc, 2 alphabetDesc, 3 alphabetAsc */
static int by_order(const void *pa, const void *pb, void *ctx)
{
    const count *a = pa, *b = pb;
    int t = strcmp(a->text, b->text);
    switch (*(const int *)ctx) {
    case 0:
        return a->n != b->n ? (a->n > b->n ? -1 : 1) : t;
    case 1:
        return a->n != b->n ? (a->n < b->n ? -1 : 1) : t;
    case 2:
        return -t;
    default:
        return t;
    }
}

static int by_label_text(const void *a, const void *b, void *ctx)
{
    const idx_col *c = ctx;
    return strcmp(c->labels[*(const int *)a], c->labels[*(const int *)b]);
}

static int order_code(const char *o)
{
    if (strcmp(o, "frequencyAsc") == 0)
        return 1;
    if (strcmp(o, "alphabetDesc") == 0)
        return 2;
    if (strcmp(o, "alphabetAsc") == 0)
        return 3;
    return 0;
}

/* Builds the text lookup of a column. */
static bool index_labels(idx_data *d, int c)
{
    idx_col *ic = &d->cols[c];
    ic->by_text = malloc(sizeof *ic->by_text * ((size_t)ic->n + 1));
    if (ic->by_text == NULL)
        return false;
    for (int i = 0; i < ic->n; i++)
        ic->by_text[i] = i;
    return ml_sort(ic->by_text, (size_t)ic->n, sizeof *ic->by_text, by_label_text, ic);
}

static lm_status fit(lm_ml_stage *est, lm_df *df, lm_ml_stage *model)
{
    lm_session *s = est->s;
    ml_io io;
    if (ml_io_cols(est, &io) != LM_OK)
        return LM_ERROR;
    ml_frame f;
    if (ml_frame_load(df, &f) != LM_OK)
        return LM_ERROR;
    idx_data *d = calloc(1, sizeof *d);
    count *cs = calloc((size_t)f.n + 1, sizeof *cs);
    lm_status st = d && cs ? LM_OK : lm_error_oom(&s->error);
    if (st == LM_OK && (d->cols = calloc((size_t)io.n, sizeof *d->cols)) == NULL)
        st = lm_error_oom(&s->error);
    int order = order_code(ml_str(est, "stringOrderType"));
    for (int c = 0; st == LM_OK && c < io.n; c++) {
        d->ncols = c + 1;
        int col = ml_frame_col(&f, io.in[c]);
        if (col < 0) {
            st = LM_ERROR;
            break;
        }
        const lm_type *t = ml_frame_type(&f, col);
        if (t->id != LM_TYPE_STRING && !lm_type_is_numeric(t)) {
            lm_strbuf sb;
            lm_strbuf_init(&sb);
            lm_type_catalog_string(&sb, t);
            st = ml_fail(s, ML_EXC_IAE,
                         "requirement failed: The input column %s must be either string type "
                         "or numeric type, but got %s.",
                         io.in[c], lm_strbuf_cstr(&sb));
            lm_strbuf_free(&sb);
            break;
        }
        int64_t n = 0;
        for (int64_t r = 0; r < f.n; r++) {
            char *text = cell_text(t, ml_frame_cell(&f, r, col));
            if (text)
                cs[n++].text = text;
        }
        if (!ml_sort(cs, (size_t)n, sizeof *cs, by_text, NULL)) {
            for (int64_t i = 0; i < n; i++)
                free(cs[i].text);
            st = lm_error_oom(&s->error);
            break;
        }
        int64_t u = 0;
        for (int64_t i = 0; i < n; i++) {
            if (u > 0 && strcmp(cs[u - 1].text, cs[i].text) == 0) {
                cs[u - 1].n++;
                free(cs[i].text);
            } else {
                cs[u].text = cs[i].text;
                cs[u++].n = 1;
            }
        }
        ml_sort(cs, (size_t)u, sizeof *cs, by_order, &order);
        idx_col *ic = &d->cols[c];
        ic->labels = malloc(sizeof *ic->labels * ((size_t)u + 1));
        if (ic->labels == NULL) {
            for (int64_t i = 0; i < u; i++)
                free(cs[i].text);
            st = lm_error_oom(&s->error);
            break;
        }
        for (int64_t i = 0; i < u; i++)
            ic->labels[i] = cs[i].text;
        ic->n = (int)u;
        if (!index_labels(d, c))
            st = lm_error_oom(&s->error);
    }
    free(cs);
    ml_frame_free(&f);
    if (st != LM_OK) {
        idx_free(d);
        return st;
    }
    model->data = d;
    return LM_OK;
}

typedef struct idx_ctx {
    const idx_data *d;
    lm_ml_stage *st;
    int handle; /* 0 error, 1 skip, 2 keep */
} idx_ctx;

static int lookup(const idx_col *c, const char *text)
{
    int lo = 0, hi = c->n - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        int cmp = strcmp(c->labels[c->by_text[mid]], text);
        if (cmp == 0)
            return c->by_text[mid];
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

static lm_status index_cell(void *p, int i, const lm_type *t, const lm_value *in, lm_arena *a,
                            lm_value *out, bool *skip)
{
    idx_ctx *x = p;
    const idx_col *c = &x->d->cols[i];
    char *text = cell_text(t, in);
    int k = text ? lookup(c, text) : -1;
    if (k < 0) {
        if (x->handle == 1) {
            *skip = true;
        } else if (x->handle == 2) {
            k = c->n;
        } else {
            lm_status r =
                text ? ml_fail(x->st->s, ML_EXC_SPARK,
                               "Unseen label: %s. To handle unseen labels, set Param "
                               "handleInvalid to keep.",
                               text)
                     : ml_fail(x->st->s, ML_EXC_SPARK,
                               "StringIndexer encountered NULL value. To handle or skip NULLS, "
                               "try setting StringIndexer.handleInvalid.");
            free(text);
            return r;
        }
    }
    free(text);
    *out = lm_value_f64((double)k);
    return LM_OK;
}

static lm_df *transform(lm_ml_stage *st, lm_df *df)
{
    ml_io io;
    if (ml_io_cols(st, &io) != LM_OK)
        return NULL;
    const idx_data *d = st->data;
    if (io.n != d->ncols) {
        ml_fail(st->s, ML_EXC_IAE, "the model was fitted on %d columns, not %d", d->ncols, io.n);
        return NULL;
    }
    const char *h = ml_str(st, "handleInvalid");
    idx_ctx x = {d, st, strcmp(h, "skip") == 0 ? 1 : strcmp(h, "keep") == 0 ? 2 : 0};
    lm_type *types[ML_IO_MAX];
    for (int i = 0; i < io.n; i++) {
        types[i] = lm_type_double();
        /* NominalAttribute named after the output column, valued by the
           labels (plus "__unknown" when unseen labels are kept) */
        const idx_col *c = &d->cols[i];
        const char **vals = malloc(sizeof *vals * ((size_t)c->n + 2));
        if (vals == NULL) {
            ml_io_free_metadata(&io);
            lm_error_oom(&st->s->error);
            return NULL;
        }
        for (int k = 0; k < c->n; k++)
            vals[k] = c->labels[k];
        vals[c->n] = "__unknown";
        ml_attribute at = {ML_AT_NOMINAL, io.out[i], c->n + (x.handle == 2), vals, -1, -1, 0,
                           {0}};
        io.md[i] = ml_attr_metadata(&at);
        free(vals);
        if (io.md[i] == NULL) {
            ml_io_free_metadata(&io);
            lm_error_oom(&st->s->error);
            return NULL;
        }
    }
    lm_df *r = ml_map_columns(st, df, &io, types, index_cell, &x);
    ml_io_free_metadata(&io);
    return r;
}

static bool attr(const lm_ml_stage *st, const char *name, ml_attr *out)
{
    const idx_data *d = st->data;
    if (strcmp(name, "labels") == 0 && d->ncols > 0) {
        out->type = ML_A_STRINGS;
        out->n = d->cols[0].n;
        out->sv = (const char *const *)d->cols[0].labels;
        return true;
    }
    return false;
}

/* Data: one line per input column, {"labels": [...]} (Spark stores
   labelsArray). */
static lm_status save_data(const lm_ml_stage *st, lm_strbuf *sb)
{
    /* Spark 3's Data(labelsArray): one row, a label list per input column */
    const idx_data *d = st->data;
    lm_strbuf_puts(sb, "{\"labelsArray\":[");
    for (int c = 0; c < d->ncols; c++) {
        lm_strbuf_puts(sb, c ? ",[" : "[");
        for (int i = 0; i < d->cols[c].n; i++) {
            if (i)
                lm_strbuf_putc(sb, ',');
            ml_json_string(sb, d->cols[c].labels[i]);
        }
        lm_strbuf_putc(sb, ']');
    }
    lm_strbuf_puts(sb, "]}\n");
    return LM_OK;
}

static lm_status load_data(lm_ml_stage *st, const ml_json *rows)
{
    /* one row of labelsArray, or (earlier saves, Spark 2) a row of
       "labels" per column */
    const ml_json *la = rows->n == 1 ? ml_json_get(&rows->items[0], "labelsArray") : NULL;
    if (la != NULL && la->type != ML_J_ARR)
        la = NULL;
    int ncols = la ? la->n : rows->n;
    idx_data *d = calloc(1, sizeof *d);
    if (d == NULL || (d->cols = calloc((size_t)ncols + 1, sizeof *d->cols)) == NULL) {
        free(d);
        return lm_error_oom(&st->s->error);
    }
    for (int c = 0; c < ncols; c++) {
        const ml_json *l = la ? &la->items[c] : ml_json_get(&rows->items[c], "labels");
        d->ncols = c + 1;
        if (l == NULL || l->type != ML_J_ARR) {
            idx_free(d);
            return ml_fail(st->s, ML_EXC_IAE, "StringIndexerModel data has no labels");
        }
        idx_col *ic = &d->cols[c];
        ic->labels = calloc((size_t)l->n + 1, sizeof *ic->labels);
        if (ic->labels == NULL) {
            idx_free(d);
            return lm_error_oom(&st->s->error);
        }
        for (int i = 0; i < l->n; i++) {
            const char *t = l->items[i].type == ML_J_STR ? l->items[i].str : "";
            ic->labels[i] = strdup(t);
            ic->n = i + 1;
            if (ic->labels[i] == NULL) {
                idx_free(d);
                return lm_error_oom(&st->s->error);
            }
        }
        if (!index_labels(d, c)) {
            idx_free(d);
            return lm_error_oom(&st->s->error);
        }
    }
    st->data = d;
    return LM_OK;
}

const ml_kind ml_kind_string_indexer = {
    .name = "StringIndexer",
    .java_class = "org.apache.spark.ml.feature.StringIndexer",
    .uid_prefix = "strIdx",
    .role = ML_ESTIMATOR,
    .params = k_params,
    .nparams = NPARAMS(k_params),
    .model_kind = "StringIndexerModel",
    .fit = fit,
};

const ml_kind ml_kind_string_indexer_model = {
    .name = "StringIndexerModel",
    .java_class = "org.apache.spark.ml.feature.StringIndexerModel",
    .uid_prefix = "strIdx",
    .role = ML_MODEL,
    .params = k_params,
    .nparams = NPARAMS(k_params),
    .transform = transform,
    .free_data = idx_free,
    .attr = attr,
    .save_data = save_data,
    .load_data = load_data,
    .data_schema = "labelsArray array<array<string>>",
};

/* ------------------------------------------------------------ IndexToString */

static const ml_param_def k_its_params[] = {
    P_STR_NODEF("inputCol"),
    P_STR_NODEF("outputCol"),
    P_STRS("labels"),
};

typedef struct its_ctx {
    lm_ml_stage *st;
    int n;
    const char *const *labels;
} its_ctx;

static lm_status its_cell(void *p, int i, const lm_type *t, const lm_value *in, lm_arena *a,
                          lm_value *out, bool *skip)
{
    its_ctx *x = p;
    lm_ml_stage *st = x->st;
    int n = x->n;
    const char *const *labels = x->labels;
    double d;
    if (!ml_cell_double(t, in, &d)) {
        *out = lm_value_null();
        return LM_OK;
    }
    int k = (int)d;
    if (k < 0 || k >= n) {
        lm_strbuf sb;
        lm_strbuf_init(&sb);
        ml_put_double(&sb, d);
        lm_status r = ml_fail(st->s, ML_EXC_SPARK, "Unseen index: %s ??", lm_strbuf_cstr(&sb));
        lm_strbuf_free(&sb);
        return r;
    }
    *out = lm_value_str(labels[k], (int32_t)strlen(labels[k]));
    return LM_OK;
}

static lm_df *its_transform(lm_ml_stage *st, lm_df *df)
{
    ml_io io;
    if (ml_io_cols(st, &io) != LM_OK)
        return NULL;
    its_ctx x = {st, 0, NULL};
    char **set = NULL;
    x.n = ml_is_set(st, "labels") ? ml_strs(st, "labels", &set) : 0;
    x.labels = (const char *const *)set;
    lm_arena a;
    lm_arena_init(&a, 1024);
    if (x.n == 0) {
        /* no labels: the input column's NominalAttribute values, as
           Spark's Attribute.fromStructField(...).asInstanceOf[Nominal-
           Attribute].values.get, with the exceptions that cast and get
           throw */
        const lm_type *sch = ml_df_schema(df);
        int c = lm_type_field_index(sch, io.in[0]);
        ml_attribute at;
        if (c >= 0)
            ml_attr_from_field(&a, &sch->fields[c], &at);
        if (c < 0) {
            x.n = 0; /* ml_map_columns reports the missing column */
        } else if (at.kind != ML_AT_NOMINAL) {
            static const char *const cls[] = {"UnresolvedAttribute$", "NumericAttribute",
                                              "NominalAttribute", "BinaryAttribute"};
            ml_fail(st->s, "java.lang.ClassCastException",
                    "class org.apache.spark.ml.attribute.%s cannot be cast to class "
                    "org.apache.spark.ml.attribute.NominalAttribute",
                    cls[at.kind]);
            lm_arena_free(&a);
            return NULL;
        } else if (at.nvals < 0) {
            ml_fail(st->s, "java.util.NoSuchElementException", "None.get");
            lm_arena_free(&a);
            return NULL;
        } else {
            x.n = at.nvals;
            x.labels = at.vals;
        }
    }
    lm_type *types[1] = {lm_type_string()};
    lm_df *r = ml_map_columns(st, df, &io, types, its_cell, &x);
    lm_arena_free(&a);
    return r;
}

const ml_kind ml_kind_index_to_string = {
    .name = "IndexToString",
    .java_class = "org.apache.spark.ml.feature.IndexToString",
    .uid_prefix = "idxToStr",
    .role = ML_TRANSFORMER,
    .params = k_its_params,
    .nparams = NPARAMS(k_its_params),
    .transform = its_transform,
};
