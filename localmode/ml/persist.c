/*
 * ML persistence: MLWritable.save / MLReadable.load in Spark's folder
 * layout. Every stage writes metadata/part-00000, one JSON line as
 * DefaultParamsWriter does ({"class", "timestamp", "sparkVersion", "uid",
 * "paramMap", "defaultParamMap"}, then the model's extraMetadata); models
 * add their data under data/ as Spark's Parquet
 * (part-00000-<uuid>-c000.snappy.parquet, converted from the model's JSON
 * lines by persist_data.c with its Spark data schema); a model without a
 * data schema, and folders saved by earlier versions, use JSON lines in
 * data/part-00000.json, which load still reads. Pipelines write their
 * stages under stages/<index>_<uid>/ and list "stageUids" in paramMap.
 * Output is written to a temporary folder renamed into place when
 * complete, so a failed save leaves nothing behind. The timestamp is 0 so
 * saves are reproducible.
 */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ml/params.h"

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *f)
{
    (void)sb;
    (void)flag;
    (void)f;
    return remove(p);
}

static void rm_tree(const char *path)
{
    nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static lm_status write_file(lm_session *s, const char *dir, const char *name, const char *text)
{
    char path[4096];
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return ml_fail(s, "java.io.IOException", "cannot create %s: %s", dir, strerror(errno));
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return ml_fail(s, "java.io.IOException", "cannot write %s: %s", path, strerror(errno));
    size_t n = strlen(text);
    bool ok = fwrite(text, 1, n, f) == n;
    ok = fclose(f) == 0 && ok;
    if (!ok)
        return ml_fail(s, "java.io.IOException", "cannot write %s", path);
    snprintf(path, sizeof path, "%s/_SUCCESS", dir);
    f = fopen(path, "w");
    if (f)
        fclose(f);
    return LM_OK;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n + 1024 > cap) {
            char *nb = realloc(buf, cap *= 2);
            if (nb == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
        }
        size_t r = fread(buf + n, 1, cap - n - 1, f);
        n += r;
        if (r == 0)
            break;
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    return buf;
}

/* One Param value as JSON (set or default). */
static void param_json(lm_strbuf *sb, const ml_param_def *d, const ml_param_val *v)
{
    switch (d->type) {
    case ML_P_BOOL:
        lm_strbuf_puts(sb, (v->set ? v->num : d->dnum) != 0.0 ? "true" : "false");
        break;
    case ML_P_INT:
        lm_strbuf_printf(sb, "%lld", (long long)(v->set ? v->num : d->dnum));
        break;
    case ML_P_DOUBLE:
        ml_json_double(sb, v->set ? v->num : d->dnum);
        break;
    case ML_P_STRING:
        if ((v->set ? v->str : d->dstr) == NULL)
            lm_strbuf_puts(sb, "null");
        else
            ml_json_string(sb, v->set ? v->str : d->dstr);
        break;
    case ML_P_STRINGS:
        lm_strbuf_putc(sb, '[');
        for (int i = 0; i < v->n; i++) {
            if (i)
                lm_strbuf_putc(sb, ',');
            ml_json_string(sb, v->strs[i]);
        }
        lm_strbuf_putc(sb, ']');
        break;
    case ML_P_DOUBLES:
        ml_json_doubles(sb, v->n, v->nums);
        break;
    default:
        lm_strbuf_puts(sb, "null");
        break;
    }
}

static bool persistable(const ml_param_def *d)
{
    return d->type != ML_P_STAGE && d->type != ML_P_STAGES && d->type != ML_P_GRID;
}

static lm_status save_stage(lm_ml_stage *st, const char *dir);

static lm_status save_children(lm_ml_stage *st, const char *dir, int n, lm_ml_stage **stages,
                               lm_strbuf *uids)
{
    char sub[4096];
    snprintf(sub, sizeof sub, "%s/stages", dir);
    if (mkdir(sub, 0777) != 0 && errno != EEXIST)
        return ml_fail(st->s, "java.io.IOException", "cannot create %s", sub);
    int width = n < 10 ? 1 : n < 100 ? 2 : 3;
    for (int i = 0; i < n; i++) {
        snprintf(sub, sizeof sub, "%s/stages/%0*d_%s", dir, width, i, stages[i]->uid);
        if (save_stage(stages[i], sub) != LM_OK)
            return LM_ERROR;
        if (i)
            lm_strbuf_putc(uids, ',');
        ml_json_string(uids, stages[i]->uid);
    }
    return LM_OK;
}

static lm_status save_stage(lm_ml_stage *st, const char *dir)
{
    lm_session *s = st->s;
    const ml_kind *k = st->kind;
    bool is_pipeline = strcmp(k->name, "Pipeline") == 0 || strcmp(k->name, "PipelineModel") == 0;
    if (!is_pipeline)
        for (int i = 0; i < k->nparams; i++)
            if (!persistable(&k->params[i]) && st->vals[i].set)
                return ml_fail(s, "java.lang.UnsupportedOperationException",
                               "%s cannot be saved yet", k->name);
    if (k->role == ML_MODEL && !is_pipeline && k->save_data == NULL)
        return ml_fail(s, "java.lang.UnsupportedOperationException", "%s cannot be saved yet",
                       k->name);
    if (mkdir(dir, 0777) != 0)
        return ml_fail(s, "java.io.IOException", "cannot create %s: %s", dir, strerror(errno));
    lm_strbuf uids;
    lm_strbuf_init(&uids);
    lm_status rc = LM_OK;
    if (is_pipeline) {
        lm_ml_stage **stages;
        int n;
        if (k->role == ML_MODEL) {
            n = ml_pipeline_model_stages(st, &stages);
        } else {
            n = st->vals[0].set ? st->vals[0].n : 0;
            stages = st->vals[0].stages;
        }
        rc = save_children(st, dir, n, stages, &uids);
    }
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_puts(&sb, "{\"class\":");
    ml_json_string(&sb, k->java_class);
    lm_strbuf_printf(&sb, ",\"timestamp\":0,\"sparkVersion\":\"%s\",\"uid\":", LM_SPARK_VERSION);
    ml_json_string(&sb, st->uid);
    lm_strbuf_puts(&sb, ",\"paramMap\":{");
    bool first = true;
    if (is_pipeline) {
        lm_strbuf_printf(&sb, "\"stageUids\":[%s]", uids.data ? lm_strbuf_cstr(&uids) : "");
        first = false;
    }
    for (int i = 0; i < k->nparams; i++) {
        if (!st->vals[i].set || !persistable(&k->params[i]))
            continue;
        lm_strbuf_puts(&sb, first ? "" : ",");
        first = false;
        ml_json_string(&sb, k->params[i].name);
        lm_strbuf_putc(&sb, ':');
        param_json(&sb, &k->params[i], &st->vals[i]);
    }
    lm_strbuf_puts(&sb, "},\"defaultParamMap\":{");
    first = true;
    for (int i = 0; i < k->nparams; i++) {
        if (!k->params[i].has_default || !persistable(&k->params[i]) ||
            (k->params[i].type == ML_P_STRING && k->params[i].dstr == NULL))
            continue;
        ml_param_val none = {0};
        lm_strbuf_puts(&sb, first ? "" : ",");
        first = false;
        ml_json_string(&sb, k->params[i].name);
        lm_strbuf_putc(&sb, ':');
        param_json(&sb, &k->params[i], &none);
    }
    lm_strbuf_putc(&sb, '}');
    if (k->save_meta && st->data)
        k->save_meta(st, &sb);
    lm_strbuf_puts(&sb, "}\n");
    char sub[4096];
    snprintf(sub, sizeof sub, "%s/metadata", dir);
    if (rc == LM_OK)
        rc = lm_strbuf_ok(&sb) ? write_file(s, sub, "part-00000", lm_strbuf_cstr(&sb))
                               : lm_error_oom(&s->error);
    lm_strbuf_free(&sb);
    lm_strbuf_free(&uids);
    if (rc == LM_OK && k->save_data && st->data) {
        lm_strbuf data;
        lm_strbuf_init(&data);
        rc = k->save_data(st, &data);
        snprintf(sub, sizeof sub, "%s/data", dir);
        char *dyn = k->data_schema == NULL && k->data_schema_of
                        ? k->data_schema_of((lm_ml_stage *)st) : NULL;
        const char *schema = k->data_schema ? k->data_schema : dyn;
        if (rc == LM_OK && !lm_strbuf_ok(&data))
            rc = lm_error_oom(&s->error);
        else if (rc == LM_OK && schema)
            rc = ml_data_write_parquet(s, schema, lm_strbuf_cstr(&data), sub);
        else if (rc == LM_OK)
            rc = write_file(s, sub, "part-00000.json", lm_strbuf_cstr(&data));
        free(dyn);
        lm_strbuf_free(&data);
    }
    return rc;
}

lm_status lm_ml_save(lm_ml_stage *st, const char *path, bool overwrite)
{
    if (st == NULL || path == NULL)
        return LM_ERROR;
    lm_session *s = st->s;
    lm_error_clear(&s->error);
    struct stat sbuf;
    bool exists = stat(path, &sbuf) == 0;
    if (exists && !overwrite)
        return ml_fail(s, "java.io.IOException",
                       "Path %s already exists. To overwrite it, please use "
                       "write.overwrite().save(path) for Scala and use "
                       "write().overwrite().save(path) for Java and Python.",
                       path);
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp-%s", path, st->uid);
    rm_tree(tmp);
    lm_status rc = save_stage(st, tmp);
    if (rc != LM_OK) {
        rm_tree(tmp);
        return rc;
    }
    if (exists)
        rm_tree(path);
    if (rename(tmp, path) != 0) {
        rm_tree(tmp);
        return ml_fail(s, "java.io.IOException", "cannot rename into %s: %s", path,
                       strerror(errno));
    }
    return LM_OK;
}

/* ------------------------------------------------------------------ load */

static lm_status set_from_json(lm_ml_stage *st, const char *name, const ml_json *v)
{
    int i = ml_param_index(st->kind, name);
    if (i < 0)
        return LM_OK; /* Params of newer versions are ignored */
    const ml_param_def *d = &st->kind->params[i];
    switch (d->type) {
    case ML_P_BOOL:
        return ml_set_num(st, name, v->type == ML_J_BOOL ? v->b : v->num != 0.0);
    case ML_P_INT:
    case ML_P_DOUBLE:
        return v->type == ML_J_NUM ? ml_set_num(st, name, v->num) : LM_OK;
    case ML_P_STRING:
        return v->type == ML_J_STR ? ml_set_str(st, name, v->str) : LM_OK;
    case ML_P_STRINGS: {
        if (v->type != ML_J_ARR)
            return LM_OK;
        const char **xs = calloc((size_t)v->n + 1, sizeof *xs);
        if (xs == NULL)
            return lm_error_oom(&st->s->error);
        for (int k = 0; k < v->n; k++)
            xs[k] = v->items[k].type == ML_J_STR ? v->items[k].str : "";
        lm_status rc = ml_set_strs(st, name, v->n, xs);
        free(xs);
        return rc;
    }
    case ML_P_DOUBLES: {
        double *xs;
        int n = ml_json_read_doubles(v, &xs);
        if (n < 0)
            return LM_OK;
        lm_status rc = ml_set_nums(st, name, n, xs);
        free(xs);
        return rc;
    }
    default:
        return LM_OK;
    }
}

static lm_ml_stage *load_stage(lm_session *s, const char *dir);

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

/* Loads stages/<i>_<uid> in index order. */
static lm_status load_children(lm_session *s, const char *dir, int *n, lm_ml_stage ***out)
{
    char sub[4096];
    snprintf(sub, sizeof sub, "%s/stages", dir);
    struct dirent **ents = NULL;
    int m = scandir(sub, &ents, NULL, by_name);
    *n = 0;
    *out = calloc((size_t)(m > 0 ? m : 0) + 1, sizeof **out);
    lm_status rc = *out ? LM_OK : lm_error_oom(&s->error);
    for (int i = 0; i < m; i++) {
        if (rc == LM_OK && ents[i]->d_name[0] != '.') {
            char p[4096 + 512];
            snprintf(p, sizeof p, "%s/%s", sub, ents[i]->d_name);
            lm_ml_stage *c = load_stage(s, p);
            if (c == NULL)
                rc = LM_ERROR;
            else
                (*out)[(*n)++] = c;
        }
        free(ents[i]);
    }
    free(ents);
    return rc;
}

/* The members of the metadata after Spark's basic ones (the model's
   extraMetadata, e.g. numFeatures) as `"k":v,...`; malloc'ed. */
static char *extra_metadata(const ml_json *m0)
{
    static const char *const basic[] = {"class",    "timestamp",       "sparkVersion",
                                        "uid",      "paramMap",        "defaultParamMap"};
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    bool first = true;
    for (int i = 0; m0 && m0->type == ML_J_OBJ && i < m0->n; i++) {
        const ml_json *v = &m0->items[i];
        bool skip = v->type != ML_J_NUM && v->type != ML_J_BOOL;
        for (size_t b = 0; !skip && b < sizeof basic / sizeof *basic; b++)
            skip = strcmp(m0->keys[i], basic[b]) == 0;
        if (skip)
            continue;
        lm_strbuf_puts(&sb, first ? "" : ",");
        first = false;
        ml_json_string(&sb, m0->keys[i]);
        lm_strbuf_putc(&sb, ':');
        if (v->type == ML_J_BOOL)
            lm_strbuf_puts(&sb, v->b ? "true" : "false");
        else
            ml_json_double(&sb, v->num);
    }
    return lm_strbuf_detach(&sb);
}

static lm_ml_stage *load_stage(lm_session *s, const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/metadata/part-00000", dir);
    char *text = read_file(path);
    if (text == NULL) {
        ml_fail(s, "org.apache.hadoop.mapred.InvalidInputException",
                "Input path does not exist: file:%s", path);
        return NULL;
    }
    lm_arena a;
    lm_arena_init(&a, 4096);
    ml_json *meta = ml_json_parse(&a, text, true);
    const ml_json *m0 = meta && meta->n > 0 ? &meta->items[0] : NULL;
    const char *cls = ml_json_str(m0, "class"), *uid = ml_json_str(m0, "uid");
    const ml_kind *k = cls ? ml_kind_find_java(cls) : NULL;
    lm_ml_stage *st = NULL;
    if (k == NULL) {
        ml_fail(s, ML_EXC_IAE, "cannot load %s: unknown class %s", dir, cls ? cls : "(none)");
        goto out;
    }
    if ((st = ml_stage_new(s, k)) == NULL) {
        lm_error_oom(&s->error);
        goto out;
    }
    if (uid)
        snprintf(st->uid, sizeof st->uid, "%s", uid);
    const ml_json *pm = ml_json_get(m0, "paramMap");
    for (int i = 0; pm && pm->type == ML_J_OBJ && i < pm->n; i++)
        if (set_from_json(st, pm->keys[i], &pm->items[i]) != LM_OK) {
            lm_ml_free(st);
            st = NULL;
            goto out;
        }
    bool is_pipeline = strcmp(k->name, "Pipeline") == 0 || strcmp(k->name, "PipelineModel") == 0;
    if (is_pipeline) {
        int n;
        lm_ml_stage **stages;
        lm_status rc = load_children(s, dir, &n, &stages);
        if (rc == LM_OK && k->role == ML_MODEL) {
            rc = ml_pipeline_model_set(st, n, stages);
            if (rc == LM_OK)
                stages = NULL;
        } else if (rc == LM_OK) {
            rc = lm_ml_set_stages(st, "stages", n, stages);
        }
        for (int i = 0; stages && i < n; i++)
            lm_ml_free(stages[i]);
        free(stages);
        if (rc != LM_OK) {
            lm_ml_free(st);
            st = NULL;
        }
        goto out;
    }
    if (k->load_data) {
        /* JSON lines when present (earlier saves, kinds without a data
           schema), else Spark's Parquet */
        snprintf(path, sizeof path, "%s/data/part-00000.json", dir);
        char *data = read_file(path);
        char *dyn = data == NULL && k->data_schema == NULL && k->data_schema_of
                        ? k->data_schema_of(st) : NULL;
        const char *schema = k->data_schema ? k->data_schema : dyn;
        if (data == NULL && schema) {
            char *extra = extra_metadata(m0);
            snprintf(path, sizeof path, "%s/data", dir);
            if (extra == NULL ||
                ml_data_read_parquet(s, schema, path, extra, &data) != LM_OK) {
                if (extra == NULL)
                    lm_error_oom(&s->error);
                free(extra);
                free(dyn);
                lm_ml_free(st);
                st = NULL;
                goto out;
            }
            free(extra);
        }
        free(dyn);
        ml_json *rows = data ? ml_json_parse(&a, data, true) : NULL;
        if (rows == NULL || k->load_data(st, rows) != LM_OK) {
            if (s->error.status == LM_OK)
                ml_fail(s, ML_EXC_IAE, "cannot read the model data in %s", path);
            lm_ml_free(st);
            st = NULL;
        }
        free(data);
    }
out:
    lm_arena_free(&a);
    free(text);
    return st;
}

lm_ml_stage *lm_ml_load(lm_session *s, const char *path)
{
    lm_error_clear(&s->error);
    return load_stage(s, path);
}
