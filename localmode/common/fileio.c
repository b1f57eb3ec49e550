/*
 * File I/O with a fault plan: see fileio.h for the calls, the messages and
 * the plan syntax.
 *
 * The plan is consulted once per system call (each iteration of a write
 * loop is a call), so "write:ENOSPC::3" fails the third write(2) of the job
 * wherever it happens, which is how a disk fills up: in the middle of a
 * file, with earlier files complete.
 */
#include "fileio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define FIO_EXC_IO "java.io.IOException"
#define FIO_EXC_EOF "java.io.EOFException"
#define FIO_EXC_NOT_FOUND "java.io.FileNotFoundException"

/* Faults that are not an errno. */
#define FIO_SHORT (-1)
#define FIO_PARTIAL (-2)

typedef struct fio_rule {
    lm_fio_op op;
    int fault;     /* errno, FIO_SHORT or FIO_PARTIAL */
    char *match;   /* path substring, NULL: any */
    int64_t nth;   /* 0: every matching call */
    atomic_llong seen;
} fio_rule;

struct lm_fio_plan {
    int n;
    fio_rule *rules;
    atomic_llong hits;
};

struct lm_file {
    int fd;
    char *path;
    lm_fio_plan *plan;
    bool writing;
    bool ended; /* a SHORT fault cut the file here */
};

/* ------------------------------------------------------------------ plan */
static const struct {
    const char *name;
    lm_fio_op op;
} op_names[] = {{"open", LM_FIO_OPEN},     {"read", LM_FIO_READ},     {"write", LM_FIO_WRITE},
                {"close", LM_FIO_CLOSE},   {"rename", LM_FIO_RENAME}, {"mkdir", LM_FIO_MKDIR}};

static const struct {
    const char *name;
    int fault;
} fault_names[] = {{"EIO", EIO},       {"ENOSPC", ENOSPC},   {"EACCES", EACCES},
                   {"EROFS", EROFS},   {"EXDEV", EXDEV},     {"ENOENT", ENOENT},
                   {"EDQUOT", EDQUOT}, {"SHORT", FIO_SHORT}, {"PARTIAL", FIO_PARTIAL}};

static lm_status bad_item(lm_error *err, const char *item, size_t len)
{
    return lm_error_set(err, LM_ERROR, "java.lang.IllegalArgumentException", NULL, NULL,
                        LM_FIO_FAULTS_KEY " should be a comma-separated list of "
                                          "OP:FAULT[:MATCH[:NTH]], but has '%.*s'",
                        (int)len, item);
}

/* Splits [p, end) at ':' into at most 4 fields. */
static int split_fields(const char *p, const char *end, const char **f, size_t *flen)
{
    int n = 0;
    for (;;) {
        const char *c = memchr(p, ':', (size_t)(end - p));
        const char *e = c ? c : end;
        if (n == 4)
            return 5;
        f[n] = p;
        flen[n] = (size_t)(e - p);
        n++;
        if (c == NULL)
            return n;
        p = c + 1;
    }
}

static lm_status parse_rule(const char *p, const char *end, fio_rule *r, lm_error *err)
{
    const char *f[4] = {NULL, NULL, NULL, NULL};
    size_t fl[4] = {0, 0, 0, 0};
    int n = split_fields(p, end, f, fl);
    if (n < 2 || n > 4)
        return bad_item(err, p, (size_t)(end - p));
    memset(r, 0, sizeof *r);
    bool op_ok = false, fault_ok = false;
    for (size_t i = 0; i < sizeof op_names / sizeof op_names[0]; i++)
        if (strlen(op_names[i].name) == fl[0] && strncasecmp(f[0], op_names[i].name, fl[0]) == 0) {
            r->op = op_names[i].op;
            op_ok = true;
        }
    for (size_t i = 0; i < sizeof fault_names / sizeof fault_names[0]; i++)
        if (strlen(fault_names[i].name) == fl[1] &&
            strncasecmp(f[1], fault_names[i].name, fl[1]) == 0) {
            r->fault = fault_names[i].fault;
            fault_ok = true;
        }
    if (!op_ok || !fault_ok || (r->fault == FIO_SHORT && r->op != LM_FIO_READ) ||
        (r->fault == FIO_PARTIAL && r->op != LM_FIO_READ && r->op != LM_FIO_WRITE))
        return bad_item(err, p, (size_t)(end - p));
    if (n >= 3 && fl[2] > 0) {
        r->match = strndup(f[2], fl[2]);
        if (r->match == NULL)
            return lm_error_oom(err);
    }
    if (n == 4) {
        int64_t v = 0;
        for (size_t i = 0; i < fl[3]; i++) {
            if (f[3][i] < '0' || f[3][i] > '9' || v > 1000000000) {
                free(r->match);
                r->match = NULL;
                return bad_item(err, p, (size_t)(end - p));
            }
            v = v * 10 + (f[3][i] - '0');
        }
        r->nth = v;
    }
    atomic_init(&r->seen, 0);
    return LM_OK;
}

