/*
 * saveAsTextFile with Hadoop's FileOutputCommitter layout: each task writes
 * <out>/_temporary/0/_temporary/attempt_<job>_<stage>_m_<part>_<attempt>/
 * part-NNNNN[.gz], commits it by renaming to _temporary/0/task_.../, and
 * the job moves the parts into <out>, removes _temporary and writes an
 * empty _SUCCESS. An existing output folder is an error (Hadoop's
 * FileAlreadyExistsException); a failed job removes everything it made,
 * parent folders it created included. Every file operation goes through
 * common/fileio, so its fault plan (spark.localmode.test.ioFaults) reaches
 * each write, rename and mkdir.
 *
 * Elements are written as Scala's toString prints them: strings as is,
 * numbers as Java prints them, structs (tuples) as "(a,b)", arrays as
 * "[a, b]", null as "null"; other scalars as CAST(x AS STRING).
 */
#include "rdd_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "common/fileio.h"
#include "conf/conf.h"
#include "render/render.h"
#include "session/session.h"
#include "types/numfmt.h"

void rdd_value_text(lm_strbuf *sb, const lm_type *t, const lm_value *v, const lm_session *s)
{
    char buf[64];
    if (v->is_null) {
        lm_strbuf_puts(sb, "null");
        return;
    }
    switch (t->id) {
    case LM_TYPE_STRING:
        lm_strbuf_append(sb, v->u.str.ptr, (size_t)v->u.str.len);
        return;
    case LM_TYPE_DOUBLE:
        lm_strbuf_append(sb, buf, (size_t)lm_format_double(buf, v->u.f64));
        return;
    case LM_TYPE_FLOAT:
        lm_strbuf_append(sb, buf, (size_t)lm_format_float(buf, v->u.f32));
        return;
    case LM_TYPE_STRUCT:
        lm_strbuf_putc(sb, '(');
        for (int i = 0; i < t->nfields; i++) {
            if (i)
                lm_strbuf_putc(sb, ',');
            rdd_value_text(sb, t->fields[i].type, &v->u.st->fields[i], s);
        }
        lm_strbuf_putc(sb, ')');
        return;
    case LM_TYPE_ARRAY:
        lm_strbuf_putc(sb, '[');
        for (int i = 0; i < v->u.arr->n; i++) {
            if (i)
                lm_strbuf_puts(sb, ", ");
            rdd_value_text(sb, t->elem, &v->u.arr->elems[i], s);
        }
        lm_strbuf_putc(sb, ']');
        return;
    default:
        lm_render(sb, t, v, LM_STYLE_CAST, s ? s->tz : NULL);
        return;
    }
}

/*
 * A part file being written: plain, or gzip through a deflate stream, so
 * that every byte reaches the disk through common/fileio (and its fault
 * plan) rather than zlib's own file calls.
 */
typedef struct part_writer {
    lm_file *f;
    bool gzip;
    z_stream z;
    bool z_open;
    unsigned char out[16384];
} part_writer;

static lm_status pw_open(part_writer *w, lm_fio_plan *plan, const char *file, bool gzip,
                         lm_error *err)
{
    memset(w, 0, sizeof *w);
    w->gzip = gzip;
    if (gzip) {
        /* 15 window bits + 16: a gzip header and trailer, as GzipCodec */
        if (deflateInit2(&w->z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
                         Z_DEFAULT_STRATEGY) != Z_OK)
            return lm_error_oom(err);
        w->z_open = true;
    }
    w->f = lm_fio_create(plan, file, err);
    return w->f ? LM_OK : LM_EIO;
}

/* Compresses (or copies) n bytes to the file; flush ends the gzip stream. */
static lm_status pw_put(part_writer *w, const void *data, size_t n, bool flush, lm_error *err)
{
    if (!w->gzip)
        return lm_fio_write(w->f, data, n, err);
    w->z.next_in = (unsigned char *)data;
    w->z.avail_in = (uInt)n;
    int rc;
    do {
        w->z.next_out = w->out;
        w->z.avail_out = sizeof w->out;
        rc = deflate(&w->z, flush ? Z_FINISH : Z_NO_FLUSH);
        if (rc == Z_STREAM_ERROR)
            return lm_error_set(err, LM_ERROR, "java.io.IOException", NULL, NULL,
                                "gzip stream error");
        size_t have = sizeof w->out - w->z.avail_out;
        if (have > 0) {
            lm_status st = lm_fio_write(w->f, w->out, have, err);
            if (st != LM_OK)
                return st;
        }
    } while (w->z.avail_out == 0 || (flush && rc != Z_STREAM_END));
    return LM_OK;
}

