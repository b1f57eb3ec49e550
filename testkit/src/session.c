/*
 * Sessions for tests: the warm session shared by the tests of a process,
 * fresh sessions on request, the cmocka setup/teardown pairs, withSQLConf
 * style overrides, and the objects a test owns.
 *
 * Why a shared session: spark-testing-base and pyspark's ReusedSQLTestCase
 * share one SparkContext per suite because starting one costs seconds.
 * Opening a localmode session is cheap, but test isolation still has to be
 * restored by hand when sessions are shared, and that is what the per-test
 * teardown does: configuration overrides are undone and the catalog is put
 * back as it was when the test started.
 *
 * This file holds the testkit's only process state (`tk` below): the
 * testkit configuration, the shared session, the scratch directory, the
 * conf override stack, the catalog snapshot and the owned-object list.
 * Tests run one at a time in a cmocka process, so none of it is locked.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tk.h"

#include "catalog/catalog.h"
#include "conf/conf.h"
#include "session/session.h"

typedef struct tk_owned {
    tk_owned_kind kind;
    void *obj;
    lm_session *session;
    bool in_test;
    struct tk_owned *next;
} tk_owned;

typedef struct tk_override {
    lm_session *session;
    char *key;
    char *old; /* NULL: the key was unset */
    struct tk_override *next;
} tk_override;

/* What a catalog entry was at lmt_setup, enough to tell whether the test
   changed it and to rebuild it: views are kept as their SQL text (the
   analyzer re-parses it on use), tables by a reference to their rows. */
typedef struct tk_snap_entry {
    char *db, *name;
    lm_catalog_kind kind;
    bool temporary;
    char *sql_text;
    int ncols;
    char **col_names;
    lm_table *table;
    char *provider;
} tk_snap_entry;

static struct {
    lm_conf *conf;
    lm_session *shared;
    bool exit_hook;
    char *tmpdir;
    pid_t tmpdir_owner; /* a forked child must not remove its parent's folder */
    tk_owned *owned;
    bool in_test;
    tk_override *overrides;
    lm_session *snap_session;
    int nsnap;
    tk_snap_entry *snap;
} tk;

static void tk_at_exit(void);

static void ensure_exit_hook(void)
{
    if (!tk.exit_hook) {
        atexit(tk_at_exit);
        tk.exit_hook = true;
    }
}

/* ------------------------------------------------------- scratch folder */

/* Removes a directory tree; errors are ignored (a leftover temp folder is
   not worth failing a test run for). */
static void remove_tree(const char *path)
{
    DIR *d = opendir(path);
    if (d != NULL) {
        struct dirent *de;
        while ((de = readdir(d)) != NULL) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            size_t n = strlen(path) + strlen(de->d_name) + 2;
            char *child = malloc(n);
            if (child == NULL)
                continue;
            snprintf(child, n, "%s/%s", path, de->d_name);
            struct stat st;
            if (lstat(child, &st) == 0 && S_ISDIR(st.st_mode))
                remove_tree(child);
            else
                unlink(child);
            free(child);
        }
        closedir(d);
    }
    rmdir(path);
}

const char *lmt_tmpdir(void)
{
    if (tk.tmpdir)
        return tk.tmpdir;
    const char *base = getenv("TMPDIR");
    if (base == NULL || *base == '\0')
        base = "/tmp";
    size_t n = strlen(base) + 32;
    char *path = malloc(n);
    if (path == NULL)
        return NULL;
    snprintf(path, n, "%s/lmt-%ld-XXXXXX", base, (long)getpid());
    if (mkdtemp(path) == NULL) {
        free(path);
        return NULL;
    }
    ensure_exit_hook();
    tk.tmpdir = path;
    tk.tmpdir_owner = getpid();
    return path;
}

/* ------------------------------------------------------ configuration */

