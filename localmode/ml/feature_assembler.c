/*
 * VectorAssembler: concatenates numeric, boolean and vector columns into
 * one vector, as Spark's VectorAssembler.assemble does: non-zero entries
 * are collected as a sparse vector and the result is `compressed` (dense
 * unless sparse is smaller). handleInvalid:
 *  - "error" (default): a NULL or a top-level NaN fails the row;
 *  - "skip": rows with a NULL (or a NaN in a numeric column) are dropped,
 *    as Spark's dataset.na.drop(inputCols) does;
 *  - "keep": a NULL or NaN becomes NaN entries (a NULL vector as many NaN
 *    as the column's vectors have elements).
 * The output carries Spark's attribute group (set_attributes), which is
 * how the tree learners find categorical features.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ml/params.h"

static const ml_param_def k_params[] = {
    P_STRS("inputCols"),
    P_STR("outputCol", NULL),
    P_CHOICE("handleInvalid", "error", HANDLE_INVALID_3),
};

/* The output's attribute group, as Spark's VectorAssembler builds it:
   a double column contributes its own attribute (a StringIndexer output
   stays nominal) named after the column, other numeric and boolean
   columns a numeric attribute; a vector column its group's attributes
   renamed "<col>_<name>" (unnamed: "<col>_<i>"), or without a group as
   many numeric "<col>_<i>" as its size. */
static lm_status set_attributes(ml_out *o, const ml_frame *f, int nin, char **in, const int *cols,
                                int32_t *len)
{
    lm_arena a;
    lm_arena_init(&a, 4096);
    int cap = 16, n = 0;
    ml_attribute *at = malloc(sizeof *at * (size_t)cap);
    lm_status rc = at ? LM_OK : LM_ENOMEM;
    for (int i = 0; rc == LM_OK && i < nin; i++) {
        const lm_field *fl = &f->schema->fields[cols[i]];
        ml_attribute one, *group = NULL;
        int k = 1;
        if (ml_is_vector_type(fl->type)) {
            int size = ml_attr_group_from_field(&a, fl, &group);
            if (size >= 0)
                len[i] = size; /* the group's size wins over the first row's */
            k = len[i];
        } else {
            ml_attr_from_field(&a, fl, &one);
            if (fl->type->id != LM_TYPE_DOUBLE || one.kind == ML_AT_UNRESOLVED) {
                memset(&one, 0, sizeof one);
                one.kind = ML_AT_NUMERIC;
                one.nvals = -1;
                one.num_vals = -1;
                one.ord = -1;
            }
            one.name = in[i];
        }
        if (n + k > cap) {
            cap = (n + k) * 2;
            ml_attribute *na = realloc(at, sizeof *at * (size_t)cap);
            if (na == NULL) {
                rc = LM_ENOMEM;
                break;
            }
            at = na;
        }
        if (!ml_is_vector_type(fl->type)) {
            at[n++] = one;
            continue;
        }
        for (int j = 0; j < k; j++) {
            ml_attribute *x = &at[n++];
            if (group != NULL) {
                *x = group[j];
            } else {
                memset(x, 0, sizeof *x);
                x->kind = ML_AT_NUMERIC;
                x->nvals = -1;
                x->num_vals = -1;
                x->ord = -1;
            }
            lm_strbuf nm;
            lm_strbuf_init(&nm);
            if (x->name != NULL)
                lm_strbuf_printf(&nm, "%s_%s", in[i], x->name);
            else
                lm_strbuf_printf(&nm, "%s_%d", in[i], j);
            x->name = lm_strbuf_ok(&nm) ? lm_arena_strdup(&a, lm_strbuf_cstr(&nm)) : NULL;
            lm_strbuf_free(&nm);
            if (x->name == NULL)
                rc = LM_ENOMEM;
        }
    }
    char *md = rc == LM_OK ? ml_attr_group_metadata(n, at) : NULL;
    if (rc == LM_OK && md == NULL)
        rc = LM_ENOMEM;
    if (rc == LM_OK)
        rc = ml_out_set_metadata(o, o->nin, md);
    else
        lm_error_oom(&o->s->error);
    free(md);
    free(at);
    lm_arena_free(&a);
    return rc;
}