/* Finishes the file; on failure (or when ok is false) discards it. */
static lm_status pw_close(part_writer *w, bool ok, lm_error *err)
{
    lm_status st = LM_OK;
    if (ok && w->gzip)
        st = pw_put(w, "", 0, true, err);
    if (w->z_open)
        deflateEnd(&w->z);
    if (ok && st == LM_OK)
        st = lm_fio_close(w->f, err);
    else
        lm_fio_discard(w->f);
    w->f = NULL;
    return st;
}

typedef struct save_job {
    const char *path;
    const lm_type *type;
    bool gzip;
    int job, stage;
    lm_session *s;
    lm_fio_plan *faults; /* spark.localmode.test.ioFaults, or NULL */
} save_job;

/* Moves a task error recorded by fileio into the task (first cause wins). */
static lm_status task_io_fail(lm_task *t, lm_error *e)
{
    lm_status st = e->status != LM_OK ? e->status : LM_EIO;
    if (t->err.message == NULL)
        lm_error_move(&t->err, e);
    else
        lm_error_clear(e);
    return st;
}

static lm_status save_task(lm_task *t, rdd_iter *it, int part, void *ud, void *slot)
{
    (void)slot;
    save_job *j = ud;
    char name[64], dir[4096], file[4200], task_dir[4096], final[4200];
    snprintf(name, sizeof name, "part-%05d%s", part, j->gzip ? ".gz" : "");
    snprintf(dir, sizeof dir, "%s/_temporary/0/_temporary/attempt_%d_%04d_m_%06d_%d", j->path,
             j->job, t->stage, part, t->attempt);
    snprintf(task_dir, sizeof task_dir, "%s/_temporary/0/task_%d_%04d_m_%06d", j->path, j->job,
             t->stage, part);
    snprintf(file, sizeof file, "%s/%s", dir, name);
    snprintf(final, sizeof final, "%s/%s", task_dir, name);
    lm_error e;
    lm_error_init(&e);
    if (lm_fio_mkdirs(j->faults, dir, NULL, &e) != LM_OK)
        return task_io_fail(t, &e);
    part_writer w;
    if (pw_open(&w, j->faults, file, j->gzip, &e) != LM_OK) {
        pw_close(&w, false, NULL);
        lm_fio_remove_tree(dir);
        return task_io_fail(t, &e);
    }
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_status st = LM_OK;
    for (;;) {
        lm_value v;
        bool has;
        if ((st = it->next(it, t, &v, &has)) != LM_OK || !has)
            break;
        if (v.is_null) {
            st = rdd_task_error(t, LM_ERROR, "requirement failed: text files do not allow null "
                                             "rows");
            break;
        }
        lm_strbuf_reset(&sb);
        rdd_value_text(&sb, j->type, &v, j->s);
        lm_strbuf_putc(&sb, '\n');
        if (!lm_strbuf_ok(&sb)) {
            st = rdd_task_error(t, LM_ENOMEM, "out of memory");
            break;
        }
        if ((st = pw_put(&w, sb.data, sb.len, false, &e)) != LM_OK) {
            st = task_io_fail(t, &e);
            break;
        }
    }
    lm_strbuf_free(&sb);
    if (pw_close(&w, st == LM_OK, &e) != LM_OK && st == LM_OK)
        st = task_io_fail(t, &e);
    /* task commit: the attempt's output becomes the task's */
    if (st == LM_OK && (lm_fio_mkdirs(j->faults, task_dir, NULL, &e) != LM_OK ||
                        lm_fio_rename(j->faults, file, final, &e) != LM_OK))
        st = task_io_fail(t, &e);
    lm_error_clear(&e);
    /* whatever happened, the attempt's folder goes */
    lm_fio_remove_tree(dir);
    return st;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of dir whose names start with prefix (NULL: not '.'), sorted,
   in arena memory; NULL-terminated. NULL when dir cannot be listed. */
static char **list_sorted(lm_arena *a, const char *dir, const char *prefix, int *n)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return NULL;
    int cap = 16;
    char **v = lm_arena_alloc(a, sizeof *v * (size_t)cap);
    *n = 0;
    struct dirent *e;
    while (v && (e = readdir(d)) != NULL) {
        if (prefix ? strncmp(e->d_name, prefix, strlen(prefix)) != 0 : e->d_name[0] == '.')
            continue;
        if (*n + 1 == cap) {
            char **nv = lm_arena_alloc(a, sizeof *nv * (size_t)(cap * 2));
            if (nv)
                memcpy(nv, v, sizeof *v * (size_t)cap);
            v = nv;
            cap *= 2;
        }
        if (v && (v[*n] = lm_arena_strndup(a, e->d_name, strlen(e->d_name))) != NULL)
            (*n)++;
        else
            v = NULL;
    }
    closedir(d);
    if (v) {
        qsort(v, (size_t)*n, sizeof *v, cmp_names);
        v[*n] = NULL;
    }
    return v;
}

