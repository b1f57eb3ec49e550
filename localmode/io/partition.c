/*
 * Partition discovery, as Spark's PartitioningUtils: folders named
 * `col=value` between a base path and the files become columns. Each raw
 * value is typed on its own (int, long, decimal, double, timestamp, date,
 * string - the first that parses, __HIVE_DEFAULT_PARTITION__ meaning null),
 * the types of one column are widened across folders, and every value is
 * then cast to that type. A column the user's schema names takes the user's
 * type instead. Folder names are unescaped (%XX), as Hive escapes them.
 */
#include "io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "session/session.h"
#include "types/datetime.h"
#include "types/decimal.h"
#include "types/numfmt.h"

/* ------------------------------------------------------------ escaping */

static bool needs_escape(unsigned char c)
{
    /* ExternalCatalogUtils.charToEscape (Unix flavour) */
    if (c < 0x20 || c == 0x7F)
        return true;
    return strchr("\"#%'*/:=?\\{[]^", c) != NULL;
}

void io_escape_path_name(lm_strbuf *sb, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (needs_escape(c))
            lm_strbuf_printf(sb, "%%%02X", c);
        else
            lm_strbuf_putc(sb, (char)c);
    }
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

char *io_unescape_path_name(lm_arena *a, const char *s, size_t n)
{
    char *o = lm_arena_alloc(a, n + 1);
    if (o == NULL)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            o[k++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else {
            o[k++] = s[i];
        }
    }
    o[k] = '\0';
    return o;
}

/* ------------------------------------------------------------- typing */

typedef struct ptype {
    lm_type_id id;
    int p, s;
} ptype;

static ptype pt(lm_type_id id)
{
    ptype t = {id, 0, 0};
    return t;
}

/* inferPartitionColumnValue */
static ptype infer_value(const char *raw, const char *unesc, const lm_tz *tz, const lm_dtf *tsf,
                         const lm_dtf *df)
{
    size_t n = strlen(raw);
    int64_t l;
    if (io_java_parse_long(raw, n, INT32_MIN, INT32_MAX, &l))
        return pt(LM_TYPE_INT);
    if (io_java_parse_long(raw, n, INT64_MIN, INT64_MAX, &l))
        return pt(LM_TYPE_LONG);
    int prec, scale;
    if (io_java_bigdecimal(raw, n, &prec, &scale) && scale <= 0) {
        /* Decimal(BigDecimal) drops a negative scale by multiplying it out */
        int p = prec - scale;
        if (p <= LM_DECIMAL_MAX_PRECISION) {
            ptype t = {LM_TYPE_DECIMAL, p, 0};
            return t;
        }
    }
    double d;
    if (io_java_parse_double(raw, n, &d))
        return pt(LM_TYPE_DOUBLE);
    int64_t micros;
    if (tsf && lm_dtf_parse_ts(tsf, unesc, strlen(unesc), tz, &micros) == LM_DTF_OK &&
        lm_ts_parse(unesc, strlen(unesc), tz, &micros))
        return pt(LM_TYPE_TIMESTAMP);
    int32_t days;
    if (df && lm_dtf_parse_date(df, raw, n, &days) == LM_DTF_OK && lm_date_parse(raw, n, &days))
        return pt(LM_TYPE_DATE);
    if (strcmp(raw, IO_DEFAULT_PARTITION) == 0)
        return pt(LM_TYPE_NULL);
    return pt(LM_TYPE_STRING);
}

static int num_rank(lm_type_id id)
{
    switch (id) {
    case LM_TYPE_BYTE:
        return 1;
    case LM_TYPE_SHORT:
        return 2;
    case LM_TYPE_INT:
        return 3;
    case LM_TYPE_LONG:
        return 4;
    case LM_TYPE_FLOAT:
        return 5;
    case LM_TYPE_DOUBLE:
        return 6;
    default:
        return 0;
    }
}

