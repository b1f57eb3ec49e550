/*
 * Spill files, the external sorter and hash partitions (see spill.h).
 *
 * Encoding: each value is a null byte, then for non-null values its payload
 * in native byte order: fixed-width scalars as their bytes, strings and
 * binary as an int32 length then the bytes, arrays and maps as an int32
 * count then the elements (keys and values alternating), structs as their
 * fields. Spill files never leave the process that wrote them, so native
 * order and layout are what is fastest and nothing else is needed.
 */
#include "spill.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf/conf.h"

#define SPILL_BUF (64 * 1024)

void spill_local_dir(const struct lm_conf *conf, char *buf, size_t cap)
{
    /* SPARK_LOCAL_DIRS is a comma-separated list; localmode uses the first */
    const char *env = getenv("SPARK_LOCAL_DIRS");
    const char *d = conf ? lm_conf_get(conf, "spark.local.dir") : NULL;
    if (env && *env && *env != ',')
        snprintf(buf, cap, "%.*s", (int)strcspn(env, ","), env);
    else
        snprintf(buf, cap, "%s", d && *d ? d : "/tmp");
}

int64_t spill_value_bytes(const lm_type *t, const lm_value *v)
{
    int64_t n = (int64_t)sizeof(lm_value);
    if (v->is_null)
        return n;
    switch (t->id) {
    case LM_TYPE_STRING:
    case LM_TYPE_BINARY:
        return n + v->u.str.len;
    case LM_TYPE_ARRAY:
        n += (int64_t)sizeof(lm_array_value);
        for (int32_t i = 0; i < v->u.arr->n; i++)
            n += spill_value_bytes(t->elem, &v->u.arr->elems[i]);
        return n;
    case LM_TYPE_MAP:
        n += (int64_t)sizeof(lm_map_value);
        for (int32_t i = 0; i < v->u.map->n; i++)
            n += spill_value_bytes(t->key, &v->u.map->keys[i]) +
                 spill_value_bytes(t->value, &v->u.map->values[i]);
        return n;
    case LM_TYPE_STRUCT:
        n += (int64_t)sizeof(lm_struct_value);
        for (int i = 0; i < t->nfields; i++)
            n += spill_value_bytes(t->fields[i].type, &v->u.st->fields[i]);
        return n;
    default:
        return n;
    }
}

/* --------------------------------------------------------------- files */
struct spill_file {
    char *path;
    lm_fio_plan *plan;
    lm_memcap *cap;
    lm_file *f;
    bool reading;
    bool kept;        /* finished, left on disk for readers */
    bool borrowed;    /* a reader of a kept file: the name is not ours */
    unsigned char *buf;
    size_t len, pos; /* writing: bytes buffered; reading: bytes in buf, next */
    int64_t rows, bytes;
};

spill_file *spill_create(const char *dir, lm_fio_plan *plan, lm_memcap *cap, lm_error *err)
{
    static atomic_llong counter;
    long long id = atomic_fetch_add(&counter, 1);
    spill_file *f = calloc(1, sizeof *f);
    size_t plen = strlen(dir) + 64;
    char *path = malloc(plen);
    unsigned char *buf = malloc(SPILL_BUF);
    if (f == NULL || path == NULL || buf == NULL) {
        free(f);
        free(path);
        free(buf);
        lm_error_oom(err);
        return NULL;
    }
    snprintf(path, plen, "%s/localmode-spill-%ld-%lld", dir, (long)getpid(), id);
    f->path = path;
    f->plan = plan;
    f->cap = cap;
    f->buf = buf;
    f->f = lm_fio_create(plan, path, err);
    if (f->f == NULL) {
        spill_close(f);
        return NULL;
    }
    return f;
}

static lm_status flush(spill_file *f, lm_error *err)
{
    if (f->len == 0)
        return LM_OK;
    lm_status st = lm_fio_write(f->f, f->buf, f->len, err);
    f->bytes += (int64_t)f->len;
    f->len = 0;
    return st;
}

static lm_status put(spill_file *f, const void *p, size_t n, lm_error *err)
{
    const unsigned char *s = p;
    while (n > 0) {
        if (f->len == SPILL_BUF) {
            lm_status st = flush(f, err);
            if (st != LM_OK)
                return st;
        }
        size_t k = SPILL_BUF - f->len < n ? SPILL_BUF - f->len : n;
        memcpy(f->buf + f->len, s, k);
        f->len += k;
        s += k;
        n -= k;
    }
    return LM_OK;
}