lm_status lm_fio_plan_parse(const char *spec, lm_fio_plan **out, lm_error *err)
{
    *out = NULL;
    if (spec == NULL || *spec == '\0')
        return LM_OK;
    lm_fio_plan *plan = calloc(1, sizeof *plan);
    if (plan == NULL)
        return lm_error_oom(err);
    atomic_init(&plan->hits, 0);
    const char *p = spec;
    for (;;) {
        const char *end = strchr(p, ',');
        if (end == NULL)
            end = p + strlen(p);
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        const char *e = end;
        while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        if (e > p) {
            fio_rule *nr = realloc(plan->rules, sizeof *nr * (size_t)(plan->n + 1));
            if (nr == NULL) {
                lm_fio_plan_free(plan);
                return lm_error_oom(err);
            }
            plan->rules = nr;
            lm_status st = parse_rule(p, e, &plan->rules[plan->n], err);
            if (st != LM_OK) {
                lm_fio_plan_free(plan);
                return st;
            }
            plan->n++;
        }
        if (*end == '\0')
            break;
        p = end + 1;
    }
    *out = plan;
    return LM_OK;
}

void lm_fio_plan_free(lm_fio_plan *plan)
{
    if (plan == NULL)
        return;
    for (int i = 0; i < plan->n; i++)
        free(plan->rules[i].match);
    free(plan->rules);
    free(plan);
}

int64_t lm_fio_plan_hits(lm_fio_plan *plan)
{
    return plan ? (int64_t)atomic_load(&plan->hits) : 0;
}

/* The fault for this call: 0 for none, an errno, FIO_SHORT or FIO_PARTIAL. */
static int fault_for(lm_fio_plan *plan, lm_fio_op op, const char *path)
{
    if (plan == NULL)
        return 0;
    for (int i = 0; i < plan->n; i++) {
        fio_rule *r = &plan->rules[i];
        if (r->op != op || (r->match && strstr(path, r->match) == NULL))
            continue;
        long long seen = atomic_fetch_add(&r->seen, 1) + 1;
        if (r->nth == 0 || seen == r->nth) {
            atomic_fetch_add(&plan->hits, 1);
            return r->fault;
        }
    }
    return 0;
}

/* ----------------------------------------------------------------- files */
static lm_status io_error(lm_error *err, int e, const char *what, const char *path)
{
    lm_status st =
        lm_error_set(err, LM_EIO, FIO_EXC_IO, NULL, NULL, "%s (%s %s)", strerror(e), what, path);
    errno = e; /* callers may look at it, as after a failed system call */
    return st;
}

