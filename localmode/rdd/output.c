/*
 * saveAsTextFile with Hadoop's FileOutputCommitter layout: each task writes
 * <out>/_temporary/0/_temporary/attempt_<job>_<stage>_m_<part>_<attempt>/
 * part-NNNNN[.gz], commits it by renaming to _temporary/0/task_.../, and
 * the job moves the parts into <out>, removes _temporary and writes an
 * empty _SUCCESS. An existing output folder is an error (Hadoop's
 * FileAlreadyExistsException); a failed job removes everything it made.
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

/* Removes a folder tree (best effort). */
static void remove_tree(const char *path)
{
    DIR *d = opendir(path);
    if (d == NULL) {
        unlink(path);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *p = malloc(strlen(path) + strlen(e->d_name) + 2);
        if (p == NULL)
            continue;
        sprintf(p, "%s/%s", path, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
            remove_tree(p);
        else
            unlink(p);
        free(p);
    }
    closedir(d);
    rmdir(path);
}

static int mkdirs(const char *path)
{
    char *p = strdup(path);
    if (p == NULL)
        return -1;
    for (char *c = p + 1; *c; c++)
        if (*c == '/') {
            *c = '\0';
            mkdir(p, 0777);
            *c = '/';
        }
    int rc = mkdir(p, 0777);
    free(p);
    return rc == 0 || errno == EEXIST ? 0 : -1;
}

typedef struct save_job {
    const char *path;
    const lm_type *type;
    bool gzip;
    int job, stage;
    lm_session *s;
} save_job;

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
    if (mkdirs(dir) != 0)
        return rdd_task_error(t, LM_EIO, "Mkdirs failed to create %s", dir);
    FILE *f = NULL;
    gzFile gz = NULL;
    if (j->gzip)
        gz = gzopen(file, "wb");
    else
        f = fopen(file, "wb");
    if (f == NULL && gz == NULL)
        return rdd_task_error(t, LM_EIO, "cannot write %s", file);
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
        bool ok = j->gzip ? gzwrite(gz, sb.data, (unsigned)sb.len) == (int)sb.len
                          : fwrite(sb.data, 1, sb.len, f) == sb.len;
        if (!ok) {
            st = rdd_task_error(t, LM_EIO, "write to %s failed", file);
            break;
        }
    }
    lm_strbuf_free(&sb);
    bool closed = j->gzip ? gzclose(gz) == Z_OK : fclose(f) == 0;
    if (st == LM_OK && !closed)
        st = rdd_task_error(t, LM_EIO, "write to %s failed", file);
    /* task commit: the attempt's output becomes the task's */
    if (st == LM_OK && (mkdirs(task_dir) != 0 || rename(file, final) != 0))
        st = rdd_task_error(t, LM_EIO, "cannot commit %s", final);
    if (st != LM_OK)
        unlink(file);
    remove_tree(dir);
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
    if (mkdirs(path) != 0)
        return rdd_fail(s, LM_EIO, "java.io.IOException", "Mkdirs failed to create %s", path);
    save_job j = {path, r->type, gzip, r->ctx->next_job_id, 0, s};
    char *slots = calloc((size_t)r->nparts + 1, 1);
    lm_status st = slots ? rdd_run_job(r, NULL, 0, save_task, &j, slots, 1)
                         : lm_error_oom(&s->error);
    free(slots);
    size_t plen = strlen(path) + 64;
    char *tmp = malloc(plen);
    if (tmp == NULL) {
        remove_tree(path);
        return st == LM_OK ? lm_error_oom(&s->error) : st;
    }
    snprintf(tmp, plen, "%s/_temporary/0", path);
    if (st == LM_OK) {
        /* job commit: move every committed task's files into place */
        lm_arena names;
        lm_arena_init(&names, 4096);
        DIR *d = opendir(tmp);
        struct dirent *e;
        while (d && st == LM_OK && (e = readdir(d)) != NULL) {
            if (strncmp(e->d_name, "task_", 5) != 0)
                continue;
            char *td = lm_arena_printf(&names, "%s/%s", tmp, e->d_name);
            DIR *dd = td ? opendir(td) : NULL;
            struct dirent *f;
            while (dd && (f = readdir(dd)) != NULL) {
                if (f->d_name[0] == '.')
                    continue;
                char *from = lm_arena_printf(&names, "%s/%s", td, f->d_name);
                char *to = lm_arena_printf(&names, "%s/%s", path, f->d_name);
                if (from == NULL || to == NULL || rename(from, to) != 0)
                    st = rdd_fail(s, LM_EIO, "java.io.IOException", "cannot move %s", from);
            }
            if (dd)
                closedir(dd);
        }
        if (d)
            closedir(d);
        lm_arena_free(&names);
    }
    snprintf(tmp, plen, "%s/_temporary", path);
    remove_tree(tmp);
    if (st == LM_OK) {
        snprintf(tmp, plen, "%s/_SUCCESS", path);
        FILE *f = fopen(tmp, "wb");
        if (f == NULL || fclose(f) != 0)
            st = rdd_fail(s, LM_EIO, "java.io.IOException", "cannot write %s", tmp);
    }
    if (st != LM_OK)
        remove_tree(path); /* a failed job leaves no output */
    free(tmp);
    return st;
}