static lm_status encode(spill_file *f, const lm_type *t, const lm_value *v, lm_error *err)
{
    unsigned char null = v->is_null;
    lm_status st = put(f, &null, 1, err);
    if (st != LM_OK || v->is_null)
        return st;
    switch (t->id) {
    case LM_TYPE_NULL:
        return LM_OK;
    case LM_TYPE_BOOLEAN:
        return put(f, &v->u.b, sizeof v->u.b, err);
    case LM_TYPE_FLOAT:
        return put(f, &v->u.f32, sizeof v->u.f32, err);
    case LM_TYPE_DOUBLE:
        return put(f, &v->u.f64, sizeof v->u.f64, err);
    case LM_TYPE_DECIMAL:
        return put(f, &v->u.dec, sizeof v->u.dec, err);
    case LM_TYPE_INTERVAL:
        return put(f, &v->u.iv, sizeof v->u.iv, err);
    case LM_TYPE_STRING:
    case LM_TYPE_BINARY:
        st = put(f, &v->u.str.len, sizeof v->u.str.len, err);
        return st == LM_OK ? put(f, v->u.str.ptr, (size_t)v->u.str.len, err) : st;
    case LM_TYPE_ARRAY:
        st = put(f, &v->u.arr->n, sizeof v->u.arr->n, err);
        for (int32_t i = 0; st == LM_OK && i < v->u.arr->n; i++)
            st = encode(f, t->elem, &v->u.arr->elems[i], err);
        return st;
    case LM_TYPE_MAP:
        st = put(f, &v->u.map->n, sizeof v->u.map->n, err);
        for (int32_t i = 0; st == LM_OK && i < v->u.map->n; i++) {
            st = encode(f, t->key, &v->u.map->keys[i], err);
            if (st == LM_OK)
                st = encode(f, t->value, &v->u.map->values[i], err);
        }
        return st;
    case LM_TYPE_STRUCT:
        for (int i = 0; st == LM_OK && i < t->nfields; i++)
            st = encode(f, t->fields[i].type, &v->u.st->fields[i], err);
        return st;
    default:
        return put(f, &v->u.i64, sizeof v->u.i64, err);
    }
}

lm_status spill_write(spill_file *f, const lm_type *t, const lm_value *v, lm_error *err)
{
    lm_status st = encode(f, t, v, err);
    if (st == LM_OK)
        f->rows++;
    return st;
}

lm_status spill_finish(spill_file *f, lm_error *err)
{
    lm_status st = flush(f, err);
    if (st == LM_OK)
        st = lm_fio_close(f->f, err);
    else
        lm_fio_discard(f->f);
    f->f = NULL;
    if (st != LM_OK)
        return st;
    if (f->cap)
        lm_memcap_note_spill(f->cap, f->bytes);
    f->f = lm_fio_open_read(f->plan, f->path, err);
    if (f->f == NULL)
        return LM_EIO;
    /* open for reading: the name is no longer needed, and without it the
       file cannot outlive the process */
    unlink(f->path);
    f->reading = true;
    f->len = f->pos = 0;
    return LM_OK;
}

/* Reads exactly n bytes; LM_EIO with a message when the file ends early. */
static lm_status get(spill_file *f, void *p, size_t n, lm_error *err)
{
    unsigned char *d = p;
    while (n > 0) {
        if (f->pos == f->len) {
            size_t got;
            lm_status st = lm_fio_read(f->f, f->buf, SPILL_BUF, &got, err);
            if (st != LM_OK)
                return st;
            if (got == 0)
                return lm_error_set(err, LM_EIO, "java.io.EOFException", NULL, NULL,
                                    "Unexpected end of spill file %s", f->path);
            f->len = got;
            f->pos = 0;
        }
        size_t k = f->len - f->pos < n ? f->len - f->pos : n;
        memcpy(d, f->buf + f->pos, k);
        f->pos += k;
        d += k;
        n -= k;
    }
    return LM_OK;
}

