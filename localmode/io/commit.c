/*
 * The output commit protocol, after Hadoop's FileOutputCommitter (v1) as
 * Spark uses it: a task writes under
 *   <dir>/_temporary/0/_temporary/attempt_<job>_0000_m_000000_0/
 * task commit renames that folder to <dir>/_temporary/0/task_<job>_0000_m_000000,
 * job commit moves its files into <dir>, writes _SUCCESS and deletes
 * _temporary. Every step that publishes is a rename, and every rename is
 * recorded so that a failure part-way can be undone: after an abort the
 * target holds exactly what it held before (for overwrite, the old files
 * are moved aside into _temporary first and moved back on failure), and no
 * staging files remain. Every mkdir, rename and create goes through
 * common/fileio, so a test fault plan can fail any of them.
 */
#include "io.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

bool io_remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT;
    if (!S_ISDIR(st.st_mode))
        return unlink(path) == 0;
    DIR *d = opendir(path);
    if (d == NULL)
        return false;
    bool ok = true;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        size_t n = strlen(path) + strlen(de->d_name) + 2;
        char *p = malloc(n);
        if (p == NULL) {
            ok = false;
            break;
        }
        snprintf(p, n, "%s/%s", path, de->d_name);
        ok = io_remove_tree(p) && ok;
        free(p);
    }
    closedir(d);
    return rmdir(path) == 0 && ok;
}

/* mkdir -p; true when the folder exists afterwards. */
static bool mkdirs(lm_fio_plan *faults, const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0)
        return S_ISDIR(st.st_mode);
    char *p = strdup(path);
    if (p == NULL)
        return false;
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (lm_fio_sys_mkdir(faults, p, 0755) != 0 && errno != EEXIST) {
            free(p);
            return false;
        }
        *s = '/';
    }
    bool ok = lm_fio_sys_mkdir(faults, p, 0755) == 0 ||
              (errno == EEXIST && stat(p, &st) == 0 && S_ISDIR(st.st_mode));
    free(p);
    return ok;
}

static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", a, b);
    return p;
}

static void make_uuid(char out[37])
{
    unsigned char b[16];
    int fd = open("/dev/urandom", O_RDONLY);
    ssize_t got = fd >= 0 ? read(fd, b, sizeof b) : -1;
    if (fd >= 0)
        close(fd);
    if (got != (ssize_t)sizeof b) {
        /* no /dev/urandom: time and pid still make the name unique enough */
        uint64_t x = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^ (uint64_t)clock();
        for (int i = 0; i < 16; i++) {
            x = x * 6364136223846793005u + 1442695040888963407u;
            b[i] = (unsigned char)(x >> 56);
        }
    }
    b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
             b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
             b[15]);
}

static lm_status io_fail(lm_error *err, const char *what, const char *path)
{
    return lm_error_set(err, LM_EIO, "java.io.IOException", NULL, NULL, "%s file:%s (%s)", what,
                        path, strerror(errno));
}

lm_status io_job_begin(io_job *j, lm_error *err, const char *dir, bool overwrite,
                       lm_fio_plan *faults)
{
    memset(j, 0, sizeof *j);
    j->err = err;
    j->faults = faults;
    j->overwrite = overwrite;
    make_uuid(j->uuid);
    j->dir = strdup(dir);
    if (j->dir == NULL)
        return lm_error_oom(err);
    struct stat st;
    if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
        if (!overwrite)
            return lm_error_set(err, LM_EIO, "org.apache.hadoop.fs.FileAlreadyExistsException",
                                NULL, NULL, "Path is a file: file:%s", dir);
        /* overwrite of a file: move it aside, restored on abort */
        size_t n = strlen(dir) + 64;
        j->displaced = malloc(n);
        if (j->displaced == NULL)
            return lm_error_oom(err);
        snprintf(j->displaced, n, "%s.lm-displaced-%s", dir, j->uuid);
        if (lm_fio_sys_rename(faults, dir, j->displaced) != 0) {
            free(j->displaced);
            j->displaced = NULL;
            return io_fail(err, "Unable to replace", dir);
        }
    }
    if (stat(dir, &st) != 0) {
        if (!mkdirs(faults, dir)) {
            lm_status rc = io_fail(err, "Mkdirs failed to create", dir);
            io_job_abort(j);
            return rc;
        }
        j->created_dir = true;
    }
    j->tmp_root = join(dir, "_temporary");
    char name[128];
    snprintf(name, sizeof name, "0/_temporary/attempt_%s_0000_m_000000_0", j->uuid);
    j->attempt = j->tmp_root ? join(j->tmp_root, name) : NULL;
    if (j->tmp_root == NULL || j->attempt == NULL) {
        io_job_abort(j);
        return lm_error_oom(err);
    }
    if (!mkdirs(faults, j->attempt)) {
        lm_status rc = io_fail(err, "Mkdirs failed to create", j->attempt);
        io_job_abort(j);
        return rc;
    }
    return LM_OK;
}

char *io_job_file(io_job *j, const char *subdir, const char *name)
{
    char *d = subdir && *subdir ? join(j->attempt, subdir) : strdup(j->attempt);
    if (d == NULL)
        return NULL;
    if (!mkdirs(j->faults, d)) {
        free(d);
        return NULL;
    }
    char *p = join(d, name);
    free(d);
    return p;
}