static lm_df *assemble(lm_ml_stage *st, lm_df *df)
{
    lm_session *s = st->s;
    char **in;
    int nin = ml_strs(st, "inputCols", &in);
    const char *out_name = ml_str(st, "outputCol");
    if (nin == 0 || out_name == NULL) {
        ml_fail(s, ML_EXC_IAE, "VectorAssembler needs inputCols and outputCol");
        return NULL;
    }
    const char *hi = ml_str(st, "handleInvalid");
    bool keep = strcmp(hi, "keep") == 0, skip = strcmp(hi, "skip") == 0;
    ml_frame f;
    if (ml_frame_load(df, &f) != LM_OK)
        return NULL;
    int *cols = calloc((size_t)nin, sizeof *cols);
    int32_t *len = calloc((size_t)nin, sizeof *len);
    lm_type *vt = ml_vector_type();
    lm_df *res = NULL;
    ml_out o;
    bool begun = false;
    lm_arena a;
    lm_arena_init(&a, 4096);
    if (cols == NULL || len == NULL || vt == NULL) {
        lm_error_oom(&s->error);
        goto out;
    }
    for (int i = 0; i < nin; i++) {
        if ((cols[i] = ml_frame_col(&f, in[i])) < 0)
            goto out;
        const lm_type *t = ml_frame_type(&f, cols[i]);
        if (!lm_type_is_numeric(t) && t->id != LM_TYPE_BOOLEAN && !ml_is_vector_type(t)) {
            lm_strbuf sb;
            lm_strbuf_init(&sb);
            lm_type_catalog_string(&sb, t);
            ml_fail(s, ML_EXC_IAE, "Data type %s of column %s is not supported.",
                    lm_strbuf_cstr(&sb), in[i]);
            lm_strbuf_free(&sb);
            goto out;
        }
        len[i] = 1;
        if (ml_is_vector_type(t)) {
            /* the vector size comes from the first row that has one */
            len[i] = -1;
            for (int64_t r = 0; r < f.n && len[i] < 0; r++) {
                ml_vec v;
                const lm_value *c = ml_frame_cell(&f, r, cols[i]);
                if (!c->is_null && ml_vec_decode(&a, c, &v))
                    len[i] = v.size;
            }
            lm_arena_free(&a);
            if (len[i] < 0)
                len[i] = 0;
        }
    }
    const char *names[1] = {out_name};
    if (ml_out_begin(&o, &f, 1, names, &vt) != LM_OK)
        goto out;
    begun = true;
    if (set_attributes(&o, &f, nin, in, cols, len) != LM_OK)
        goto out;
    int32_t total = 0;
    for (int i = 0; i < nin; i++)
        total += len[i];
    double *x = calloc((size_t)total + 1, sizeof *x);
    if (x == NULL) {
        lm_error_oom(&s->error);
        goto out;
    }
    for (int64_t r = 0; r < f.n; r++) {
        int32_t k = 0;
        int32_t size = 0;
        bool drop = false;
        for (int i = 0; i < nin && !drop; i++) {
            const lm_type *t = ml_frame_type(&f, cols[i]);
            const lm_value *c = ml_frame_cell(&f, r, cols[i]);
            if (ml_is_vector_type(t)) {
                ml_vec v;
                if (c->is_null) {
                    if (skip) {
                        drop = true;
                        break;
                    }
                    if (!keep) {
                        ml_fail(s, ML_EXC_SPARK,
                                "Encountered null while assembling a row with handleInvalid = "
                                "\"error\". Consider\nremoving nulls from dataset or using "
                                "handleInvalid = \"keep\" or \"skip\".");
                        free(x);
                        goto out;
                    }
                    for (int32_t j = 0; j < len[i]; j++)
                        x[k++] = NAN;
                    size += len[i];
                    continue;
                }
                if (!ml_vec_decode(&o.scratch, c, &v)) {
                    lm_error_oom(&s->error);
                    free(x);
                    goto out;
                }
                if (size + v.size > total) {
                    double *nx = realloc(x, sizeof *x * (size_t)(size + v.size + 1));
                    if (nx == NULL) {
                        lm_error_oom(&s->error);
                        free(x);
                        goto out;
                    }
                    x = nx;
                    total = size + v.size;
                }
                ml_vec_to_dense(&v, x + k);
                k += v.size;
                size += v.size;
            } else {
                double d;
                bool isnull = !ml_cell_double(t, c, &d);
                bool nan = !isnull && isnan(d);
                if ((isnull || nan) && skip) {
                    drop = true;
                    break;
                }
                if ((isnull || nan) && !keep) {
                    ml_fail(s, ML_EXC_SPARK,
                            "Encountered %s while assembling a row with handleInvalid = "
                            "\"error\". Consider\nremoving %ss from dataset or using "
                            "handleInvalid = \"keep\" or \"skip\".",
                            isnull ? "null" : "NaN", isnull ? "null" : "NaN");
                    free(x);
                    goto out;
                }
                x[k++] = isnull ? NAN : d;
                size++;
            }
        }
        if (drop) {
            lm_arena_free(&o.scratch);
            continue;
        }
        lm_value v;
        if (!ml_compressed_value(&o.scratch, size, x, &v) || ml_out_row(&o, &f, r, &v) != LM_OK) {
            lm_error_oom(&s->error);
            free(x);
            goto out;
        }
    }
    free(x);
    begun = false;
    res = ml_out_finish(&o);
out:
    if (begun)
        ml_out_abort(&o);
    lm_arena_free(&a);
    lm_type_unref(vt);
    free(cols);
    free(len);
    ml_frame_free(&f);
    return res;
}

const ml_kind ml_kind_vector_assembler = {
    .name = "VectorAssembler",
    .java_class = "org.apache.spark.ml.feature.VectorAssembler",
    .uid_prefix = "vecAssembler",
    .role = ML_TRANSFORMER,
    .params = k_params,
    .nparams = NPARAMS(k_params),
    .transform = assemble,
};