static lm_file *open_file(lm_fio_plan *plan, const char *path, bool writing, lm_error *err)
{
    int fault = fault_for(plan, LM_FIO_OPEN, path);
    int fd = -1;
    if (fault > 0) {
        errno = fault;
    } else {
        do {
            fd = writing ? open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666)
                         : open(path, O_RDONLY | O_CLOEXEC);
        } while (fd < 0 && errno == EINTR);
    }
    if (fd < 0) {
        /* java.io.FileOutputStream / FileInputStream's wording */
        lm_error_set(err, LM_EIO, FIO_EXC_NOT_FOUND, NULL, NULL, "%s (%s)", path,
                     strerror(errno));
        return NULL;
    }
    lm_file *f = calloc(1, sizeof *f);
    char *p = strdup(path);
    if (f == NULL || p == NULL) {
        free(f);
        free(p);
        close(fd);
        lm_error_oom(err);
        return NULL;
    }
    f->fd = fd;
    f->path = p;
    f->plan = plan;
    f->writing = writing;
    return f;
}

lm_file *lm_fio_create(lm_fio_plan *plan, const char *path, lm_error *err)
{
    return open_file(plan, path, true, err);
}

lm_file *lm_fio_open_read(lm_fio_plan *plan, const char *path, lm_error *err)
{
    return open_file(plan, path, false, err);
}

lm_status lm_fio_write(lm_file *f, const void *buf, size_t n, lm_error *err)
{
    const char *p = buf;
    while (n > 0) {
        int fault = fault_for(f->plan, LM_FIO_WRITE, f->path);
        if (fault > 0)
            return io_error(err, fault, "writing", f->path);
        size_t ask = fault == FIO_PARTIAL ? (n + 1) / 2 : n;
        ssize_t w = write(f->fd, p, ask);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return io_error(err, errno, "writing", f->path);
        }
        p += w;
        n -= (size_t)w;
    }
    return LM_OK;
}

lm_status lm_fio_read(lm_file *f, void *buf, size_t cap, size_t *got, lm_error *err)
{
    *got = 0;
    if (f->ended || cap == 0)
        return LM_OK;
    int fault = fault_for(f->plan, LM_FIO_READ, f->path);
    if (fault > 0)
        return io_error(err, fault, "reading", f->path);
    size_t ask = fault == FIO_SHORT || fault == FIO_PARTIAL ? (cap + 1) / 2 : cap;
    for (;;) {
        ssize_t r = read(f->fd, buf, ask);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return io_error(err, errno, "reading", f->path);
        *got = (size_t)r;
        break;
    }
    if (fault == FIO_SHORT)
        f->ended = true;
    return LM_OK;
}

lm_status lm_fio_close(lm_file *f, lm_error *err)
{
    if (f == NULL)
        return LM_OK;
    lm_status st = LM_OK;
    int fault = f->writing ? fault_for(f->plan, LM_FIO_CLOSE, f->path) : 0;
    int rc = close(f->fd);
    if (fault > 0)
        st = io_error(err, fault, "closing", f->path);
    else if (rc != 0 && f->writing)
        st = io_error(err, errno, "closing", f->path);
    free(f->path);
    free(f);
    return st;
}

void lm_fio_discard(lm_file *f)
{
    if (f == NULL)
        return;
    close(f->fd);
    free(f->path);
    free(f);
}

