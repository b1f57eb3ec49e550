/*
 * textFile and wholeTextFiles over local files.
 *
 * textFile is HadoopRDD + map as in Spark, with the old-API
 * FileInputFormat splits: goal = total bytes / minPartitions, split size
 * max(1, min(goal, 32 MiB block)), a file cut while more than 1.1 splits
 * remain, an empty file one empty split, a .gz file one unsplit split.
 * LineRecordReader's rule decides which split reads a line: the split
 * whose (start, end] holds the line's first byte (the first split also
 * takes offset 0); lines end at \n, \r or \r\n.
 *
 * Inputs: comma-separated paths, each a file, a folder (its files, not
 * recursing, skipping names starting with '_' or '.'), or a glob; files
 * are taken in name order so partitions are deterministic.
 *
 * wholeTextFiles packs whole files into splits of at most
 * ceil(total / minPartitions) bytes, as CombineFileInputFormat does on a
 * single node, yielding ("file:" path, content) pairs.
 */
#include "rdd_int.h"

#include <dirent.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "common/fileio.h"
#include "session/session.h"

#define BLOCK_SIZE (INT64_C(32) * 1024 * 1024)

typedef struct tf_split {
    int file;
    int64_t start, len;
} tf_split;

typedef struct tf_state {
    char **files;
    int64_t *sizes;
    int nfiles;
    tf_split *splits;
    int *split_start; /* wholeTextFiles: files per split as ranges */
} tf_state;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

static lm_status add_file(tf_state *s, const char *path)
{
    char **f = realloc(s->files, sizeof *f * (size_t)(s->nfiles + 1));
    if (f == NULL)
        return LM_ENOMEM;
    s->files = f;
    char *abs = realpath(path, NULL);
    if (abs == NULL)
        abs = strdup(path);
    if (abs == NULL)
        return LM_ENOMEM;
    s->files[s->nfiles++] = abs;
    return LM_OK;
}

static lm_status list_dir(tf_state *s, const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return LM_EIO;
    char **names = NULL;
    int n = 0;
    struct dirent *e;
    lm_status st = LM_OK;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || e->d_name[0] == '_')
            continue;
        char *p = malloc(strlen(dir) + strlen(e->d_name) + 2);
        char **nn = realloc(names, sizeof *nn * (size_t)(n + 1));
        if (p == NULL || nn == NULL) {
            free(p);
            if (nn)
                names = nn;
            st = LM_ENOMEM;
            break;
        }
        names = nn;
        sprintf(p, "%s/%s", dir, e->d_name);
        struct stat stt;
        if (stat(p, &stt) == 0 && S_ISDIR(stt.st_mode)) {
            free(p);
            continue;
        }
        names[n++] = p;
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, cmp_str);
    for (int i = 0; i < n; i++) {
        if (st == LM_OK)
            st = add_file(s, names[i]);
        free(names[i]);
    }
    free(names);
    return st;
}