/* The testkit's defaults; see lmt_session_get in the header for why. */
static lm_status ensure_conf(void)
{
    if (tk.conf)
        return LM_OK;
    tk.conf = lm_conf_new();
    if (tk.conf == NULL)
        return LM_ENOMEM;
    ensure_exit_hook();
    lm_status st = LM_OK;
    if (st == LM_OK)
        st = lm_conf_set(tk.conf, "spark.master", "local[2]");
    if (st == LM_OK)
        st = lm_conf_set(tk.conf, "spark.app.name", "localmode-testkit");
    if (st == LM_OK)
        st = lm_conf_set(tk.conf, "spark.sql.session.timeZone", "UTC");
    if (st == LM_OK)
        st = lm_conf_set(tk.conf, "spark.sql.shuffle.partitions", "4");
    const char *dir = lmt_tmpdir();
    if (st == LM_OK && dir != NULL) {
        size_t n = strlen(dir) + 16;
        char *wh = malloc(n);
        if (wh == NULL)
            return LM_ENOMEM;
        snprintf(wh, n, "%s/warehouse", dir);
        st = lm_conf_set(tk.conf, "spark.sql.warehouse.dir", wh);
        free(wh);
    }
    return st;
}

lm_status lmt_session_conf(const char *key, const char *value)
{
    lm_status st = ensure_conf();
    if (st != LM_OK)
        return st;
    return lm_conf_set(tk.conf, key, value);
}

lm_session *lmt_session_new(void)
{
    if (ensure_conf() != LM_OK) {
        fprintf(stderr, "localmode testkit: out of memory\n");
        return NULL;
    }
    char *err = NULL;
    lm_session *s = lm_session_open(tk.conf, &err);
    if (s == NULL) {
        fprintf(stderr, "localmode testkit: cannot open a session: %s\n",
                err ? err : "out of memory");
        free(err);
    }
    return s;
}

lm_session *lmt_session_get(void)
{
    if (tk.shared == NULL)
        tk.shared = lmt_session_new();
    return tk.shared;
}

/* ------------------------------------------------------ owned objects */

bool tk_own(tk_owned_kind kind, void *obj, lm_session *s)
{
    tk_owned *o = malloc(sizeof *o);
    if (o == NULL)
        return false;
    ensure_exit_hook();
    o->kind = kind;
    o->obj = obj;
    o->session = s;
    o->in_test = tk.in_test;
    o->next = tk.owned;
    tk.owned = o;
    return true;
}

static void free_owned_object(tk_owned *o)
{
    if (o->kind == TK_OWN_DF)
        lm_df_free(o->obj);
    else
        lmt_fixture_free(o->obj);
    free(o);
}

/* Frees owned objects: those of the finished test (test_only), or all of
   session s (s != NULL), or everything. Newest first, the reverse of their
   creation. */
static void free_owned(bool test_only, lm_session *s)
{
    tk_owned **p = &tk.owned;
    while (*p) {
        tk_owned *o = *p;
        if ((test_only && !o->in_test) || (s != NULL && o->session != s)) {
            p = &o->next;
            continue;
        }
        *p = o->next;
        free_owned_object(o);
    }
}

/* ----------------------------------------------------- conf overrides */

lm_status lmt_with_conf_list(lm_session *s, const char *key, ...)
{
    va_list ap;
    va_start(ap, key);
    lm_status rc = LM_OK;
    for (const char *k = key; k != NULL && rc == LM_OK; k = va_arg(ap, const char *)) {
        const char *v = va_arg(ap, const char *);
        if (v == NULL) {
            rc = lm_error_set(&s->error, LM_ERROR, NULL, NULL, NULL,
                              "lmt_with_conf: no value for key %s", k);
            break;
        }
        tk_override *o = calloc(1, sizeof *o);
        if (o == NULL || (o->key = strdup(k)) == NULL) {
            free(o);
            rc = lm_error_oom(&s->error);
            break;
        }
        const char *old = lm_conf_get(s->conf, k);
        o->old = old ? strdup(old) : NULL;
        if (old && o->old == NULL) {
            free(o->key);
            free(o);
            rc = lm_error_oom(&s->error);
            break;
        }
        o->session = s;
        o->next = tk.overrides;
        tk.overrides = o;
        rc = lm_session_conf_set(s, k, v);
    }
    va_end(ap);
    return rc;
}

