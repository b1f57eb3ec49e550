/*
 * Reliable checkpoints. After a job, every RDD of its lineage marked with
 * checkpoint() and not yet saved is written (a second job, reading the
 * cache when the RDD is persisted) to <dir>/<uuid>/rdd-<id>/part-NNNNN,
 * and its lineage is replaced by a ReliableCheckpointRDD reading those
 * files. Values are stored in a compact binary form of our own (Spark uses
 * Java serialization, which nothing else reads either).
 */
#include "rdd_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "session/session.h"

/* ---------------------------------------------------------------- serde */
static void put(lm_strbuf *sb, const void *p, size_t n)
{
    lm_strbuf_append(sb, p, n);
}

lm_status rdd_serialize_value(lm_strbuf *sb, const lm_type *t, const lm_value *v)
{
    uint8_t null = v->is_null;
    put(sb, &null, 1);
    if (v->is_null)
        return LM_OK;
    switch (t->id) {
    case LM_TYPE_NULL:
        return LM_OK;
    case LM_TYPE_BOOLEAN:
        put(sb, &v->u.b, sizeof v->u.b);
        return LM_OK;
    case LM_TYPE_FLOAT:
        put(sb, &v->u.f32, sizeof v->u.f32);
        return LM_OK;
    case LM_TYPE_DOUBLE:
        put(sb, &v->u.f64, sizeof v->u.f64);
        return LM_OK;
    case LM_TYPE_DECIMAL:
        put(sb, &v->u.dec, sizeof v->u.dec);
        return LM_OK;
    case LM_TYPE_INTERVAL:
        put(sb, &v->u.iv, sizeof v->u.iv);
        return LM_OK;
    case LM_TYPE_STRING:
    case LM_TYPE_BINARY:
        put(sb, &v->u.str.len, sizeof v->u.str.len);
        put(sb, v->u.str.ptr, (size_t)v->u.str.len);
        return LM_OK;
    case LM_TYPE_ARRAY:
        put(sb, &v->u.arr->n, sizeof v->u.arr->n);
        for (int i = 0; i < v->u.arr->n; i++)
            rdd_serialize_value(sb, t->elem, &v->u.arr->elems[i]);
        return LM_OK;
    case LM_TYPE_MAP:
        put(sb, &v->u.map->n, sizeof v->u.map->n);
        for (int i = 0; i < v->u.map->n; i++) {
            rdd_serialize_value(sb, t->key, &v->u.map->keys[i]);
            rdd_serialize_value(sb, t->value, &v->u.map->values[i]);
        }
        return LM_OK;
    case LM_TYPE_STRUCT:
        for (int i = 0; i < t->nfields; i++)
            rdd_serialize_value(sb, t->fields[i].type, &v->u.st->fields[i]);
        return LM_OK;
    default:
        put(sb, &v->u.i64, sizeof v->u.i64);
        return LM_OK;
    }
}

static bool get(const uint8_t **p, const uint8_t *end, void *out, size_t n)
{
    if ((size_t)(end - *p) < n)
        return false;
    memcpy(out, *p, n);
    *p += n;
    return true;
}