/* Job commit: moves every committed task's files into the output folder,
   tasks and files in name order so a failure part-way is reproducible. */
static lm_status commit_job(save_job *j, const char *tmp, lm_error *err)
{
    lm_arena names;
    lm_arena_init(&names, 4096);
    lm_status st = LM_OK;
    int nt = 0;
    char **tasks = list_sorted(&names, tmp, "task_", &nt);
    if (tasks == NULL)
        st = lm_error_set(err, LM_EIO, "java.io.IOException", NULL, NULL, "cannot list %s: %s",
                          tmp, strerror(errno));
    for (int i = 0; st == LM_OK && i < nt; i++) {
        char *td = lm_arena_printf(&names, "%s/%s", tmp, tasks[i]);
        int nf = 0;
        char **files = td ? list_sorted(&names, td, NULL, &nf) : NULL;
        if (files == NULL)
            st = lm_error_oom(err);
        for (int k = 0; st == LM_OK && k < nf; k++) {
            char *from = lm_arena_printf(&names, "%s/%s", td, files[k]);
            char *to = lm_arena_printf(&names, "%s/%s", j->path, files[k]);
            st = from && to ? lm_fio_rename(j->faults, from, to, err) : lm_error_oom(err);
        }
    }
    lm_arena_free(&names);
    return st;
}

lm_status lm_rdd_save_as_text_file(lm_rdd *r, const char *path, const char *codec)
{
    if (r == NULL)
        return LM_ERROR;
    lm_session *s = r->ctx->s;
    bool gzip = false;
    if (codec != NULL) {
        if (strcmp(codec, "gzip") == 0 || strstr(codec, "GzipCodec") != NULL)
            gzip = true;
        else
            return rdd_fail(s, LM_EUNSUPPORTED, RDD_EXC_ILLEGAL_ARG,
                            "Compression codec %s not found.", codec);
    }
    struct stat stt;
    if (stat(path, &stt) == 0)
        return rdd_fail(s, LM_ERROR, "org.apache.hadoop.mapred.FileAlreadyExistsException",
                        "Output directory file:%s already exists", path);
    lm_fio_plan *faults = NULL;
    lm_status st = lm_fio_plan_parse(lm_conf_get(s->conf, LM_FIO_FAULTS_KEY), &faults, &s->error);
    if (st != LM_OK)
        return st;
    /* The outermost folder this save creates: removing it on failure
       leaves the file system as it was (no output, no temporary files). */
    char *created = NULL;
    if ((st = lm_fio_mkdirs(faults, path, &created, &s->error)) != LM_OK) {
        lm_fio_plan_free(faults);
        return st;
    }
    save_job j = {path, r->type, gzip, r->ctx->next_job_id, 0, s, faults};
    char *slots = calloc((size_t)r->nparts + 1, 1);
    st = slots ? rdd_run_job(r, NULL, 0, save_task, &j, slots, 1) : lm_error_oom(&s->error);
    free(slots);
    size_t plen = strlen(path) + 64;
    char *tmp = malloc(plen);
    if (tmp == NULL && st == LM_OK)
        st = lm_error_oom(&s->error);
    if (st == LM_OK) {
        snprintf(tmp, plen, "%s/_temporary/0", path);
        st = commit_job(&j, tmp, &s->error);
    }
    if (tmp) {
        snprintf(tmp, plen, "%s/_temporary", path);
        lm_fio_remove_tree(tmp);
    }
    if (st == LM_OK) {
        snprintf(tmp, plen, "%s/_SUCCESS", path);
        lm_file *f = lm_fio_create(faults, tmp, &s->error);
        st = f ? lm_fio_close(f, &s->error) : LM_EIO;
    }
    if (st != LM_OK && created)
        lm_fio_remove_tree(created); /* a failed job leaves no output */
    free(created);
    free(tmp);
    lm_fio_plan_free(faults);
    return st;
}