/* TypeCoercion.findWiderTypeWithoutStringPromotionForTwo, else string. */
static ptype wider(ptype a, ptype b)
{
    if (a.id == b.id && a.p == b.p && a.s == b.s)
        return a;
    if (a.id == LM_TYPE_NULL)
        return b;
    if (b.id == LM_TYPE_NULL)
        return a;
    int ra = num_rank(a.id), rb = num_rank(b.id);
    if (ra && rb)
        return ra >= rb ? a : b;
    if (a.id == LM_TYPE_DECIMAL || b.id == LM_TYPE_DECIMAL) {
        if ((a.id == LM_TYPE_DOUBLE || a.id == LM_TYPE_FLOAT) ||
            (b.id == LM_TYPE_DOUBLE || b.id == LM_TYPE_FLOAT))
            return pt(LM_TYPE_DOUBLE);
        int p1, s1, p2, s2;
        if (a.id == LM_TYPE_DECIMAL) {
            p1 = a.p;
            s1 = a.s;
        } else if (!lm_decimal_type_for_integral(a.id, &p1, &s1)) {
            return pt(LM_TYPE_STRING);
        }
        if (b.id == LM_TYPE_DECIMAL) {
            p2 = b.p;
            s2 = b.s;
        } else if (!lm_decimal_type_for_integral(b.id, &p2, &s2)) {
            return pt(LM_TYPE_STRING);
        }
        ptype t = {LM_TYPE_DECIMAL, 0, 0};
        lm_decimal_result_wider(p1, s1, p2, s2, &t.p, &t.s);
        return t;
    }
    if ((a.id == LM_TYPE_DATE && b.id == LM_TYPE_TIMESTAMP) ||
        (a.id == LM_TYPE_TIMESTAMP && b.id == LM_TYPE_DATE))
        return pt(LM_TYPE_TIMESTAMP);
    return pt(LM_TYPE_STRING);
}

static lm_type *type_of(ptype t)
{
    if (t.id == LM_TYPE_DECIMAL)
        return lm_type_decimal(t.p, t.s);
    if (t.id == LM_TYPE_NULL)
        return lm_type_string(); /* a column that is all null reads as string */
    return lm_type_primitive(t.id);
}

/* Cast(Literal(raw string), type), non-ANSI: NULL when it does not convert. */
static lm_value cast_raw(lm_arena *a, const char *s, const lm_type *t, const lm_tz *tz)
{
    size_t n = strlen(s);
    lm_value v = lm_value_null();
    switch (t->id) {
    case LM_TYPE_STRING: {
        v = lm_value_str(s, (int32_t)n);
        break;
    }
    case LM_TYPE_BOOLEAN: {
        bool b;
        if (lm_parse_bool(s, n, &b))
            v = lm_value_bool(b);
        break;
    }
    case LM_TYPE_BYTE: {
        int8_t x;
        if (lm_parse_byte(s, n, &x))
            v = lm_value_i64(x);
        break;
    }
    case LM_TYPE_SHORT: {
        int16_t x;
        if (lm_parse_short(s, n, &x))
            v = lm_value_i64(x);
        break;
    }
    case LM_TYPE_INT: {
        int32_t x;
        if (lm_parse_int(s, n, &x))
            v = lm_value_i64(x);
        break;
    }
    case LM_TYPE_LONG: {
        int64_t x;
        if (lm_parse_long(s, n, &x))
            v = lm_value_i64(x);
        break;
    }
    case LM_TYPE_FLOAT: {
        float f;
        if (lm_parse_float(s, n, &f))
            v = lm_value_f32(f);
        break;
    }
    case LM_TYPE_DOUBLE: {
        double d;
        if (lm_parse_double(s, n, &d))
            v = lm_value_f64(d);
        break;
    }
    case LM_TYPE_DECIMAL: {
        lm_int128 x;
        if (lm_decimal_parse_to(s, n, t->precision, t->scale, &x))
            v = lm_value_dec(x);
        break;
    }
    case LM_TYPE_DATE: {
        int32_t d;
        if (lm_date_parse(s, n, &d))
            v = lm_value_i64(d);
        break;
    }
    case LM_TYPE_TIMESTAMP: {
        int64_t m;
        if (lm_ts_parse(s, n, tz, &m))
            v = lm_value_i64(m);
        break;
    }
    case LM_TYPE_TIMESTAMP_NTZ: {
        int64_t m;
        if (lm_ts_ntz_parse(s, n, true, &m))
            v = lm_value_i64(m);
        break;
    }
    default:
        break;
    }
    (void)a;
    return v;
}

/* ---------------------------------------------------------- discovery */

typedef struct leaf_dir {
    char *dir;
    char *base;      /* discovered base path */
    int ncols;       /* 0: not a partition folder */
    char **names;
    char **raws;     /* escaped raw values */
    int part;        /* index in src->part_values */
} leaf_dir;

