/*
 * Imputer / ImputerModel: replaces NULLs and the missing value (NaN by
 * default) of numeric columns with a surrogate computed from the other
 * values: their mean, their median (Spark's approxQuantile(0.5); on the
 * exact summary it keeps for small data that is the element of rank
 * ceil(n / 2)), or their mode (the most frequent value, the smallest
 * among ties). The output column has the input's type, as Spark casts the
 * imputed column back.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "api/df.h"
#include "ml/transform.h"

static const ml_param_def k_params[] = {
    P_STR_NODEF("inputCol"),
    P_STR_NODEF("outputCol"),
    P_STRS("inputCols"),
    P_STRS("outputCols"),
    P_CHOICE("strategy", "mean", "mean|median|mode"),
    P_DBL("missingValue", NAN, ML_R_NONE, 0, 0),
    P_DBL("relativeError", 0.001, ML_R_GE | ML_R_LE, 0, 1),
};

typedef struct imp_data {
    int n;
    double *surrogates;
} imp_data;

static void imp_free(void *p)
{
    imp_data *d = p;
    if (d) {
        free(d->surrogates);
        free(d);
    }
}

static bool is_missing(double v, double missing)
{
    return isnan(v) || v == missing;
}

static int cmp_double(const void *a, const void *b, void *ctx)
{
    (void)ctx;
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
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
    const char *strategy = ml_str(est, "strategy");
    double missing = ml_num(est, "missingValue");
    imp_data *d = calloc(1, sizeof *d);
    double *vals = calloc((size_t)f.n + 1, sizeof *vals);
    lm_status st = d && vals && (d->surrogates = calloc((size_t)io.n, sizeof(double)))
                       ? LM_OK
                       : lm_error_oom(&s->error);
    for (int c = 0; st == LM_OK && c < io.n; c++) {
        int col = ml_frame_col_numeric(&f, io.in[c]);
        if (col < 0) {
            st = LM_ERROR;
            break;
        }
        int64_t n = 0;
        for (int64_t r = 0; r < f.n; r++) {
            double v;
            if (ml_cell_double(ml_frame_type(&f, col), ml_frame_cell(&f, r, col), &v) &&
                !is_missing(v, missing))
                vals[n++] = v;
        }
        if (n == 0) {
            lm_strbuf sb;
            lm_strbuf_init(&sb);
            ml_put_double(&sb, missing);
            st = ml_fail(s, ML_EXC_SPARK,
                         "surrogate cannot be computed. All the values in %s are Null, Nan or "
                         "missingValue(%s)",
                         io.in[c], lm_strbuf_cstr(&sb));
            lm_strbuf_free(&sb);
            break;
        }
        double sur;
        if (strcmp(strategy, "mean") == 0) {
            double m = 0.0;
            for (int64_t i = 0; i < n; i++)
                m += vals[i];
            sur = m / (double)n;
        } else {
            if (!ml_sort(vals, (size_t)n, sizeof *vals, cmp_double, NULL)) {
                st = lm_error_oom(&s->error);
                break;
            }
            if (strcmp(strategy, "median") == 0) {
                int64_t rank = (int64_t)ceil(0.5 * (double)n);
                sur = vals[rank > 0 ? rank - 1 : 0];
            } else {
                int64_t best = 0, run = 0, bestn = 0;
                for (int64_t i = 0; i < n; i++) {
                    run = i > 0 && vals[i] == vals[i - 1] ? run + 1 : 1;
                    if (run > bestn) {
                        bestn = run;
                        best = i;
                    }
                }
                sur = vals[best];
            }
        }
        d->surrogates[c] = sur;
        d->n = c + 1;
    }
    free(vals);
    ml_frame_free(&f);
    if (st != LM_OK) {
        imp_free(d);
        return st;
    }
    model->data = d;
    return LM_OK;
}

typedef struct imp_ctx {
    const imp_data *d;
    double missing;
} imp_ctx;

static lm_status impute(void *p, int i, const lm_type *t, const lm_value *in, lm_arena *a,
                        lm_value *out, bool *skip)
{
    imp_ctx *x = p;
    double v;
    if (ml_cell_double(t, in, &v) && !is_missing(v, x->missing)) {
        *out = *in;
        return LM_OK;
    }
    double sv = x->d->surrogates[i];
    switch (t->id) {
    case LM_TYPE_FLOAT:
        *out = lm_value_f32((float)sv);
        break;
    case LM_TYPE_DOUBLE:
        *out = lm_value_f64(sv);
        break;
    case LM_TYPE_BYTE:
    case LM_TYPE_SHORT:
    case LM_TYPE_INT:
    case LM_TYPE_LONG:
        *out = lm_value_i64((int64_t)sv);
        break;
    default:
        *out = lm_value_f64(sv);
        break;
    }
    return LM_OK;
}

static lm_df *transform(lm_ml_stage *st, lm_df *df)
{
    ml_io io;
    if (ml_io_cols(st, &io) != LM_OK)
        return NULL;
    const imp_data *d = st->data;
    if (io.n != d->n) {
        ml_fail(st->s, ML_EXC_IAE, "the model was fitted on %d columns, not %d", d->n, io.n);
        return NULL;
    }
    /* output types follow the inputs */
    lm_type *types[ML_IO_MAX];
    lm_type *schema = df->schema;
    for (int i = 0; i < io.n; i++) {
        int c = lm_type_field_index(schema, io.in[i]);
        types[i] = c >= 0 && lm_type_is_numeric(schema->fields[c].type) &&
                           schema->fields[c].type->id != LM_TYPE_DECIMAL
                       ? schema->fields[c].type
                       : lm_type_double();
    }
    imp_ctx x = {d, ml_num(st, "missingValue")};
    return ml_map_columns(st, df, &io, types, impute, &x);
}