lm_status lm_fio_read_all(lm_fio_plan *plan, const char *path, char **data, size_t *len,
                          lm_error *err)
{
    *data = NULL;
    *len = 0;
    lm_file *f = lm_fio_open_read(plan, path, err);
    if (f == NULL)
        return LM_EIO;
    struct stat st;
    if (fstat(f->fd, &st) != 0) {
        lm_status s = io_error(err, errno, "reading", path);
        lm_fio_discard(f);
        return s;
    }
    size_t size = st.st_size > 0 ? (size_t)st.st_size : 0;
    size_t cap = size + 1, n = 0;
    char *buf = malloc(cap);
    if (buf == NULL) {
        lm_fio_discard(f);
        return lm_error_oom(err);
    }
    for (;;) {
        if (cap - n < 2) {
            /* the file grew while we read it: keep reading */
            char *nb = realloc(buf, cap * 2);
            if (nb == NULL) {
                free(buf);
                lm_fio_discard(f);
                return lm_error_oom(err);
            }
            buf = nb;
            cap *= 2;
        }
        size_t got;
        lm_status s = lm_fio_read(f, buf + n, cap - n - 1, &got, err);
        if (s != LM_OK) {
            free(buf);
            lm_fio_discard(f);
            return s;
        }
        if (got == 0)
            break;
        n += got;
    }
    lm_fio_discard(f);
    if (n < size) {
        free(buf);
        return lm_error_set(err, LM_EIO, FIO_EXC_EOF, NULL, NULL,
                            "Unexpected end of file %s: read %zu of %zu bytes", path, n, size);
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return LM_OK;
}

/* --------------------------------------------------------------- folders */
lm_status lm_fio_rename(lm_fio_plan *plan, const char *from, const char *to, lm_error *err)
{
    int fault = fault_for(plan, LM_FIO_RENAME, from);
    if (fault == 0 && rename(from, to) == 0)
        return LM_OK;
    int e = fault > 0 ? fault : errno;
    /* Hadoop's FileOutputCommitter: "Failed to rename <src> to <dst>" */
    return lm_error_set(err, LM_EIO, FIO_EXC_IO, NULL, NULL, "Failed to rename %s to %s: %s",
                        from, to, strerror(e));
}

lm_status lm_fio_mkdirs(lm_fio_plan *plan, const char *path, char **created, lm_error *err)
{
    if (created)
        *created = NULL;
    char *p = strdup(path);
    if (p == NULL)
        return lm_error_oom(err);
    size_t n = strlen(p);
    while (n > 1 && p[n - 1] == '/')
        p[--n] = '\0';
    lm_status st = LM_OK;
    /* each prefix ending before a '/', then the whole path */
    for (char *c = p + 1;; c++) {
        if (*c != '/' && *c != '\0')
            continue;
        char saved = *c;
        *c = '\0';
        struct stat sb;
        if (stat(p, &sb) == 0) {
            if (!S_ISDIR(sb.st_mode)) {
                st = lm_error_set(err, LM_EIO, FIO_EXC_IO, NULL, NULL,
                                  "Mkdirs failed to create %s (exists as a file: %s)", path, p);
                break;
            }
        } else {
            int fault = fault_for(plan, LM_FIO_MKDIR, p);
            if (fault > 0 || (mkdir(p, 0777) != 0 && errno != EEXIST)) {
                int e = fault > 0 ? fault : errno;
                st = lm_error_set(err, LM_EIO, FIO_EXC_IO, NULL, NULL,
                                  "Mkdirs failed to create %s (%s)", path, strerror(e));
                break;
            }
            if (created && *created == NULL && (*created = strdup(p)) == NULL) {
                st = lm_error_oom(err);
                break;
            }
        }
        *c = saved;
        if (saved == '\0')
            break;
    }
    free(p);
    if (st != LM_OK && created && *created) {
        lm_fio_remove_tree(*created);
        free(*created);
        *created = NULL;
    }
    return st;
}

bool lm_fio_remove_tree(const char *path)
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
        ok = lm_fio_remove_tree(p) && ok;
        free(p);
    }
    closedir(d);
    return rmdir(path) == 0 && ok;
}

/* ------------------------------------------------------- POSIX-style */
int lm_fio_sys_rename(lm_fio_plan *plan, const char *from, const char *to)
{
    int fault = fault_for(plan, LM_FIO_RENAME, from);
    if (fault > 0) {
        errno = fault;
        return -1;
    }
    return rename(from, to);
}

int lm_fio_sys_mkdir(lm_fio_plan *plan, const char *path, unsigned mode)
{
    int fault = fault_for(plan, LM_FIO_MKDIR, path);
    if (fault > 0) {
        errno = fault;
        return -1;
    }
    return mkdir(path, (mode_t)mode);
}

int lm_fio_sys_creat(lm_fio_plan *plan, const char *path, unsigned mode)
{
    int fault = fault_for(plan, LM_FIO_OPEN, path);
    if (fault > 0) {
        errno = fault;
        return -1;
    }
    int fd;
    do {
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, (mode_t)mode);
    } while (fd < 0 && errno == EINTR);
    return fd;
}