/* Renames done so far, to undo them in reverse order. */
typedef struct moves {
    int n, cap;
    char **from, **to;
    lm_fio_plan *faults;
} moves;

static bool move(moves *m, const char *from, const char *to)
{
    if (m->n == m->cap) {
        int cap = m->cap ? m->cap * 2 : 16;
        char **nf = realloc(m->from, sizeof *nf * (size_t)cap);
        if (nf == NULL)
            return false;
        m->from = nf;
        char **nt = realloc(m->to, sizeof *nt * (size_t)cap);
        if (nt == NULL)
            return false;
        m->to = nt;
        m->cap = cap;
    }
    char *f = strdup(from), *t = strdup(to);
    if (f == NULL || t == NULL || lm_fio_sys_rename(m->faults, from, to) != 0) {
        free(f);
        free(t);
        return false;
    }
    m->from[m->n] = f;
    m->to[m->n] = t;
    m->n++;
    return true;
}

static void undo(moves *m)
{
    for (int i = m->n - 1; i >= 0; i--)
        (void)rename(m->to[i], m->from[i]);
}

static void moves_free(moves *m)
{
    for (int i = 0; i < m->n; i++) {
        free(m->from[i]);
        free(m->to[i]);
    }
    free(m->from);
    free(m->to);
}

/* Moves the content of src into dst, descending into folders that exist
   on both sides (appending to existing partition folders). */
static bool merge(moves *m, const char *src, const char *dst)
{
    DIR *d = opendir(src);
    if (d == NULL)
        return false;
    bool ok = true;
    struct dirent *de;
    while (ok && (de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char *s = join(src, de->d_name), *t = join(dst, de->d_name);
        if (s == NULL || t == NULL) {
            ok = false;
        } else {
            struct stat ss, ts;
            if (stat(t, &ts) == 0 && S_ISDIR(ts.st_mode) && stat(s, &ss) == 0 &&
                S_ISDIR(ss.st_mode))
                ok = merge(m, s, t);
            else
                ok = move(m, s, t);
        }
        free(s);
        free(t);
    }
    closedir(d);
    return ok;
}

lm_status io_job_commit(io_job *j)
{
    char task[128];
    snprintf(task, sizeof task, "0/task_%s_0000_m_000000", j->uuid);
    char *task_dir = join(j->tmp_root, task);
    char *old_dir = join(j->tmp_root, "old");
    char *success = join(j->dir, "_SUCCESS");
    moves m = {0}, old = {0};
    m.faults = old.faults = j->faults;
    lm_status rc = LM_OK;
    if (task_dir == NULL || old_dir == NULL || success == NULL) {
        rc = lm_error_oom(j->err);
        goto out;
    }
    /* task commit */
    if (lm_fio_sys_rename(j->faults, j->attempt, task_dir) != 0) {
        rc = io_fail(j->err, "Failed to commit task to", task_dir);
        goto out;
    }
    /* overwrite: the old content goes aside, to come back on failure */
    if (j->overwrite) {
        if (!mkdirs(j->faults, old_dir)) {
            rc = io_fail(j->err, "Mkdirs failed to create", old_dir);
            goto out;
        }
        DIR *d = opendir(j->dir);
        if (d == NULL) {
            rc = io_fail(j->err, "Cannot list", j->dir);
            goto out;
        }
        struct dirent *de;
        bool ok = true;
        while (ok && (de = readdir(d)) != NULL) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
                strcmp(de->d_name, "_temporary") == 0)
                continue;
            char *s = join(j->dir, de->d_name), *t = join(old_dir, de->d_name);
            ok = s && t && move(&old, s, t);
            free(s);
            free(t);
        }
        closedir(d);
        if (!ok) {
            rc = io_fail(j->err, "Failed to replace the content of", j->dir);
            undo(&old);
            goto out;
        }
    }
    /* job commit: publish */
    if (!merge(&m, task_dir, j->dir)) {
        rc = io_fail(j->err, "Failed to commit job output to", j->dir);
        undo(&m);
        undo(&old);
        goto out;
    }
    int fd = lm_fio_sys_creat(j->faults, success, 0644);
    if (fd < 0) {
        rc = io_fail(j->err, "Failed to create", success);
        undo(&m);
        undo(&old);
        goto out;
    }
    close(fd);
    io_remove_tree(j->tmp_root);
    if (j->displaced) {
        io_remove_tree(j->displaced);
        free(j->displaced);
        j->displaced = NULL;
    }
    j->created_dir = false; /* it is the output now */
out:
    moves_free(&m);
    moves_free(&old);
    free(task_dir);
    free(old_dir);
    free(success);
    if (rc != LM_OK)
        io_job_abort(j);
    return rc;
}

void io_job_abort(io_job *j)
{
    if (j->tmp_root)
        io_remove_tree(j->tmp_root);
    if (j->created_dir && j->dir) {
        io_remove_tree(j->dir);
        j->created_dir = false;
    }
    if (j->displaced) {
        if (j->dir)
            io_remove_tree(j->dir);
        (void)rename(j->displaced, j->dir);
        free(j->displaced);
        j->displaced = NULL;
    }
}

void io_job_free(io_job *j)
{
    free(j->dir);
    free(j->tmp_root);
    free(j->attempt);
    free(j->displaced);
    memset(j, 0, sizeof *j);
}