static lm_status decode(spill_file *f, const lm_type *t, lm_arena *a, lm_value *out,
                        lm_error *err)
{
    unsigned char null;
    *out = lm_value_null();
    lm_status st = get(f, &null, 1, err);
    if (st != LM_OK || null)
        return st;
    out->is_null = false;
    int32_t n;
    switch (t->id) {
    case LM_TYPE_NULL:
        out->is_null = true;
        return LM_OK;
    case LM_TYPE_BOOLEAN:
        return get(f, &out->u.b, sizeof out->u.b, err);
    case LM_TYPE_FLOAT:
        return get(f, &out->u.f32, sizeof out->u.f32, err);
    case LM_TYPE_DOUBLE:
        return get(f, &out->u.f64, sizeof out->u.f64, err);
    case LM_TYPE_DECIMAL:
        return get(f, &out->u.dec, sizeof out->u.dec, err);
    case LM_TYPE_INTERVAL:
        return get(f, &out->u.iv, sizeof out->u.iv, err);
    case LM_TYPE_STRING:
    case LM_TYPE_BINARY: {
        if ((st = get(f, &n, sizeof n, err)) != LM_OK)
            return st;
        char *s = lm_arena_alloc(a, (size_t)n + 1);
        if (s == NULL)
            return lm_error_oom(err);
        if ((st = get(f, s, (size_t)n, err)) != LM_OK)
            return st;
        s[n] = '\0';
        out->u.str.ptr = s;
        out->u.str.len = n;
        return LM_OK;
    }
    case LM_TYPE_ARRAY: {
        if ((st = get(f, &n, sizeof n, err)) != LM_OK)
            return st;
        lm_array_value *av = lm_arena_alloc(a, sizeof *av);
        lm_value *e = lm_arena_calloc(a, (size_t)n + 1, sizeof *e);
        if (av == NULL || e == NULL)
            return lm_error_oom(err);
        for (int32_t i = 0; st == LM_OK && i < n; i++)
            st = decode(f, t->elem, a, &e[i], err);
        av->n = n;
        av->elems = e;
        out->u.arr = av;
        return st;
    }
    case LM_TYPE_MAP: {
        if ((st = get(f, &n, sizeof n, err)) != LM_OK)
            return st;
        lm_map_value *mv = lm_arena_alloc(a, sizeof *mv);
        lm_value *k = lm_arena_calloc(a, (size_t)n + 1, sizeof *k);
        lm_value *v = lm_arena_calloc(a, (size_t)n + 1, sizeof *v);
        if (mv == NULL || k == NULL || v == NULL)
            return lm_error_oom(err);
        for (int32_t i = 0; st == LM_OK && i < n; i++) {
            st = decode(f, t->key, a, &k[i], err);
            if (st == LM_OK)
                st = decode(f, t->value, a, &v[i], err);
        }
        mv->n = n;
        mv->keys = k;
        mv->values = v;
        out->u.map = mv;
        return st;
    }
    case LM_TYPE_STRUCT: {
        lm_struct_value *sv = lm_arena_alloc(a, sizeof *sv);
        lm_value *fl = lm_arena_calloc(a, (size_t)t->nfields + 1, sizeof *fl);
        if (sv == NULL || fl == NULL)
            return lm_error_oom(err);
        for (int i = 0; st == LM_OK && i < t->nfields; i++)
            st = decode(f, t->fields[i].type, a, &fl[i], err);
        sv->n = t->nfields;
        sv->fields = fl;
        out->u.st = sv;
        return st;
    }
    default:
        return get(f, &out->u.i64, sizeof out->u.i64, err);
    }
}

lm_status spill_finish_kept(spill_file *f, lm_error *err)
{
    lm_status st = flush(f, err);
    if (st == LM_OK)
        st = lm_fio_close(f->f, err);
    else
        lm_fio_discard(f->f);
    f->f = NULL;
    if (st == LM_OK) {
        f->kept = true;
        if (f->cap)
            lm_memcap_note_spill(f->cap, f->bytes);
    }
    return st;
}

spill_file *spill_open_reader(const spill_file *f, lm_error *err)
{
    spill_file *r = calloc(1, sizeof *r);
    unsigned char *buf = malloc(SPILL_BUF);
    char *path = strdup(f->path);
    if (r == NULL || buf == NULL || path == NULL) {
        free(r);
        free(buf);
        free(path);
        lm_error_oom(err);
        return NULL;
    }
    r->path = path;
    r->plan = f->plan;
    r->buf = buf;
    r->rows = f->rows;
    r->bytes = f->bytes;
    r->reading = r->borrowed = true;
    r->f = lm_fio_open_read(f->plan, path, err);
    if (r->f == NULL) {
        spill_close(r);
        return NULL;
    }
    return r;
}