static char *dir_of(lm_arena *a, const char *path)
{
    const char *s = strrchr(path, '/');
    size_t n = s && s != path ? (size_t)(s - path) : 1;
    return lm_arena_strndup(a, path, n);
}

static lm_status assert_error(lm_error *err, const char *msg)
{
    return lm_error_set(err, LM_ERROR, "java.lang.AssertionError", NULL, NULL,
                        "assertion failed: %s", msg);
}

/* parsePartition for one leaf folder. */
static lm_status parse_dir(lm_arena *a, lm_error *err, leaf_dir *ld, char **bases, int nbase)
{
    const char *best = NULL;
    size_t bl = 0;
    for (int i = 0; i < nbase; i++) {
        size_t l = strlen(bases[i]);
        bool under = strncmp(ld->dir, bases[i], l) == 0 &&
                     (ld->dir[l] == '\0' || ld->dir[l] == '/' || (l == 1 && bases[i][0] == '/'));
        if (under && (best == NULL || l > bl)) {
            best = bases[i];
            bl = l;
        }
    }
    ld->ncols = 0;
    ld->base = ld->dir;
    if (best == NULL || ld->dir[bl] == '\0')
        return LM_OK;
    /* segments between base and dir, walked from the leaf upward */
    const char *rel = ld->dir + bl + (ld->dir[bl] == '/' ? 1 : 0);
    int nseg = 1;
    for (const char *p = rel; *p; p++)
        nseg += *p == '/';
    char **names = lm_arena_calloc(a, (size_t)nseg, sizeof *names);
    char **raws = lm_arena_calloc(a, (size_t)nseg, sizeof *raws);
    const char **segs = lm_arena_calloc(a, (size_t)nseg, sizeof *segs);
    size_t *lens = lm_arena_calloc(a, (size_t)nseg, sizeof *lens);
    if (names == NULL || raws == NULL || segs == NULL || lens == NULL)
        return lm_error_oom(err);
    int k = 0;
    for (const char *p = rel;;) {
        const char *e = strchr(p, '/');
        segs[k] = p;
        lens[k] = e ? (size_t)(e - p) : strlen(p);
        k++;
        if (e == NULL)
            break;
        p = e + 1;
    }
    int ncol = 0;
    int top = nseg; /* index of the topmost partition segment */
    for (int i = nseg - 1; i >= 0; i--) {
        if (lens[i] == 10 && strncasecmp(segs[i], "_temporary", 10) == 0) {
            ld->ncols = -1; /* leftover of a failed job: ignored */
            return LM_OK;
        }
        const char *eq = memchr(segs[i], '=', lens[i]);
        if (eq == NULL) {
            if (ncol > 0)
                break;
            continue;
        }
        size_t nl = (size_t)(eq - segs[i]);
        size_t vl = lens[i] - nl - 1;
        char spec[512];
        snprintf(spec, sizeof spec, "%.*s", (int)lens[i], segs[i]);
        if (nl == 0) {
            char m[600];
            snprintf(m, sizeof m, "Empty partition column name in '%s'", spec);
            return assert_error(err, m);
        }
        if (vl == 0) {
            char m[600];
            snprintf(m, sizeof m, "Empty partition column value in '%s'", spec);
            return assert_error(err, m);
        }
        names[ncol] = io_unescape_path_name(a, segs[i], nl);
        raws[ncol] = lm_arena_strndup(a, eq + 1, vl);
        if (names[ncol] == NULL || raws[ncol] == NULL)
            return lm_error_oom(err);
        ncol++;
        top = i;
    }
    if (ncol == 0)
        return LM_OK;
    /* collected leaf-first; store top-down */
    for (int i = 0; i < ncol / 2; i++) {
        char *t = names[i];
        names[i] = names[ncol - 1 - i];
        names[ncol - 1 - i] = t;
        t = raws[i];
        raws[i] = raws[ncol - 1 - i];
        raws[ncol - 1 - i] = t;
    }
    ld->ncols = ncol;
    ld->names = names;
    ld->raws = raws;
    /* the discovered base is the folder above the topmost partition segment */
    size_t blen = (size_t)(segs[top] - ld->dir);
    if (blen > 1)
        blen--; /* drop the '/' */
    ld->base = lm_arena_strndup(a, ld->dir, blen);
    return ld->base ? LM_OK : lm_error_oom(err);
}