/* Undoes the overrides of s, newest first, so a key set twice ends with
   the value it had before the first override. With apply false the
   records are only dropped (the session is being closed). */
static void restore_overrides(lm_session *s, bool apply)
{
    tk_override **p = &tk.overrides;
    while (*p) {
        tk_override *o = *p;
        if (o->session != s) {
            p = &o->next;
            continue;
        }
        *p = o->next;
        if (apply) {
            if (o->old)
                lm_session_conf_set(s, o->key, o->old);
            else {
                lm_conf_unset(s->conf, o->key);
                session_refresh_conf(s);
            }
        }
        free(o->key);
        free(o->old);
        free(o);
    }
}

void lmt_restore_conf(lm_session *s)
{
    restore_overrides(s, true);
}

/* ---------------------------------------------------- catalog snapshot */

static void snap_entry_free(tk_snap_entry *se)
{
    free(se->db);
    free(se->name);
    free(se->sql_text);
    for (int i = 0; i < se->ncols; i++)
        free(se->col_names[i]);
    free(se->col_names);
    lm_table_unref(se->table);
    free(se->provider);
}

static void snap_free(void)
{
    for (int i = 0; i < tk.nsnap; i++)
        snap_entry_free(&tk.snap[i]);
    free(tk.snap);
    tk.snap = NULL;
    tk.nsnap = 0;
    tk.snap_session = NULL;
}

static char *dup_or_null(const char *s, bool *ok)
{
    if (s == NULL)
        return NULL;
    char *d = strdup(s);
    if (d == NULL)
        *ok = false;
    return d;
}

static bool snap_take(lm_session *s)
{
    snap_free();
    int n = 0;
    for (lm_catalog_entry *e = s->catalog.entries; e; e = e->next)
        n++;
    tk.snap = n ? calloc((size_t)n, sizeof *tk.snap) : NULL;
    if (n && tk.snap == NULL)
        return false;
    bool ok = true;
    int i = 0;
    for (lm_catalog_entry *e = s->catalog.entries; e; e = e->next, i++) {
        tk_snap_entry *se = &tk.snap[i];
        se->db = dup_or_null(e->db, &ok);
        se->name = dup_or_null(e->name, &ok);
        se->kind = e->kind;
        se->temporary = e->temporary;
        se->sql_text = dup_or_null(e->sql_text, &ok);
        se->provider = dup_or_null(e->provider, &ok);
        se->table = lm_table_ref(e->table);
        if (e->ncols > 0) {
            se->col_names = calloc((size_t)e->ncols, sizeof(char *));
            if (se->col_names == NULL)
                ok = false;
            else
                se->ncols = e->ncols;
            for (int c = 0; c < se->ncols; c++)
                se->col_names[c] = dup_or_null(e->col_names[c], &ok);
        }
    }
    tk.nsnap = n;
    tk.snap_session = s;
    if (!ok)
        snap_free();
    return ok;
}

static bool str_eq(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    return strcmp(a, b) == 0;
}

/* Whether the entry is still what the snapshot recorded. Tables compare
   by identity: the snapshot holds a reference, so the address cannot have
   been reused by a table the test made. */
static bool snap_matches(const tk_snap_entry *se, const lm_catalog_entry *e)
{
    if (!str_eq(se->db, e->db) || strcasecmp(se->name, e->name) != 0 || se->kind != e->kind ||
        se->temporary != e->temporary || se->table != e->table ||
        !str_eq(se->sql_text, e->sql_text) || se->ncols != e->ncols)
        return false;
    for (int c = 0; c < se->ncols; c++)
        if (!str_eq(se->col_names[c], e->col_names[c]))
            return false;
    return true;
}