lm_status rdd_deserialize_value(const uint8_t **p, const uint8_t *end, const lm_type *t,
                                lm_value *out, lm_arena *a)
{
    uint8_t null;
    *out = lm_value_null();
    if (!get(p, end, &null, 1))
        return LM_EIO;
    if (null)
        return LM_OK;
    out->is_null = false;
    int32_t n;
    switch (t->id) {
    case LM_TYPE_NULL:
        out->is_null = true;
        return LM_OK;
    case LM_TYPE_BOOLEAN:
        return get(p, end, &out->u.b, sizeof out->u.b) ? LM_OK : LM_EIO;
    case LM_TYPE_FLOAT:
        return get(p, end, &out->u.f32, sizeof out->u.f32) ? LM_OK : LM_EIO;
    case LM_TYPE_DOUBLE:
        return get(p, end, &out->u.f64, sizeof out->u.f64) ? LM_OK : LM_EIO;
    case LM_TYPE_DECIMAL:
        return get(p, end, &out->u.dec, sizeof out->u.dec) ? LM_OK : LM_EIO;
    case LM_TYPE_INTERVAL:
        return get(p, end, &out->u.iv, sizeof out->u.iv) ? LM_OK : LM_EIO;
    case LM_TYPE_STRING:
    case LM_TYPE_BINARY: {
        if (!get(p, end, &n, sizeof n) || n < 0 || (size_t)(end - *p) < (size_t)n)
            return LM_EIO;
        char *s = lm_arena_strndup(a, (const char *)*p, (size_t)n);
        if (s == NULL)
            return LM_ENOMEM;
        *p += n;
        out->u.str.ptr = s;
        out->u.str.len = n;
        return LM_OK;
    }
    case LM_TYPE_ARRAY: {
        if (!get(p, end, &n, sizeof n) || n < 0)
            return LM_EIO;
        lm_array_value *av = lm_arena_alloc(a, sizeof *av);
        lm_value *e = lm_arena_calloc(a, (size_t)n + 1, sizeof *e);
        if (av == NULL || e == NULL)
            return LM_ENOMEM;
        av->n = n;
        av->elems = e;
        for (int i = 0; i < n; i++) {
            lm_status st = rdd_deserialize_value(p, end, t->elem, &e[i], a);
            if (st != LM_OK)
                return st;
        }
        out->u.arr = av;
        return LM_OK;
    }
    case LM_TYPE_MAP: {
        if (!get(p, end, &n, sizeof n) || n < 0)
            return LM_EIO;
        lm_map_value *mv = lm_arena_alloc(a, sizeof *mv);
        lm_value *k = lm_arena_calloc(a, (size_t)n + 1, sizeof *k);
        lm_value *v = lm_arena_calloc(a, (size_t)n + 1, sizeof *v);
        if (mv == NULL || k == NULL || v == NULL)
            return LM_ENOMEM;
        mv->n = n;
        mv->keys = k;
        mv->values = v;
        for (int i = 0; i < n; i++) {
            lm_status st = rdd_deserialize_value(p, end, t->key, &k[i], a);
            if (st == LM_OK)
                st = rdd_deserialize_value(p, end, t->value, &v[i], a);
            if (st != LM_OK)
                return st;
        }
        out->u.map = mv;
        return LM_OK;
    }
    case LM_TYPE_STRUCT: {
        lm_struct_value *sv = lm_arena_alloc(a, sizeof *sv);
        lm_value *f = lm_arena_calloc(a, (size_t)t->nfields + 1, sizeof *f);
        if (sv == NULL || f == NULL)
            return LM_ENOMEM;
        sv->n = t->nfields;
        sv->fields = f;
        for (int i = 0; i < t->nfields; i++) {
            lm_status st = rdd_deserialize_value(p, end, t->fields[i].type, &f[i], a);
            if (st != LM_OK)
                return st;
        }
        out->u.st = sv;
        return LM_OK;
    }
    default:
        return get(p, end, &out->u.i64, sizeof out->u.i64) ? LM_OK : LM_EIO;
    }
}

/* ------------------------------------------------------- checkpoint dir */
lm_status lm_rdd_set_checkpoint_dir(lm_session *s, const char *dir)
{
    rdd_ctx *ctx = rdd_ctx_get(s);
    if (ctx == NULL)
        return LM_ERROR;
    mkdir(dir, 0777);
    /* SparkContext.setCheckpointDir puts each context in a fresh folder. */
    uint8_t b[16] = {0};
    FILE *u = fopen("/dev/urandom", "rb");
    if (u) {
        if (fread(b, 1, sizeof b, u) != sizeof b)
            memset(b, 0, sizeof b);
        fclose(u);
    }
    b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);
    b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_printf(&sb, "%s/", dir);
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            lm_strbuf_putc(&sb, '-');
        lm_strbuf_printf(&sb, "%02x", b[i]);
    }
    char *path = lm_strbuf_detach(&sb);
    if (path == NULL)
        return lm_error_oom(&s->error);
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
        rdd_fail(s, LM_EIO, "java.io.IOException", "Failed to create checkpoint path %s", path);
        free(path);
        return LM_EIO;
    }
    free(ctx->ckpt_dir);
    ctx->ckpt_dir = path;
    return LM_OK;
}

lm_status lm_rdd_checkpoint(lm_rdd *r)
{
    if (r == NULL)
        return LM_ERROR;
    if (r->ctx->ckpt_dir == NULL)
        return rdd_fail(r->ctx->s, LM_ERROR, RDD_EXC_SPARK,
                        "Checkpoint directory has not been set in the SparkContext");
    if (!r->ckpt_done)
        r->ckpt_marked = true;
    return LM_OK;
}

bool lm_rdd_is_checkpointed(const lm_rdd *r)
{
    return r && r->ckpt_done;
}

/* ------------------------------------------------ ReliableCheckpointRDD */
typedef struct ckpt_state {
    char *dir;
} ckpt_state;