/* Resolves the inputs into s->files; errors as Hadoop words them. */
static lm_status resolve_inputs(lm_session *ses, tf_state *s, const char *paths)
{
    char *copy = strdup(paths);
    if (copy == NULL)
        return lm_error_oom(&ses->error);
    lm_status st = LM_OK;
    char *save = NULL;
    for (char *p = strtok_r(copy, ",", &save); p && st == LM_OK; p = strtok_r(NULL, ",", &save)) {
        if (strncmp(p, "file://", 7) == 0)
            p += 7;
        else if (strncmp(p, "file:", 5) == 0)
            p += 5;
        struct stat stt;
        if (strpbrk(p, "*?[{") != NULL) {
            glob_t g;
            if (glob(p, 0, NULL, &g) != 0 || g.gl_pathc == 0) {
                st = rdd_fail(ses, LM_ERROR, "org.apache.hadoop.mapred.InvalidInputException",
                              "Input Pattern file:%s matches 0 files", p);
            } else {
                for (size_t i = 0; i < g.gl_pathc && st == LM_OK; i++)
                    if (stat(g.gl_pathv[i], &stt) == 0)
                        st = S_ISDIR(stt.st_mode) ? list_dir(s, g.gl_pathv[i])
                                                  : add_file(s, g.gl_pathv[i]);
            }
            globfree(&g);
        } else if (stat(p, &stt) != 0) {
            char *abs = realpath(".", NULL);
            st = rdd_fail(ses, LM_ERROR, "org.apache.hadoop.mapred.InvalidInputException",
                          "Input path does not exist: file:%s%s%s", p[0] == '/' ? "" : abs,
                          p[0] == '/' ? "" : "/", p);
            free(abs);
        } else if (S_ISDIR(stt.st_mode)) {
            st = list_dir(s, p);
        } else {
            st = add_file(s, p);
        }
    }
    free(copy);
    if (st == LM_ENOMEM)
        lm_error_oom(&ses->error);
    else if (st == LM_EIO)
        rdd_fail(ses, LM_EIO, "java.io.IOException", "cannot list %s", paths);
    if (st == LM_OK) {
        s->sizes = calloc((size_t)s->nfiles + 1, sizeof *s->sizes);
        if (s->sizes == NULL)
            return lm_error_oom(&ses->error);
        for (int i = 0; i < s->nfiles; i++) {
            struct stat stt;
            s->sizes[i] = stat(s->files[i], &stt) == 0 ? (int64_t)stt.st_size : 0;
        }
    }
    return st;
}

static void tf_free_state(tf_state *s)
{
    if (s == NULL)
        return;
    for (int i = 0; i < s->nfiles; i++)
        free(s->files[i]);
    free(s->files);
    free(s->sizes);
    free(s->splits);
    free(s->split_start);
    free(s);
}

static void tf_free(lm_rdd *r)
{
    tf_free_state(r->state);
}

/* Records a fileio error as the task's failure. */
static lm_status task_io_fail(lm_task *t, lm_error *e)
{
    lm_status st = e->status != LM_OK ? e->status : LM_EIO;
    if (t->err.message == NULL)
        lm_error_move(&t->err, e);
    else
        lm_error_clear(e);
    return st;
}

/* Inflates gzip data (concatenated members too, as Hadoop's GzipCodec
   reads them) into task memory. */
static lm_status gunzip(lm_task *t, const char *path, const char *in, size_t n, char **data,
                        int64_t *len)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 16) != Z_OK)
        return rdd_task_error(t, LM_ENOMEM, "out of memory");
    z.next_in = (unsigned char *)in;
    z.avail_in = (uInt)n;
    unsigned char buf[65536];
    int rc = Z_OK;
    while (rc != Z_STREAM_END || z.avail_in > 0) {
        if (rc == Z_STREAM_END) {
            /* another gzip member follows */
            if (inflateReset(&z) != Z_OK)
                break;
        }
        z.next_out = buf;
        z.avail_out = sizeof buf;
        rc = inflate(&z, Z_NO_FLUSH);
        lm_strbuf_append(&sb, (const char *)buf, sizeof buf - z.avail_out);
        if (rc != Z_OK && rc != Z_STREAM_END)
            break;
        if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) {
            rc = Z_DATA_ERROR; /* the data ended inside a member */
            break;
        }
    }
    inflateEnd(&z);
    if (rc != Z_STREAM_END || !lm_strbuf_ok(&sb)) {
        bool oom = !lm_strbuf_ok(&sb);
        lm_strbuf_free(&sb);
        if (oom)
            return rdd_task_error(t, LM_ENOMEM, "out of memory");
        if (t->err.message == NULL)
            lm_error_set(&t->err, LM_EIO, "java.io.EOFException", NULL, NULL,
                         "Unexpected end of input stream (%s)", path);
        return LM_EIO;
    }
    *len = (int64_t)sb.len;
    *data = lm_arena_strndup(&t->arena, sb.data ? sb.data : "", sb.len);
    lm_strbuf_free(&sb);
    return *data ? LM_OK : rdd_task_error(t, LM_ENOMEM, "out of memory");
}

