/*
 * Which files a read covers, as Spark's DataSource and InMemoryFileIndex
 * decide: each path is a file, a folder (listed recursively) or a Hadoop
 * glob; names starting with '_' or '.' are skipped (they are metadata or
 * in-progress files: _SUCCESS, _temporary, .crc), except '_' names holding
 * '=' (partition folders such as _col=1). The scan then orders files by
 * size, largest first, as FileSourceScanExec packs them into partitions;
 * ties go by path so the order never depends on the file system.
 */
#include "io.h"

#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "session/session.h"

bool io_is_hidden_name(const char *name)
{
    bool exclude = (name[0] == '_' && strchr(name, '=') == NULL) || name[0] == '.';
    size_t n = strlen(name);
    if (n >= 10 && strcmp(name + n - 10, "._COPYING_") == 0)
        exclude = true;
    bool include = strncmp(name, "_common_metadata", 16) == 0 || strncmp(name, "_metadata", 9) == 0;
    return exclude && !include;
}

char *io_abs_path(const char *path)
{
    if (strncmp(path, "file://", 7) == 0)
        path += 7;
    else if (strncmp(path, "file:", 5) == 0)
        path += 5;
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    if (path[0] != '/') {
        char cwd[4096];
        if (getcwd(cwd, sizeof cwd) == NULL)
            strcpy(cwd, "/");
        lm_strbuf_puts(&sb, cwd);
        lm_strbuf_putc(&sb, '/');
    }
    lm_strbuf_puts(&sb, path);
    char *raw = lm_strbuf_detach(&sb);
    if (raw == NULL)
        return NULL;
    /* collapse "//" and "/./", drop a trailing '/' (Hadoop's Path does) */
    char *o = raw;
    for (char *p = raw; *p;) {
        if (p[0] == '/' && p[1] == '/') {
            p++;
            continue;
        }
        if (p[0] == '/' && p[1] == '.' && (p[2] == '/' || p[2] == '\0')) {
            p += 2;
            continue;
        }
        *o++ = *p++;
    }
    *o = '\0';
    size_t n = strlen(raw);
    while (n > 1 && raw[n - 1] == '/')
        raw[--n] = '\0';
    if (n == 0) {
        raw[0] = '/';
        raw[1] = '\0';
    }
    return raw;
}

/* The files collected so far (path, size), growable. */
typedef struct file_list {
    int n, cap;
    io_file *v;
} file_list;

static bool add_file(io_source *src, file_list *fl, const char *path, int64_t size)
{
    for (int i = 0; i < fl->n; i++)
        if (strcmp(fl->v[i].path, path) == 0)
            return true; /* listed twice through two roots: read once */
    if (fl->n == fl->cap) {
        int cap = fl->cap ? fl->cap * 2 : 16;
        io_file *nv = lm_arena_alloc(&src->arena, sizeof *nv * (size_t)cap);
        if (nv == NULL)
            return false;
        if (fl->n)
            memcpy(nv, fl->v, sizeof *nv * (size_t)fl->n);
        fl->v = nv;
        fl->cap = cap;
    }
    char *p = lm_arena_strdup(&src->arena, path);
    if (p == NULL)
        return false;
    fl->v[fl->n].path = p;
    fl->v[fl->n].size = size;
    fl->v[fl->n].part = -1;
    fl->n++;
    return true;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists dir recursively (children in name order). Depth-limited so a
   symlink loop cannot recurse forever. */
static lm_status walk(io_source *src, lm_error *err, file_list *fl, const char *dir, int depth)
{
    if (depth > 64)
        return LM_OK;
    DIR *d = opendir(dir);
    if (d == NULL)
        return lm_error_set(err, LM_EIO, "java.io.IOException", NULL, NULL,
                            "Cannot list directory file:%s: %s", dir, strerror(errno));
    int n = 0, cap = 0;
    char **names = NULL;
    struct dirent *de;
    lm_status rc = LM_OK;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (io_is_hidden_name(de->d_name))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **nn = realloc(names, sizeof *nn * (size_t)cap);
            if (nn == NULL) {
                rc = lm_error_oom(err);
                break;
            }
            names = nn;
        }
        if ((names[n] = strdup(de->d_name)) == NULL) {
            rc = lm_error_oom(err);
            break;
        }
        n++;
    }
    closedir(d);
    if (rc == LM_OK && n > 1)
        qsort(names, (size_t)n, sizeof *names, cmp_str);
    for (int i = 0; i < n && rc == LM_OK; i++) {
        lm_strbuf sb;
        lm_strbuf_init(&sb);
        lm_strbuf_printf(&sb, "%s/%s", strcmp(dir, "/") == 0 ? "" : dir, names[i]);
        if (!lm_strbuf_ok(&sb)) {
            lm_strbuf_free(&sb);
            rc = lm_error_oom(err);
            break;
        }
        struct stat st;
        if (stat(lm_strbuf_cstr(&sb), &st) == 0) {
            if (S_ISDIR(st.st_mode))
                rc = walk(src, err, fl, lm_strbuf_cstr(&sb), depth + 1);
            else if (S_ISREG(st.st_mode) && !add_file(src, fl, lm_strbuf_cstr(&sb), st.st_size))
                rc = lm_error_oom(err);
        }
        lm_strbuf_free(&sb);
    }
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

static bool has_glob(const char *p)
{
    return strpbrk(p, "{}[]*?\\") != NULL;
}

static lm_status not_found(lm_error *err, const char *path)
{
    lm_error_set(err, LM_ERROR, LM_EXC_ANALYSIS, "PATH_NOT_FOUND", "42K03",
                 "[PATH_NOT_FOUND] Path does not exist: file:%s.", path);
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_printf(&sb, "file:%s", path);
    lm_error_param_add(err, "path", lm_strbuf_cstr(&sb));
    lm_strbuf_free(&sb);
    return LM_ERROR;
}