static bool attr(const lm_ml_stage *st, const char *name, ml_attr *out)
{
    const imp_data *d = st->data;
    if (strcmp(name, "surrogates") == 0)
        return ml_attr_doubles(out, d->n, d->surrogates);
    return false;
}

/* Spark saves surrogateDF: one row, a double column named after each
   input column. The spec form takes plain names only; other names keep
   the JSON-lines form ({"surrogates":[...]}). */
static bool plain_name(const char *s)
{
    if (*s == '\0')
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return false;
    return true;
}

/* The input columns, when every one has a plain name (the form Spark's
   surrogateDF columns take in our data schema). */
static bool plain_inputs(lm_ml_stage *st, ml_io *io)
{
    if (ml_io_cols(st, io) != LM_OK) {
        lm_error_clear(&st->s->error);
        return false;
    }
    for (int i = 0; i < io->n; i++)
        if (!plain_name(io->in[i]))
            return false;
    return io->n > 0;
}

static char *data_schema_of(lm_ml_stage *st)
{
    ml_io io;
    if (!plain_inputs(st, &io))
        return NULL;
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    for (int i = 0; i < io.n; i++)
        lm_strbuf_printf(&sb, "%s%s double", i ? ", " : "", io.in[i]);
    if (!lm_strbuf_ok(&sb)) {
        lm_strbuf_free(&sb);
        return NULL;
    }
    return lm_strbuf_detach(&sb);
}

static lm_status save_data(const lm_ml_stage *st, lm_strbuf *sb)
{
    const imp_data *d = st->data;
    ml_io io;
    if (plain_inputs((lm_ml_stage *)st, &io) && io.n == d->n) {
        for (int i = 0; i < d->n; i++) {
            lm_strbuf_putc(sb, i ? ',' : '{');
            ml_json_string(sb, io.in[i]);
            lm_strbuf_putc(sb, ':');
            ml_json_double(sb, d->surrogates[i]);
        }
        lm_strbuf_puts(sb, "}\n");
    } else {
        lm_strbuf_puts(sb, "{\"surrogates\":");
        ml_json_doubles(sb, d->n, d->surrogates);
        lm_strbuf_puts(sb, "}\n");
    }
    return LM_OK;
}

/* The surrogates of the first data row: by input column (Spark's
   surrogateDF), or the JSON-lines list. Count, or -1. */
static int read_surrogates(lm_ml_stage *st, const ml_json *row, double **out)
{
    const ml_json *list = ml_json_get(row, "surrogates");
    if (list)
        return ml_json_read_doubles(list, out);
    ml_io io;
    if (ml_io_cols(st, &io) != LM_OK)
        return -1;
    double *v = calloc((size_t)io.n + 1, sizeof *v);
    if (v == NULL)
        return -1;
    for (int i = 0; i < io.n; i++) {
        const ml_json *x = ml_json_get(row, io.in[i]);
        if (x == NULL || x->type != ML_J_NUM) {
            free(v);
            return -1;
        }
        v[i] = x->num;
    }
    *out = v;
    return io.n;
}

static lm_status load_data(lm_ml_stage *st, const ml_json *rows)
{
    imp_data *d = calloc(1, sizeof *d);
    if (d == NULL)
        return lm_error_oom(&st->s->error);
    d->n = rows->n ? read_surrogates(st, &rows->items[0], &d->surrogates) : -1;
    if (d->n < 0) {
        imp_free(d);
        return ml_fail(st->s, ML_EXC_IAE, "ImputerModel data has no surrogates");
    }
    st->data = d;
    return LM_OK;
}

const ml_kind ml_kind_imputer = {
    .name = "Imputer",
    .java_class = "org.apache.spark.ml.feature.Imputer",
    .uid_prefix = "imputer",
    .role = ML_ESTIMATOR,
    .params = k_params,
    .nparams = NPARAMS(k_params),
    .model_kind = "ImputerModel",
    .fit = fit,
};

const ml_kind ml_kind_imputer_model = {
    .name = "ImputerModel",
    .java_class = "org.apache.spark.ml.feature.ImputerModel",
    .uid_prefix = "imputer",
    .role = ML_MODEL,
    .params = k_params,
    .nparams = NPARAMS(k_params),
    .transform = transform,
    .free_data = imp_free,
    .attr = attr,
    .save_data = save_data,
    .load_data = load_data,
    .data_schema_of = data_schema_of,
};