lm_status spill_read(spill_file *f, const lm_type *t, lm_arena *a, lm_value *out, bool *has,
                     lm_error *err)
{
    *has = false;
    if (f->rows == 0)
        return LM_OK;
    lm_status st = decode(f, t, a, out, err);
    if (st == LM_OK) {
        f->rows--;
        *has = true;
    }
    return st;
}

int64_t spill_rows(const spill_file *f)
{
    return f->rows;
}

int64_t spill_bytes(const spill_file *f)
{
    return f->bytes;
}

void spill_close(spill_file *f)
{
    if (f == NULL)
        return;
    lm_fio_discard(f->f);
    if (!f->reading && !f->borrowed)
        unlink(f->path); /* written (or kept) here and not yet unlinked */
    free(f->path);
    free(f->buf);
    free(f);
}

/* -------------------------------------------------------------- sorter */
struct spill_sorter {
    const lm_type *t;
    spill_cmp cmp;
    void *ud;
    const char *dir;
    lm_fio_plan *plan;
    lm_memcap *cap;
    lm_memres res;
    bool by_ref;      /* the in-memory run references the caller's values */
    lm_arena mem;     /* the in-memory run's values (copies) */
    lm_value *run;
    int64_t n, capn;
    spill_file **runs;
    int nruns;
    /* merge */
    bool primed;
    lm_value *heads;  /* nruns + 1: runs, then the in-memory run */
    bool *live;
    int64_t next_mem; /* next value of the in-memory run */
};

spill_sorter *spill_sorter_new(const lm_type *t, spill_cmp cmp, void *ud, lm_memcap *cap,
                               const char *dir, lm_fio_plan *plan, bool by_ref)
{
    spill_sorter *s = calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    s->t = t;
    s->cmp = cmp;
    s->ud = ud;
    s->dir = dir;
    s->plan = plan;
    s->cap = cap;
    s->by_ref = by_ref;
    lm_memres_init(&s->res, cap);
    lm_arena_init(&s->mem, 64 * 1024);
    return s;
}

void spill_stable_sort(const lm_type *t, lm_value *v, lm_value *tmp, int64_t n, spill_cmp cmp,
                       void *ud)
{
    if (n < 2)
        return;
    int64_t h = n / 2;
    spill_stable_sort(t, v, tmp, h, cmp, ud);
    spill_stable_sort(t, v + h, tmp, n - h, cmp, ud);
    int64_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = cmp(t, &v[j], &v[i], ud) < 0 ? v[j++] : v[i++];
    while (i < h)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    memcpy(v, tmp, sizeof *v * (size_t)n);
}

static lm_status sort_run(spill_sorter *s, lm_error *err)
{
    if (s->n < 2)
        return LM_OK;
    lm_value *tmp = malloc(sizeof *tmp * (size_t)s->n);
    if (tmp == NULL)
        return lm_error_oom(err);
    spill_stable_sort(s->t, s->run, tmp, s->n, s->cmp, s->ud);
    free(tmp);
    return LM_OK;
}

/* Sorts the in-memory run and writes it out as a new run on disk. */
static lm_status spill_run(spill_sorter *s, lm_error *err)
{
    lm_status st = sort_run(s, err);
    spill_file **nr = st == LM_OK ? realloc(s->runs, sizeof *nr * (size_t)(s->nruns + 1)) : NULL;
    if (st == LM_OK && nr == NULL)
        st = lm_error_oom(err);
    if (st != LM_OK)
        return st;
    s->runs = nr;
    spill_file *f = spill_create(s->dir, s->plan, s->cap, err);
    if (f == NULL)
        return err->status != LM_OK ? err->status : LM_EIO;
    for (int64_t i = 0; st == LM_OK && i < s->n; i++)
        st = spill_write(f, s->t, &s->run[i], err);
    if (st == LM_OK)
        st = spill_finish(f, err);
    if (st != LM_OK) {
        spill_close(f);
        return st;
    }
    s->runs[s->nruns++] = f;
    s->n = 0;
    lm_arena_free(&s->mem);
    lm_memres_release(&s->res);
    return LM_OK;
}