/* The whole file (decompressed when .gz) in task memory, read through
   common/fileio so the job's fault plan reaches it. */
static lm_status read_file(lm_task *t, const char *path, char **data, int64_t *len)
{
    lm_error e;
    lm_error_init(&e);
    char *raw;
    size_t n;
    if (lm_fio_read_all(t->ctx->io_faults, path, &raw, &n, &e) != LM_OK)
        return task_io_fail(t, &e);
    lm_status st;
    if (ends_with(path, ".gz")) {
        st = gunzip(t, path, raw, n, data, len);
    } else {
        *data = lm_arena_alloc(&t->arena, n + 1);
        st = *data ? LM_OK : rdd_task_error(t, LM_ENOMEM, "out of memory");
        if (st == LM_OK) {
            memcpy(*data, raw, n + 1);
            *len = (int64_t)n;
        }
    }
    free(raw);
    return st;
}

static lm_status tf_open(lm_rdd *r, int part, lm_task *t, rdd_iter **out)
{
    tf_state *s = r->state;
    tf_split *sp = &s->splits[part];
    char *d;
    int64_t n;
    lm_status st = read_file(t, s->files[sp->file], &d, &n);
    if (st != LM_OK)
        return st;
    bool whole = ends_with(s->files[sp->file], ".gz");
    int64_t start = whole ? 0 : sp->start, end = whole ? n : sp->start + sp->len;
    rdd_vec lines = {0};
    int64_t pos = 0;
    while (pos < n) {
        int64_t e = pos;
        while (e < n && d[e] != '\n' && d[e] != '\r')
            e++;
        int64_t next = e;
        if (next < n)
            next += (d[e] == '\r' && e + 1 < n && d[e + 1] == '\n') ? 2 : 1;
        bool mine = (pos == 0 && start == 0) || (pos > start && pos <= end);
        if (pos > end)
            break;
        if (mine) {
            lm_value v = lm_value_str(d + pos, (int32_t)(e - pos));
            if ((st = rdd_vec_push(t, &lines, &v)) != LM_OK)
                return st;
        }
        pos = next;
    }
    *out = rdd_iter_array(t, lines.v, lines.n);
    return *out ? LM_OK : LM_ENOMEM;
}

static const rdd_ops hadoop_ops = {"HadoopRDD", tf_open, tf_free};

lm_rdd *lm_rdd_text_file(lm_session *ses, const char *path, int min_partitions)
{
    rdd_ctx *ctx = rdd_ctx_get(ses);
    if (ctx == NULL)
        return NULL;
    tf_state *s = calloc(1, sizeof *s);
    if (s == NULL || resolve_inputs(ses, s, path) != LM_OK) {
        if (s == NULL)
            lm_error_oom(&ses->error);
        tf_free_state(s);
        return NULL;
    }
    int minp = min_partitions > 0 ? min_partitions
                                  : (ctx->default_parallelism < 2 ? ctx->default_parallelism : 2);
    int64_t total = 0;
    for (int i = 0; i < s->nfiles; i++)
        total += s->sizes[i];
    int64_t goal = total / (minp > 0 ? minp : 1);
    int64_t split = goal < BLOCK_SIZE ? goal : BLOCK_SIZE;
    if (split < 1)
        split = 1;
    int n = 0, cap = 16;
    s->splits = malloc(sizeof *s->splits * (size_t)cap);
    for (int i = 0; s->splits && i < s->nfiles; i++) {
        int64_t len = s->sizes[i], rem = len;
        bool splittable = !ends_with(s->files[i], ".gz");
        do {
            if (n + 1 >= cap) {
                cap *= 2;
                tf_split *x = realloc(s->splits, sizeof *x * (size_t)cap);
                if (x == NULL) {
                    free(s->splits);
                    s->splits = NULL;
                    break;
                }
                s->splits = x;
            }
            if (len == 0 || !splittable) {
                s->splits[n++] = (tf_split){i, 0, len};
                break;
            }
            if ((double)rem / (double)split > 1.1) {
                s->splits[n++] = (tf_split){i, len - rem, split};
                rem -= split;
                continue;
            }
            s->splits[n++] = (tf_split){i, len - rem, rem};
            break;
        } while (s->splits);
    }
    if (s->splits == NULL) {
        tf_free_state(s);
        lm_error_oom(&ses->error);
        return NULL;
    }
    lm_rdd *h = rdd_new(ctx, &hadoop_ops, lm_type_string(), n, "textFile", __func__);
    if (h == NULL) {
        tf_free_state(s);
        return NULL;
    }
    h->state = s;
    lm_rdd_set_name(h, path);
    lm_rdd *m = rdd_map_partitions_rdd(h, RDD_MP_IDENTITY, NULL, NULL, false, "textFile",
                                       __func__);
    lm_rdd_free(h);
    if (m)
        lm_rdd_set_name(m, path);
    return m;
}