static lm_catalog_entry *snap_rebuild(const tk_snap_entry *se)
{
    lm_catalog_entry *e = lm_catalog_entry_new(se->db, se->name, se->kind);
    if (e == NULL)
        return NULL;
    bool ok = true;
    e->temporary = se->temporary;
    e->sql_text = dup_or_null(se->sql_text, &ok);
    e->provider = dup_or_null(se->provider, &ok);
    e->table = lm_table_ref(se->table);
    if (se->ncols > 0) {
        e->col_names = calloc((size_t)se->ncols, sizeof(char *));
        if (e->col_names == NULL)
            ok = false;
        else
            e->ncols = se->ncols;
        for (int c = 0; c < e->ncols; c++)
            e->col_names[c] = dup_or_null(se->col_names[c], &ok);
    }
    if (!ok) {
        lm_catalog_entry_free(e);
        return NULL;
    }
    return e;
}

/* Puts the catalog back as the snapshot saw it: entries the test created
   or replaced are dropped, entries it dropped or replaced are rebuilt. */
static void snap_restore(lm_session *s)
{
    if (tk.snap_session != s)
        return;
    bool *kept = tk.nsnap ? calloc((size_t)tk.nsnap, sizeof(bool)) : NULL;
    lm_catalog_entry **p = &s->catalog.entries;
    while (*p) {
        lm_catalog_entry *e = *p;
        int found = -1;
        for (int i = 0; i < tk.nsnap && found < 0; i++)
            if (!(kept && kept[i]) && snap_matches(&tk.snap[i], e))
                found = i;
        if (found >= 0) {
            if (kept)
                kept[found] = true;
            p = &e->next;
            continue;
        }
        *p = e->next;
        lm_catalog_entry_free(e);
    }
    for (int i = 0; i < tk.nsnap; i++) {
        if (kept && kept[i])
            continue;
        lm_catalog_entry *e = snap_rebuild(&tk.snap[i]);
        if (e != NULL)
            lm_catalog_put(&s->catalog, e);
    }
    free(kept);
    snap_free();
}

/* ------------------------------------------------------------ fixtures */

int lmt_group_setup(void **state)
{
    lm_session *s = lmt_session_get();
    *state = s;
    return s ? 0 : -1;
}

int lmt_group_teardown(void **state)
{
    /* The shared session stays open for the next group of this process;
       what the group's setup made is freed with it at exit. */
    (void)state;
    return 0;
}

int lmt_setup(void **state)
{
    lm_session *s = lmt_session_get();
    *state = s;
    if (s == NULL)
        return -1;
    if (!snap_take(s)) {
        fprintf(stderr, "localmode testkit: out of memory\n");
        return -1;
    }
    tk.in_test = true;
    return 0;
}

int lmt_teardown(void **state)
{
    lm_session *s = *state;
    free_owned(true, NULL);
    tk.in_test = false;
    if (s != NULL) {
        restore_overrides(s, true);
        snap_restore(s);
        lm_error_clear(&s->error);
    }
    return 0;
}

int lmt_setup_fresh(void **state)
{
    lm_session *s = lmt_session_new();
    *state = s;
    if (s == NULL)
        return -1;
    tk.in_test = true;
    return 0;
}

int lmt_teardown_fresh(void **state)
{
    lm_session *s = *state;
    free_owned(true, NULL);
    tk.in_test = false;
    if (s != NULL) {
        restore_overrides(s, false);
        lm_session_close(s);
    }
    *state = NULL;
    return 0;
}

static void tk_at_exit(void)
{
    free_owned(false, NULL);
    if (tk.shared) {
        restore_overrides(tk.shared, false);
        lm_session_close(tk.shared);
        tk.shared = NULL;
    }
    while (tk.overrides)
        restore_overrides(tk.overrides->session, false);
    snap_free();
    lm_conf_free(tk.conf);
    tk.conf = NULL;
    if (tk.tmpdir) {
        if (tk.tmpdir_owner == getpid())
            remove_tree(tk.tmpdir);
        free(tk.tmpdir);
        tk.tmpdir = NULL;
    }
}