static lm_status ckpt_open(lm_rdd *r, int part, lm_task *t, rdd_iter **out)
{
    ckpt_state *s = r->state;
    char *path = lm_arena_printf(&t->arena, "%s/part-%05d", s->dir, part);
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (f == NULL)
        return rdd_task_error(t, LM_EIO, "Checkpoint RDD has a partition file %s missing",
                              path ? path : "");
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        lm_strbuf_append(&sb, buf, n);
    fclose(f);
    const uint8_t *p = (const uint8_t *)(sb.data ? sb.data : ""), *end = p + sb.len;
    rdd_vec vals = {0};
    lm_status st = LM_OK;
    while (p < end && st == LM_OK) {
        lm_value v;
        st = rdd_deserialize_value(&p, end, r->type, &v, &t->arena);
        if (st == LM_OK)
            st = rdd_vec_push(t, &vals, &v);
    }
    lm_strbuf_free(&sb);
    if (st != LM_OK)
        return rdd_task_error(t, st, "corrupt checkpoint file %s", path);
    *out = rdd_iter_array(t, vals.v, vals.n);
    return *out ? LM_OK : LM_ENOMEM;
}

static void ckpt_free(lm_rdd *r)
{
    ckpt_state *s = r->state;
    if (s)
        free(s->dir);
    free(s);
}

static const rdd_ops ckpt_ops = {"ReliableCheckpointRDD", ckpt_open, ckpt_free};

typedef struct write_job {
    const char *dir;
    const lm_type *type;
} write_job;

static lm_status write_task(lm_task *t, rdd_iter *it, int part, void *ud, void *slot)
{
    (void)slot;
    write_job *j = ud;
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_status st = LM_OK;
    for (;;) {
        lm_value v;
        bool has;
        if ((st = it->next(it, t, &v, &has)) != LM_OK || !has)
            break;
        rdd_serialize_value(&sb, j->type, &v);
    }
    char *path = lm_arena_printf(&t->arena, "%s/part-%05d", j->dir, part);
    FILE *f = st == LM_OK && path ? fopen(path, "wb") : NULL;
    if (st == LM_OK && (f == NULL || fwrite(sb.data ? sb.data : "", 1, sb.len, f) != sb.len))
        st = rdd_task_error(t, LM_EIO, "cannot write checkpoint %s", path ? path : "");
    if (f && fclose(f) != 0 && st == LM_OK)
        st = rdd_task_error(t, LM_EIO, "cannot write checkpoint %s", path);
    lm_strbuf_free(&sb);
    return st;
}

static lm_status checkpoint_one(lm_rdd *r)
{
    rdd_ctx *ctx = r->ctx;
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_printf(&sb, "%s/rdd-%d", ctx->ckpt_dir, r->id);
    char *dir = lm_strbuf_detach(&sb);
    if (dir == NULL)
        return lm_error_oom(&ctx->s->error);
    mkdir(dir, 0777);
    r->ckpt_marked = false; /* the writing job must not recurse here */
    write_job j = {dir, r->type};
    char *slots = calloc((size_t)r->nparts + 1, 1);
    lm_status st = slots ? rdd_run_job(r, NULL, 0, write_task, &j, slots, 1)
                         : lm_error_oom(&ctx->s->error);
    free(slots);
    ckpt_state *cs = st == LM_OK ? calloc(1, sizeof *cs) : NULL;
    lm_rdd *c = cs ? rdd_new(ctx, &ckpt_ops, r->type, r->nparts, "checkpoint", __func__) : NULL;
    if (c == NULL) {
        free(cs);
        free(dir);
        if (st == LM_OK)
            st = lm_error_oom(&ctx->s->error);
        r->ckpt_marked = true;
        return st;
    }
    cs->dir = dir;
    c->state = cs;
    c->partitioner = rdd_partitioner_ref(r->partitioner);
    r->ckpt_rdd = c;
    r->ckpt_dep.rdd = c;
    r->ckpt_dep.shuffle = NULL;
    r->ckpt_done = true;
    r->ckpt_path = strdup(cs->dir);
    return LM_OK;
}

/* RDD.doCheckpoint: the first marked RDD on each path from r is saved
   (Spark stops at the first one it finds). */
static lm_status visit(lm_rdd *r, int depth)
{
    if (depth > 100000 || r->ckpt_done)
        return LM_OK;
    if (r->ckpt_marked)
        return checkpoint_one(r);
    for (int i = 0; i < r->ndeps; i++) {
        lm_status st = visit(r->deps[i].rdd, depth + 1);
        if (st != LM_OK)
            return st;
    }
    return LM_OK;
}

lm_status rdd_do_checkpoint(lm_rdd *r)
{
    if (r->ctx->ckpt_dir == NULL)
        return LM_OK;
    return visit(r, 0);
}