/* ------------------------------------------------------- wholeTextFiles */
static lm_status wt_open(lm_rdd *r, int part, lm_task *t, rdd_iter **out)
{
    tf_state *s = r->state;
    rdd_vec res = {0};
    for (int i = s->split_start[part]; i < s->split_start[part + 1]; i++) {
        char *d;
        int64_t n;
        lm_status st = read_file(t, s->files[i], &d, &n);
        if (st != LM_OK)
            return st;
        char *name = lm_arena_printf(&t->arena, "file:%s", s->files[i]);
        if (name == NULL)
            return rdd_task_error(t, LM_ENOMEM, "out of memory");
        lm_value k = lm_value_str(name, (int32_t)strlen(name)), v = lm_value_str(d, (int32_t)n),
                 pair;
        if ((st = lm_task_make_pair(t, &k, &v, &pair)) != LM_OK ||
            (st = rdd_vec_push(t, &res, &pair)) != LM_OK)
            return st;
    }
    *out = rdd_iter_array(t, res.v, res.n);
    return *out ? LM_OK : LM_ENOMEM;
}

static const rdd_ops whole_ops = {"WholeTextFileRDD", wt_open, tf_free};

lm_rdd *lm_rdd_whole_text_files(lm_session *ses, const char *path, int min_partitions)
{
    rdd_ctx *ctx = rdd_ctx_get(ses);
    if (ctx == NULL)
        return NULL;
    tf_state *s = calloc(1, sizeof *s);
    if (s == NULL || resolve_inputs(ses, s, path) != LM_OK) {
        if (s == NULL)
            lm_error_oom(&ses->error);
        tf_free_state(s);
        return NULL;
    }
    int minp = min_partitions > 0 ? min_partitions
                                  : (ctx->default_parallelism < 2 ? ctx->default_parallelism : 2);
    int64_t total = 0;
    for (int i = 0; i < s->nfiles; i++)
        total += s->sizes[i];
    int64_t max_split = (total + minp - 1) / minp;
    s->split_start = calloc((size_t)s->nfiles + 2, sizeof *s->split_start);
    if (s->split_start == NULL) {
        tf_free_state(s);
        lm_error_oom(&ses->error);
        return NULL;
    }
    int n = 0;
    int64_t cur = 0;
    for (int i = 0; i < s->nfiles; i++) {
        cur += s->sizes[i];
        if (cur >= max_split || i == s->nfiles - 1) {
            s->split_start[++n] = i + 1;
            cur = 0;
        }
    }
    lm_type *pt = rdd_pair_type(lm_type_string(), lm_type_string());
    lm_rdd *w = pt ? rdd_new(ctx, &whole_ops, pt, n, "wholeTextFiles", __func__) : NULL;
    lm_type_unref(pt);
    if (w == NULL) {
        tf_free_state(s);
        return NULL;
    }
    w->state = s;
    lm_rdd_set_name(w, path);
    return w;
}