lm_status spill_sorter_add(spill_sorter *s, const lm_value *v, lm_error *err)
{
    int64_t bytes = spill_value_bytes(s->t, v);
    if (!lm_memres_grow(&s->res, bytes)) {
        if (s->n > 0) {
            lm_status st = spill_run(s, err);
            if (st != LM_OK)
                return st;
        }
        lm_memres_force(&s->res, bytes); /* one value always fits */
    }
    if (s->n == s->capn) {
        int64_t nc = s->capn ? s->capn * 2 : 256;
        lm_value *r = realloc(s->run, sizeof *r * (size_t)nc);
        if (r == NULL)
            return lm_error_oom(err);
        s->run = r;
        s->capn = nc;
    }
    if (s->by_ref)
        s->run[s->n] = *v;
    else if (!lm_value_copy(&s->mem, s->t, v, &s->run[s->n]))
        return lm_error_oom(err);
    s->n++;
    return LM_OK;
}

lm_status spill_sorter_finish(spill_sorter *s, lm_error *err)
{
    lm_status st = sort_run(s, err);
    if (st != LM_OK)
        return st;
    s->heads = calloc((size_t)s->nruns + 1, sizeof *s->heads);
    s->live = calloc((size_t)s->nruns + 1, sizeof *s->live);
    if (s->heads == NULL || s->live == NULL)
        return lm_error_oom(err);
    return LM_OK;
}

/* Loads source i's next value into heads[i] (live[i] false at its end). */
static lm_status advance(spill_sorter *s, int i, lm_arena *a, lm_error *err)
{
    if (i == s->nruns) {
        s->live[i] = s->next_mem < s->n;
        if (s->live[i])
            s->heads[i] = s->run[s->next_mem++];
        return LM_OK;
    }
    bool has;
    lm_status st = spill_read(s->runs[i], s->t, a, &s->heads[i], &has, err);
    s->live[i] = st == LM_OK && has;
    return st;
}

lm_status spill_sorter_next(spill_sorter *s, lm_arena *a, lm_value *out, bool *has,
                            lm_error *err)
{
    *has = false;
    if (!s->primed) {
        for (int i = 0; i <= s->nruns; i++) {
            lm_status st = advance(s, i, a, err);
            if (st != LM_OK)
                return st;
        }
        s->primed = true;
    }
    /* the smallest head; on ties the earliest source (runs hold earlier
       input than later runs and the in-memory run), which keeps it stable.
       A linear scan: runs are few, each one a cap's worth of rows. */
    int best = -1;
    for (int i = 0; i <= s->nruns; i++)
        if (s->live[i] &&
            (best < 0 || s->cmp(s->t, &s->heads[i], &s->heads[best], s->ud) < 0))
            best = i;
    if (best < 0)
        return LM_OK;
    *out = s->heads[best];
    *has = true;
    return advance(s, best, a, err);
}

int spill_sorter_runs(const spill_sorter *s)
{
    return s->nruns;
}

void spill_sorter_free(spill_sorter *s)
{
    if (s == NULL)
        return;
    for (int i = 0; i < s->nruns; i++)
        spill_close(s->runs[i]);
    free(s->runs);
    free(s->run);
    free(s->heads);
    free(s->live);
    lm_arena_free(&s->mem);
    lm_memres_release(&s->res);
    free(s);
}

/* ---------------------------------------------------------- partitions */
lm_status spill_partitions_init(spill_partitions *p, int n, const char *dir,
                                lm_fio_plan *plan, lm_memcap *cap, lm_error *err)
{
    memset(p, 0, sizeof *p);
    p->files = calloc((size_t)(n > 0 ? n : 1), sizeof *p->files);
    if (p->files == NULL)
        return lm_error_oom(err);
    p->n = n;
    p->dir = dir;
    p->plan = plan;
    p->cap = cap;
    return LM_OK;
}

lm_status spill_partitions_write(spill_partitions *p, int part, const lm_type *t,
                                 const lm_value *v, lm_error *err)
{
    if (p->files[part] == NULL && (p->files[part] = spill_create(p->dir, p->plan, p->cap, err)) ==
                                      NULL)
        return err->status != LM_OK ? err->status : LM_EIO;
    return spill_write(p->files[part], t, v, err);
}

lm_status spill_partitions_take(spill_partitions *p, int part, spill_file **out, lm_error *err)
{
    *out = p->files[part];
    p->files[part] = NULL;
    if (*out == NULL)
        return LM_OK;
    lm_status st = spill_finish(*out, err);
    if (st != LM_OK) {
        spill_close(*out);
        *out = NULL;
    }
    return st;
}

void spill_partitions_free(spill_partitions *p)
{
    for (int i = 0; p->files && i < p->n; i++)
        spill_close(p->files[i]);
    free(p->files);
    p->files = NULL;
}