static int cmp_files(const void *a, const void *b)
{
    const io_file *x = a, *y = b;
    if (x->size != y->size)
        return x->size > y->size ? -1 : 1;
    return strcmp(x->path, y->path);
}

/* Root paths after glob expansion: (path, is_dir). */
typedef struct root_list {
    int n, cap;
    char **paths;
    bool *is_dir;
} root_list;

static bool add_root(io_source *src, root_list *rl, const char *path, bool is_dir)
{
    if (rl->n == rl->cap) {
        int cap = rl->cap ? rl->cap * 2 : 8;
        char **np = lm_arena_alloc(&src->arena, sizeof *np * (size_t)cap);
        bool *nd = lm_arena_alloc(&src->arena, sizeof *nd * (size_t)cap);
        if (np == NULL || nd == NULL)
            return false;
        if (rl->n) {
            memcpy(np, rl->paths, sizeof *np * (size_t)rl->n);
            memcpy(nd, rl->is_dir, sizeof *nd * (size_t)rl->n);
        }
        rl->paths = np;
        rl->is_dir = nd;
        rl->cap = cap;
    }
    char *p = lm_arena_strdup(&src->arena, path);
    if (p == NULL)
        return false;
    rl->paths[rl->n] = p;
    rl->is_dir[rl->n] = is_dir;
    rl->n++;
    return true;
}

static lm_status expand_path(io_source *src, lm_error *err, root_list *rl, const char *given)
{
    char *abs = io_abs_path(given);
    if (abs == NULL)
        return lm_error_oom(err);
    lm_status rc = LM_OK;
    if (has_glob(abs)) {
        glob_t g;
        memset(&g, 0, sizeof g);
        int r = glob(abs, GLOB_BRACE, NULL, &g);
        if (r == GLOB_NOMATCH || (r == 0 && g.gl_pathc == 0)) {
            rc = not_found(err, abs);
        } else if (r != 0) {
            rc = r == GLOB_NOSPACE ? lm_error_oom(err)
                                   : lm_error_set(err, LM_EIO, "java.io.IOException", NULL, NULL,
                                                  "Cannot expand glob %s", abs);
        } else {
            for (size_t i = 0; i < g.gl_pathc && rc == LM_OK; i++) {
                struct stat st;
                if (stat(g.gl_pathv[i], &st) != 0)
                    continue;
                char *m = io_abs_path(g.gl_pathv[i]);
                if (m == NULL || !add_root(src, rl, m, S_ISDIR(st.st_mode)))
                    rc = lm_error_oom(err);
                free(m);
            }
        }
        globfree(&g);
    } else {
        struct stat st;
        if (stat(abs, &st) != 0)
            rc = not_found(err, abs);
        else if (!add_root(src, rl, abs, S_ISDIR(st.st_mode)))
            rc = lm_error_oom(err);
    }
    free(abs);
    return rc;
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

lm_status io_source_list(lm_session *s, lm_error *err, char *const *paths, int npaths,
                         const lm_options *o, const lm_type *user_schema, io_source *out)
{
    memset(out, 0, sizeof *out);
    lm_arena_init(&out->arena, 8192);
    root_list rl = {0};
    lm_status rc = LM_OK;
    for (int i = 0; i < npaths && rc == LM_OK; i++)
        rc = expand_path(out, err, &rl, paths[i]);
    file_list fl = {0};
    for (int i = 0; i < rl.n && rc == LM_OK; i++) {
        if (rl.is_dir[i]) {
            rc = walk(out, err, &fl, rl.paths[i], 0);
        } else if (!io_is_hidden_name(base_name(rl.paths[i]))) {
            struct stat st;
            if (stat(rl.paths[i], &st) == 0 && !add_file(out, &fl, rl.paths[i], st.st_size))
                rc = lm_error_oom(err);
        }
    }
    if (rc != LM_OK)
        return rc;
    out->files = fl.v;
    out->nfiles = fl.n;
    /* base paths for partition discovery: basePath, else each root (a file's
       folder when the root is a file) */
    const char *bp = io_opt(o, "basePath");
    char **bases = NULL;
    int nbase = 0;
    if (bp) {
        bases = lm_arena_alloc(&out->arena, sizeof *bases);
        char *abs = io_abs_path(bp);
        if (bases == NULL || abs == NULL || (bases[0] = lm_arena_strdup(&out->arena, abs)) == NULL) {
            free(abs);
            return lm_error_oom(err);
        }
        free(abs);
        nbase = 1;
    } else if (rl.n) {
        bases = lm_arena_alloc(&out->arena, sizeof *bases * (size_t)rl.n);
        if (bases == NULL)
            return lm_error_oom(err);
        for (int i = 0; i < rl.n; i++) {
            if (rl.is_dir[i]) {
                bases[nbase++] = rl.paths[i];
            } else {
                const char *slash = strrchr(rl.paths[i], '/');
                size_t len = slash && slash != rl.paths[i] ? (size_t)(slash - rl.paths[i]) : 1;
                if ((bases[nbase++] = lm_arena_strndup(&out->arena, rl.paths[i], len)) == NULL)
                    return lm_error_oom(err);
            }
        }
    }
    rc = io_partition_discover(s, err, out, bases, nbase, user_schema);
    if (rc != LM_OK)
        return rc;
    if (out->nfiles > 1)
        qsort(out->files, (size_t)out->nfiles, sizeof *out->files, cmp_files);
    return LM_OK;
}

void io_source_free(io_source *src)
{
    lm_type_unref(src->part_schema);
    src->part_schema = NULL;
    lm_arena_free(&src->arena);
}