lm_status io_partition_discover(lm_session *s, lm_error *err, io_source *src, char **bases,
                                int nbase, const lm_type *user_schema)
{
    lm_arena *a = &src->arena;
    src->part_schema = lm_type_struct(NULL, 0);
    if (src->part_schema == NULL)
        return lm_error_oom(err);
    if (src->nfiles == 0)
        return LM_OK;
    leaf_dir *dirs = lm_arena_calloc(a, (size_t)src->nfiles, sizeof *dirs);
    int *file_dir = lm_arena_calloc(a, (size_t)src->nfiles, sizeof *file_dir);
    if (dirs == NULL || file_dir == NULL)
        return lm_error_oom(err);
    int ndirs = 0;
    for (int f = 0; f < src->nfiles; f++) {
        char *d = dir_of(a, src->files[f].path);
        if (d == NULL)
            return lm_error_oom(err);
        int found = -1;
        for (int i = 0; i < ndirs; i++)
            if (strcmp(dirs[i].dir, d) == 0) {
                found = i;
                break;
            }
        if (found < 0) {
            dirs[ndirs].dir = d;
            dirs[ndirs].part = -1;
            lm_status rc = parse_dir(a, err, &dirs[ndirs], bases, nbase);
            if (rc != LM_OK)
                return rc;
            found = ndirs++;
        }
        file_dir[f] = found;
    }
    int first = -1;
    for (int i = 0; i < ndirs; i++)
        if (dirs[i].ncols > 0) {
            first = i;
            break;
        }
    if (first < 0)
        return LM_OK;
    /* every folder must sit at the same depth under one base ... */
    for (int i = 0; i < ndirs; i++) {
        if (dirs[i].ncols < 0 || strcmp(dirs[i].base, dirs[first].base) == 0)
            continue;
        lm_strbuf sb;
        lm_strbuf_init(&sb);
        lm_strbuf_puts(&sb, "Conflicting directory structures detected. Suspicious paths:\b");
        for (int j = 0; j < ndirs; j++) {
            bool dup = false;
            for (int q = 0; q < j; q++)
                dup |= dirs[q].ncols >= 0 && strcmp(dirs[q].base, dirs[j].base) == 0;
            if (dirs[j].ncols >= 0 && !dup)
                lm_strbuf_printf(&sb, "\n\tfile:%s", dirs[j].base);
        }
        lm_strbuf_puts(&sb, "\n\nIf provided paths are partition directories, please set "
                            "\"basePath\" in the options of the data source to specify the root "
                            "directory of the table. If there are multiple root directories, "
                            "please load them separately and then union them.");
        lm_status rc = assert_error(err, lm_strbuf_cstr(&sb));
        lm_strbuf_free(&sb);
        return rc;
    }
    /* ... with the same column names */
    int ncol = dirs[first].ncols;
    for (int i = 0; i < ndirs; i++) {
        if (dirs[i].ncols <= 0)
            continue;
        bool same = dirs[i].ncols == ncol;
        for (int c = 0; same && c < ncol; c++)
            same = s->case_sensitive ? strcmp(dirs[i].names[c], dirs[first].names[c]) == 0
                                     : strcasecmp(dirs[i].names[c], dirs[first].names[c]) == 0;
        if (same)
            continue;
        lm_strbuf sb;
        lm_strbuf_init(&sb);
        lm_strbuf_puts(&sb, "Conflicting partition column names detected:\n");
        int shown = 0;
        for (int j = 0; j < ndirs; j++) {
            if (dirs[j].ncols <= 0)
                continue;
            lm_strbuf_printf(&sb, "\n\tPartition column name list #%d: ", shown++);
            for (int c = 0; c < dirs[j].ncols; c++)
                lm_strbuf_printf(&sb, "%s%s", c ? ", " : "", dirs[j].names[c]);
        }
        lm_strbuf_puts(&sb, "\n\nFor partitioned table directories, data files should only live "
                            "in leaf directories.\nAnd directories at the same level should have "
                            "the same partition column name.\nPlease check the following "
                            "directories for unexpected files or inconsistent partition column "
                            "names:\n");
        for (int j = 0; j < ndirs; j++)
            if (dirs[j].ncols > 0)
                lm_strbuf_printf(&sb, "\n\tfile:%s", dirs[j].dir);
        lm_status rc = assert_error(err, lm_strbuf_cstr(&sb));
        lm_strbuf_free(&sb);
        return rc;
    }
    /* distinct partition folders get an index */
    int nparts = 0;
    for (int i = 0; i < ndirs; i++)
        if (dirs[i].ncols > 0)
            dirs[i].part = nparts++;
    /* types: user schema first, else inferred and widened */
    lm_dtf *tsf = lm_dtf_compile("yyyy-MM-dd HH:mm:ss[.S]", true, err);
    lm_dtf *df = lm_dtf_compile("yyyy-MM-dd", true, err);
    if (tsf == NULL || df == NULL) {
        lm_dtf_free(tsf);
        lm_dtf_free(df);
        return lm_error_oom(err);
    }
    bool infer = true;
    const char *inf = lm_conf_get(s->conf, "spark.sql.sources.partitionColumnTypeInference.enabled");
    if (inf && strcasecmp(inf, "false") == 0)
        infer = false;
    const lm_tz *tz = s->tz ? s->tz : lm_tz_utc();
    lm_field *fields = lm_arena_calloc(a, (size_t)ncol, sizeof *fields);
    lm_type **types = lm_arena_calloc(a, (size_t)ncol, sizeof *types);
    lm_status rc = fields && types ? LM_OK : lm_error_oom(err);
    for (int c = 0; c < ncol && rc == LM_OK; c++) {
        const char *name = dirs[first].names[c];
        int ui = user_schema ? lm_type_field_index(user_schema, name) : -1;
        if (ui >= 0) {
            types[c] = lm_type_ref(user_schema->fields[ui].type);
        } else {
            ptype t = pt(LM_TYPE_NULL);
            for (int i = 0; i < ndirs; i++) {
                if (dirs[i].ncols <= 0)
                    continue;
                const char *raw = dirs[i].raws[c];
                char *un = io_unescape_path_name(a, raw, strlen(raw));
                if (un == NULL) {
                    rc = lm_error_oom(err);
                    break;
                }
                ptype v = infer ? infer_value(raw, un, tz, tsf, df)
                                : pt(strcmp(raw, IO_DEFAULT_PARTITION) == 0 ? LM_TYPE_NULL
                                                                             : LM_TYPE_STRING);
                t = wider(t, v);
            }
            types[c] = type_of(t);
            if (types[c] == NULL && rc == LM_OK)
                rc = lm_error_oom(err);
        }
        fields[c].name = (char *)name;
        fields[c].type = types[c];
        fields[c].nullable = true;
    }
    lm_dtf_free(tsf);
    lm_dtf_free(df);
    if (rc == LM_OK) {
        lm_type *st = lm_type_struct(fields, ncol);
        if (st == NULL) {
            rc = lm_error_oom(err);
        } else {
            lm_type_unref(src->part_schema);
            src->part_schema = st;
        }
    }
    for (int c = 0; c < ncol; c++)
        if (types && types[c])
            lm_type_unref(types[c]);
    if (rc != LM_OK)
        return rc;
    /* values */
    src->nparts = nparts;
    src->part_values = lm_arena_calloc(a, (size_t)nparts + 1, sizeof *src->part_values);
    if (src->part_values == NULL)
        return lm_error_oom(err);
    for (int i = 0; i < ndirs; i++) {
        if (dirs[i].ncols <= 0)
            continue;
        lm_value *vals = lm_arena_calloc(a, (size_t)ncol, sizeof *vals);
        if (vals == NULL)
            return lm_error_oom(err);
        for (int c = 0; c < ncol; c++) {
            const char *raw = dirs[i].raws[c];
            if (strcmp(raw, IO_DEFAULT_PARTITION) == 0) {
                vals[c] = lm_value_null();
                continue;
            }
            char *un = io_unescape_path_name(a, raw, strlen(raw));
            if (un == NULL)
                return lm_error_oom(err);
            vals[c] = cast_raw(a, un, src->part_schema->fields[c].type, tz);
        }
        src->part_values[dirs[i].part] = vals;
    }
    /* files outside partition folders are not part of a partitioned table */
    int keep = 0;
    for (int f = 0; f < src->nfiles; f++) {
        const leaf_dir *ld = &dirs[file_dir[f]];
        if (ld->ncols <= 0)
            continue;
        src->files[keep] = src->files[f];
        src->files[keep].part = ld->part;
        keep++;
    }
    src->nfiles = keep;
    return LM_OK;
}
