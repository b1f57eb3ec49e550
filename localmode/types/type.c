/*
 * Spark SQL data types: singletons, refcounted constructors, equality and
 * the several string forms Spark prints a type in.
 *
 * Spark has four spellings of a type and each shows up somewhere users look:
 *   typeName       printSchema and JSON  ("integer", "long", "array")
 *   simpleString   toString, plans       ("int", "bigint", "array<int>")
 *   catalogString  schemas in golden files, never truncated
 *   sql            error messages        ("INT", "STRUCT<a: INT>")
 * They are produced by one recursive printer parameterised by the form, so
 * the rules for nesting live in one place.
 */
#include "type.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------
 * Singletons
 * ------------------------------------------------------------------------- */

#define SINGLETON(id_) { .id = (id_), .refcount = -1 }

static lm_type g_primitives[] = {
    [LM_TYPE_NULL] = SINGLETON(LM_TYPE_NULL),
    [LM_TYPE_BOOLEAN] = SINGLETON(LM_TYPE_BOOLEAN),
    [LM_TYPE_BYTE] = SINGLETON(LM_TYPE_BYTE),
    [LM_TYPE_SHORT] = SINGLETON(LM_TYPE_SHORT),
    [LM_TYPE_INT] = SINGLETON(LM_TYPE_INT),
    [LM_TYPE_LONG] = SINGLETON(LM_TYPE_LONG),
    [LM_TYPE_FLOAT] = SINGLETON(LM_TYPE_FLOAT),
    [LM_TYPE_DOUBLE] = SINGLETON(LM_TYPE_DOUBLE),
    /* [LM_TYPE_DECIMAL] stays unused: decimals are parameterised */
    [LM_TYPE_STRING] = SINGLETON(LM_TYPE_STRING),
    [LM_TYPE_BINARY] = SINGLETON(LM_TYPE_BINARY),
    [LM_TYPE_DATE] = SINGLETON(LM_TYPE_DATE),
    [LM_TYPE_TIMESTAMP] = SINGLETON(LM_TYPE_TIMESTAMP),
    [LM_TYPE_TIMESTAMP_NTZ] = SINGLETON(LM_TYPE_TIMESTAMP_NTZ),
    [LM_TYPE_INTERVAL] = SINGLETON(LM_TYPE_INTERVAL),
};

/*
 * The interval types have so few instances (3 year-month, 10 day-time) that
 * they are singletons too: indexed [start][end], unused cells (start > end)
 * are never handed out.
 */
#define IV(id_, s_, e_) { .id = (id_), .refcount = -1, .start_field = (s_), .end_field = (e_) }

static lm_type g_ym[2][2] = {
    { IV(LM_TYPE_YM_INTERVAL, 0, 0), IV(LM_TYPE_YM_INTERVAL, 0, 1) },
    { IV(LM_TYPE_YM_INTERVAL, 1, 0), IV(LM_TYPE_YM_INTERVAL, 1, 1) },
};

static lm_type g_dt[4][4] = {
    { IV(LM_TYPE_DT_INTERVAL, 0, 0), IV(LM_TYPE_DT_INTERVAL, 0, 1),
      IV(LM_TYPE_DT_INTERVAL, 0, 2), IV(LM_TYPE_DT_INTERVAL, 0, 3) },
    { IV(LM_TYPE_DT_INTERVAL, 1, 0), IV(LM_TYPE_DT_INTERVAL, 1, 1),
      IV(LM_TYPE_DT_INTERVAL, 1, 2), IV(LM_TYPE_DT_INTERVAL, 1, 3) },
    { IV(LM_TYPE_DT_INTERVAL, 2, 0), IV(LM_TYPE_DT_INTERVAL, 2, 1),
      IV(LM_TYPE_DT_INTERVAL, 2, 2), IV(LM_TYPE_DT_INTERVAL, 2, 3) },
    { IV(LM_TYPE_DT_INTERVAL, 3, 0), IV(LM_TYPE_DT_INTERVAL, 3, 1),
      IV(LM_TYPE_DT_INTERVAL, 3, 2), IV(LM_TYPE_DT_INTERVAL, 3, 3) },
};

lm_type *lm_type_null(void) { return &g_primitives[LM_TYPE_NULL]; }
lm_type *lm_type_boolean(void) { return &g_primitives[LM_TYPE_BOOLEAN]; }
lm_type *lm_type_byte(void) { return &g_primitives[LM_TYPE_BYTE]; }
lm_type *lm_type_short(void) { return &g_primitives[LM_TYPE_SHORT]; }
lm_type *lm_type_int(void) { return &g_primitives[LM_TYPE_INT]; }
lm_type *lm_type_long(void) { return &g_primitives[LM_TYPE_LONG]; }
lm_type *lm_type_float(void) { return &g_primitives[LM_TYPE_FLOAT]; }
lm_type *lm_type_double(void) { return &g_primitives[LM_TYPE_DOUBLE]; }
lm_type *lm_type_string(void) { return &g_primitives[LM_TYPE_STRING]; }
lm_type *lm_type_binary(void) { return &g_primitives[LM_TYPE_BINARY]; }
lm_type *lm_type_date(void) { return &g_primitives[LM_TYPE_DATE]; }
lm_type *lm_type_timestamp(void) { return &g_primitives[LM_TYPE_TIMESTAMP]; }
lm_type *lm_type_timestamp_ntz(void) { return &g_primitives[LM_TYPE_TIMESTAMP_NTZ]; }
lm_type *lm_type_calendar_interval(void) { return &g_primitives[LM_TYPE_INTERVAL]; }

lm_type *lm_type_primitive(lm_type_id id)
{
    if (id < LM_TYPE_NULL || id > LM_TYPE_INTERVAL || id == LM_TYPE_DECIMAL)
        return NULL;
    return &g_primitives[id];
}

/* ---------------------------------------------------------------------------
 * Constructors and reference counting
 * ------------------------------------------------------------------------- */

static lm_type *type_alloc(lm_type_id id)
{
    lm_type *t = calloc(1, sizeof *t);
    if (t == NULL)
        return NULL;
    t->id = id;
    atomic_init(&t->refcount, 1);
    return t;
}

lm_type *lm_type_decimal(int precision, int scale)
{
    if (precision < 1 || precision > LM_DECIMAL_MAX_PRECISION || scale < 0 || scale > precision)
        return NULL;
    lm_type *t = type_alloc(LM_TYPE_DECIMAL);
    if (t == NULL)
        return NULL;
    t->precision = (uint8_t)precision;
    t->scale = (uint8_t)scale;
    return t;
}

lm_type *lm_type_ym_interval(int start_field, int end_field)
{
    if (start_field < LM_YM_YEAR || end_field > LM_YM_MONTH || start_field > end_field)
        return NULL;
    return &g_ym[start_field][end_field];
}

lm_type *lm_type_dt_interval(int start_field, int end_field)
{
    if (start_field < LM_DT_DAY || end_field > LM_DT_SECOND || start_field > end_field)
        return NULL;
    return &g_dt[start_field][end_field];
}

lm_type *lm_type_array(lm_type *elem, bool contains_null)
{
    if (elem == NULL)
        return NULL;
    lm_type *t = type_alloc(LM_TYPE_ARRAY);
    if (t == NULL)
        return NULL;
    t->elem = lm_type_ref(elem);
    t->contains_null = contains_null;
    return t;
}

lm_type *lm_type_map(lm_type *key, lm_type *value, bool value_contains_null)
{
    if (key == NULL || value == NULL)
        return NULL;
    lm_type *t = type_alloc(LM_TYPE_MAP);
    if (t == NULL)
        return NULL;
    t->key = lm_type_ref(key);
    t->value = lm_type_ref(value);
    t->value_contains_null = value_contains_null;
    return t;
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d != NULL)
        memcpy(d, s, n);
    return d;
}

static void free_fields(lm_field *fields, int n)
{
    for (int i = 0; i < n; i++) {
        free(fields[i].name);
        free(fields[i].comment);
        free(fields[i].metadata);
        lm_type_unref(fields[i].type);
    }
    free(fields);
}

lm_type *lm_type_struct(const lm_field *fields, int nfields)
{
    if (nfields < 0 || (nfields > 0 && fields == NULL))
        return NULL;
    for (int i = 0; i < nfields; i++)
        if (fields[i].type == NULL || fields[i].name == NULL)
            return NULL;
    lm_type *t = type_alloc(LM_TYPE_STRUCT);
    if (t == NULL)
        return NULL;
    if (nfields == 0)
        return t;
    t->fields = calloc((size_t)nfields, sizeof *t->fields);
    if (t->fields == NULL) {
        free(t);
        return NULL;
    }
    /* nfields counts the fields filled so far, so a failure part-way frees
       exactly what was built */
    for (int i = 0; i < nfields; i++) {
        lm_field *f = &t->fields[i];
        f->name = dup_str(fields[i].name);
        f->comment = fields[i].comment ? dup_str(fields[i].comment) : NULL;
        f->metadata = fields[i].metadata ? dup_str(fields[i].metadata) : NULL;
        if (f->name == NULL || (fields[i].comment && f->comment == NULL) ||
            (fields[i].metadata && f->metadata == NULL)) {
            free(f->name);
            free(f->comment);
            free(f->metadata);
            free_fields(t->fields, t->nfields);
            free(t);
            return NULL;
        }
        f->type = lm_type_ref(fields[i].type);
        f->nullable = fields[i].nullable;
        t->nfields++;
    }
    return t;
}

static bool is_singleton(const lm_type *t)
{
    return atomic_load_explicit(&((lm_type *)t)->refcount, memory_order_relaxed) < 0;
}

lm_type *lm_type_udt(const lm_field *fields, int nfields, const lm_udt *udt)
{
    lm_type *t = lm_type_struct(fields, nfields);
    if (t != NULL)
        t->udt = udt;
    return t;
}

lm_type *lm_type_ref(lm_type *t)
{
    if (t != NULL && !is_singleton(t))
        atomic_fetch_add_explicit(&t->refcount, 1, memory_order_relaxed);
    return t;
}

/*
 * The last unref frees. acq_rel on the decrement makes every write another
 * thread did before its unref visible to the thread that frees.
 */
void lm_type_unref(lm_type *t)
{
    if (t == NULL || is_singleton(t))
        return;
    if (atomic_fetch_sub_explicit(&t->refcount, 1, memory_order_acq_rel) != 1)
        return;
    switch (t->id) {
    case LM_TYPE_ARRAY:
        lm_type_unref(t->elem);
        break;
    case LM_TYPE_MAP:
        lm_type_unref(t->key);
        lm_type_unref(t->value);
        break;
    case LM_TYPE_STRUCT:
        free_fields(t->fields, t->nfields);
        break;
    default:
        break;
    }
    free(t);
}

/* ---------------------------------------------------------------------------
 * Equality
 * ------------------------------------------------------------------------- */

enum {
    EQ_NULLABLE = 1,  /* compare containsNull / valueContainsNull / nullable */
    EQ_NAMES = 2,     /* compare field names exactly */
    EQ_NAMES_CI = 4,  /* compare field names ignoring ASCII case */
    EQ_COMMENTS = 8,  /* compare field comments and metadata (Spark's metadata) */
};

static unsigned char ascii_lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + ('a' - 'A')) : c;
}

/*
 * Spark folds case with Java's String.equalsIgnoreCase / toLowerCase(ROOT),
 * which also folds non-ASCII letters. We fold ASCII only: identifiers with
 * non-ASCII letters in different cases will not match here.
 */
static bool name_eq_ci(const char *a, const char *b)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    while (*x && ascii_lower(*x) == ascii_lower(*y)) {
        x++;
        y++;
    }
    return *x == *y;
}

static bool opt_str_eq(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    return strcmp(a, b) == 0;
}

static bool type_eq(const lm_type *a, const lm_type *b, int flags)
{
    if (a == b)
        return true;
    if (a == NULL || b == NULL || a->id != b->id)
        return false;
    switch (a->id) {
    case LM_TYPE_DECIMAL:
        return a->precision == b->precision && a->scale == b->scale;
    case LM_TYPE_YM_INTERVAL:
    case LM_TYPE_DT_INTERVAL:
        return a->start_field == b->start_field && a->end_field == b->end_field;
    case LM_TYPE_ARRAY:
        if ((flags & EQ_NULLABLE) && a->contains_null != b->contains_null)
            return false;
        return type_eq(a->elem, b->elem, flags);
    case LM_TYPE_MAP:
        if ((flags & EQ_NULLABLE) && a->value_contains_null != b->value_contains_null)
            return false;
        return type_eq(a->key, b->key, flags) && type_eq(a->value, b->value, flags);
    case LM_TYPE_STRUCT:
        if (a->nfields != b->nfields || a->udt != b->udt)
            return false;
        for (int i = 0; i < a->nfields; i++) {
            const lm_field *fa = &a->fields[i], *fb = &b->fields[i];
            if ((flags & EQ_NAMES) && strcmp(fa->name, fb->name) != 0)
                return false;
            if ((flags & EQ_NAMES_CI) && !name_eq_ci(fa->name, fb->name))
                return false;
            if ((flags & EQ_NULLABLE) && fa->nullable != fb->nullable)
                return false;
            if ((flags & EQ_COMMENTS) && (!opt_str_eq(fa->comment, fb->comment) ||
                                          !opt_str_eq(fa->metadata, fb->metadata)))
                return false;
            if (!type_eq(fa->type, fb->type, flags))
                return false;
        }
        return true;
    default:
        return true;
    }
}

/* Spark's DataType equality is case-class equality, which includes each
   field's metadata (the comment and the rest, kept as JSON text). */
bool lm_type_equal(const lm_type *a, const lm_type *b)
{
    return type_eq(a, b, EQ_NULLABLE | EQ_NAMES | EQ_COMMENTS);
}

/* DataType.equalsIgnoreNullability: names still compared exactly,
   metadata ignored. */
bool lm_type_same_ignoring_nullable(const lm_type *a, const lm_type *b)
{
    return type_eq(a, b, EQ_NAMES);
}

/* DataType.equalsIgnoreCaseAndNullability, what sameType uses with the
   default spark.sql.caseSensitive=false. */
bool lm_type_equal_ignore_case_and_nullable(const lm_type *a, const lm_type *b)
{
    return type_eq(a, b, EQ_NAMES_CI);
}

/* ---------------------------------------------------------------------------
 * Classification
 * ------------------------------------------------------------------------- */

bool lm_type_is_numeric(const lm_type *t)
{
    return (t->id >= LM_TYPE_BYTE && t->id <= LM_TYPE_DOUBLE) || t->id == LM_TYPE_DECIMAL;
}

bool lm_type_is_integral(const lm_type *t)
{
    return t->id >= LM_TYPE_BYTE && t->id <= LM_TYPE_LONG;
}

bool lm_type_is_fractional(const lm_type *t)
{
    return t->id == LM_TYPE_FLOAT || t->id == LM_TYPE_DOUBLE;
}

bool lm_type_is_datetime(const lm_type *t)
{
    return t->id == LM_TYPE_DATE || t->id == LM_TYPE_TIMESTAMP || t->id == LM_TYPE_TIMESTAMP_NTZ;
}

bool lm_type_is_interval(const lm_type *t)
{
    return t->id == LM_TYPE_INTERVAL || t->id == LM_TYPE_YM_INTERVAL || t->id == LM_TYPE_DT_INTERVAL;
}

bool lm_type_is_complex(const lm_type *t)
{
    return t->id == LM_TYPE_ARRAY || t->id == LM_TYPE_MAP || t->id == LM_TYPE_STRUCT;
}

bool lm_type_is_atomic_orderable(const lm_type *t)
{
    return t->id != LM_TYPE_INTERVAL && !lm_type_is_complex(t);
}

bool lm_type_is_orderable(const lm_type *t)
{
    switch (t->id) {
    case LM_TYPE_ARRAY:
        return lm_type_is_orderable(t->elem);
    case LM_TYPE_STRUCT:
        for (int i = 0; i < t->nfields; i++)
            if (!lm_type_is_orderable(t->fields[i].type))
                return false;
        return true;
    case LM_TYPE_MAP:
        return false;
    default:
        return lm_type_is_atomic_orderable(t);
    }
}

int lm_type_field_index(const lm_type *st, const char *name)
{
    if (st == NULL || st->id != LM_TYPE_STRUCT || name == NULL)
        return -1;
    for (int i = 0; i < st->nfields; i++)
        if (name_eq_ci(st->fields[i].name, name))
            return i;
    return -1;
}

int lm_type_fixed_width(const lm_type *t)
{
    switch (t->id) {
    case LM_TYPE_BOOLEAN:
    case LM_TYPE_BYTE:
        return 1;
    case LM_TYPE_SHORT:
        return 2;
    case LM_TYPE_INT:
    case LM_TYPE_FLOAT:
    case LM_TYPE_DATE:
    case LM_TYPE_YM_INTERVAL:
        return 4;
    case LM_TYPE_LONG:
    case LM_TYPE_DOUBLE:
    case LM_TYPE_TIMESTAMP:
    case LM_TYPE_TIMESTAMP_NTZ:
    case LM_TYPE_DT_INTERVAL:
        return 8;
    case LM_TYPE_DECIMAL:
        return 16; /* lm_int128 */
    case LM_TYPE_INTERVAL:
        return 16; /* lm_interval: int32 months, int32 days, int64 micros */
    default:
        return 0;
    }
}

/* ---------------------------------------------------------------------------
 * String forms
 * ------------------------------------------------------------------------- */

typedef enum str_form { FORM_TYPENAME, FORM_SIMPLE, FORM_CATALOG, FORM_SQL } str_form;

/* Spark's spark.sql.debug.maxToStringFields default; simpleString shows
   at most this many struct fields. */
#define MAX_TO_STRING_FIELDS 25

/* typeName and simpleString of the unparameterised types, by id. */
static const char *const k_type_name[] = {
    [LM_TYPE_NULL] = "void",       [LM_TYPE_BOOLEAN] = "boolean",
    [LM_TYPE_BYTE] = "byte",       [LM_TYPE_SHORT] = "short",
    [LM_TYPE_INT] = "integer",     [LM_TYPE_LONG] = "long",
    [LM_TYPE_FLOAT] = "float",     [LM_TYPE_DOUBLE] = "double",
    [LM_TYPE_STRING] = "string",   [LM_TYPE_BINARY] = "binary",
    [LM_TYPE_DATE] = "date",       [LM_TYPE_TIMESTAMP] = "timestamp",
    [LM_TYPE_TIMESTAMP_NTZ] = "timestamp_ntz",
    [LM_TYPE_INTERVAL] = "interval",
    [LM_TYPE_ARRAY] = "array",     [LM_TYPE_MAP] = "map",
    [LM_TYPE_STRUCT] = "struct",
};

static const char *const k_simple_name[] = {
    [LM_TYPE_NULL] = "void",       [LM_TYPE_BOOLEAN] = "boolean",
    [LM_TYPE_BYTE] = "tinyint",    [LM_TYPE_SHORT] = "smallint",
    [LM_TYPE_INT] = "int",         [LM_TYPE_LONG] = "bigint",
    [LM_TYPE_FLOAT] = "float",     [LM_TYPE_DOUBLE] = "double",
    [LM_TYPE_STRING] = "string",   [LM_TYPE_BINARY] = "binary",
    [LM_TYPE_DATE] = "date",       [LM_TYPE_TIMESTAMP] = "timestamp",
    [LM_TYPE_TIMESTAMP_NTZ] = "timestamp_ntz",
    [LM_TYPE_INTERVAL] = "interval",
};

static const char *const k_ym_field[] = { "year", "month" };
static const char *const k_dt_field[] = { "day", "hour", "minute", "second" };

/* Appends s, upper-cased when the form is SQL (DataType.sql is
   simpleString.toUpperCase for the types without their own sql). */
static void put_word(lm_strbuf *sb, const char *s, str_form form)
{
    if (form != FORM_SQL) {
        lm_strbuf_puts(sb, s);
        return;
    }
    for (; *s; s++)
        lm_strbuf_putc(sb, (*s >= 'a' && *s <= 'z') ? (char)(*s - ('a' - 'A')) : *s);
}

static void put_interval(lm_strbuf *sb, const lm_type *t, str_form form)
{
    const char *const *names = t->id == LM_TYPE_YM_INTERVAL ? k_ym_field : k_dt_field;
    put_word(sb, "interval ", form);
    put_word(sb, names[t->start_field], form);
    if (t->end_field != t->start_field) {
        put_word(sb, " to ", form);
        put_word(sb, names[t->end_field], form);
    }
}

/* QuotingUtils.quoteIfNeeded: plain identifiers ([a-zA-Z_][a-zA-Z0-9_]*)
   stay bare, anything else is back-quoted with back-quotes doubled. */
static void put_quoted_if_needed(lm_strbuf *sb, const char *name)
{
    bool plain = (name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z') ||
                 name[0] == '_';
    for (const char *p = name; plain && *p; p++)
        plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                (*p >= '0' && *p <= '9') || *p == '_';
    if (plain) {
        lm_strbuf_puts(sb, name);
        return;
    }
    lm_strbuf_putc(sb, '`');
    for (const char *p = name; *p; p++) {
        if (*p == '`')
            lm_strbuf_putc(sb, '`');
        lm_strbuf_putc(sb, *p);
    }
    lm_strbuf_putc(sb, '`');
}

static void put_type(lm_strbuf *sb, const lm_type *t, str_form form);

/*
 * StructType in each form:
 *   simple   struct<a:int,b:string>, truncated past 25 fields as Spark's
 *            truncatedString: the first 24 fields, then ",... N more fields"
 *   catalog  struct<a:int,b:string>, never truncated
 *   sql      STRUCT<a: INT, `b c`: STRING COMMENT 'x'> (StructField.sql;
 *            Spark 3.5 omits NOT NULL here)
 */
static void put_struct(lm_strbuf *sb, const lm_type *t, str_form form)
{
    if (form == FORM_SQL) {
        lm_strbuf_puts(sb, "STRUCT<");
        for (int i = 0; i < t->nfields; i++) {
            const lm_field *f = &t->fields[i];
            if (i > 0)
                lm_strbuf_puts(sb, ", ");
            put_quoted_if_needed(sb, f->name);
            lm_strbuf_puts(sb, ": ");
            put_type(sb, f->type, form);
            if (f->comment != NULL) {
                /* QuotingUtils.escapeSingleQuotedString escapes only ' */
                lm_strbuf_puts(sb, " COMMENT '");
                for (const char *p = f->comment; *p; p++) {
                    if (*p == '\'')
                        lm_strbuf_putc(sb, '\\');
                    lm_strbuf_putc(sb, *p);
                }
                lm_strbuf_putc(sb, '\'');
            }
        }
        lm_strbuf_putc(sb, '>');
        return;
    }
    int shown = t->nfields;
    bool truncated = form == FORM_SIMPLE && t->nfields > MAX_TO_STRING_FIELDS;
    if (truncated)
        shown = MAX_TO_STRING_FIELDS - 1;
    lm_strbuf_puts(sb, "struct<");
    for (int i = 0; i < shown; i++) {
        if (i > 0)
            lm_strbuf_putc(sb, ',');
        lm_strbuf_puts(sb, t->fields[i].name);
        lm_strbuf_putc(sb, ':');
        put_type(sb, t->fields[i].type, form);
    }
    if (truncated)
        lm_strbuf_printf(sb, ",... %d more fields", t->nfields - shown);
    lm_strbuf_putc(sb, '>');
}

static void put_type(lm_strbuf *sb, const lm_type *t, str_form form)
{
    /* UserDefinedType: typeName/simpleString are the UDT's own name;
       catalogString is sqlType.simpleString and sql is sqlType.sql */
    if (t->id == LM_TYPE_STRUCT && t->udt != NULL) {
        if (form == FORM_TYPENAME || form == FORM_SIMPLE)
            lm_strbuf_puts(sb, t->udt->type_name);
        else
            put_struct(sb, t, form == FORM_CATALOG ? FORM_SIMPLE : form);
        return;
    }
    switch (t->id) {
    case LM_TYPE_DECIMAL:
        lm_strbuf_printf(sb, form == FORM_SQL ? "DECIMAL(%d,%d)" : "decimal(%d,%d)",
                         t->precision, t->scale);
        return;
    case LM_TYPE_YM_INTERVAL:
    case LM_TYPE_DT_INTERVAL:
        put_interval(sb, t, form);
        return;
    case LM_TYPE_ARRAY:
    case LM_TYPE_MAP:
    case LM_TYPE_STRUCT:
        if (form == FORM_TYPENAME) {
            lm_strbuf_puts(sb, k_type_name[t->id]);
            return;
        }
        break;
    default:
        if (form == FORM_TYPENAME)
            lm_strbuf_puts(sb, k_type_name[t->id]);
        else
            put_word(sb, k_simple_name[t->id], form);
        return;
    }
    if (t->id == LM_TYPE_ARRAY) {
        put_word(sb, "array<", form);
        put_type(sb, t->elem, form);
        lm_strbuf_putc(sb, '>');
    } else if (t->id == LM_TYPE_MAP) {
        put_word(sb, "map<", form);
        put_type(sb, t->key, form);
        lm_strbuf_puts(sb, form == FORM_SQL ? ", " : ",");
        put_type(sb, t->value, form);
        lm_strbuf_putc(sb, '>');
    } else {
        put_struct(sb, t, form);
    }
}

void lm_type_catalog_string(lm_strbuf *sb, const lm_type *t)
{
    put_type(sb, t, FORM_CATALOG);
}

void lm_type_simple_string(lm_strbuf *sb, const lm_type *t)
{
    put_type(sb, t, FORM_SIMPLE);
}

void lm_type_sql_string(lm_strbuf *sb, const lm_type *t)
{
    put_type(sb, t, FORM_SQL);
}

void lm_type_type_name(lm_strbuf *sb, const lm_type *t)
{
    put_type(sb, t, FORM_TYPENAME);
}

/* ---------------------------------------------------------------------------
 * printSchema tree
 * ------------------------------------------------------------------------- */

/* SparkSchemaUtils.escapeMetaCharacters: control characters in field names
   are shown as backslash escapes so each field stays on one line. */
static void put_escaped_name(lm_strbuf *sb, const char *name)
{
    for (const char *p = name; *p; p++) {
        switch (*p) {
        case '\n': lm_strbuf_puts(sb, "\\n"); break;
        case '\r': lm_strbuf_puts(sb, "\\r"); break;
        case '\t': lm_strbuf_puts(sb, "\\t"); break;
        case '\f': lm_strbuf_puts(sb, "\\f"); break;
        case '\b': lm_strbuf_puts(sb, "\\b"); break;
        case '\v': lm_strbuf_puts(sb, "\\v"); break;
        case '\a': lm_strbuf_puts(sb, "\\a"); break;
        default: lm_strbuf_putc(sb, *p); break;
        }
    }
}

static void tree_children(lm_strbuf *sb, const lm_type *t, lm_strbuf *prefix);

/* One "<prefix>-- label: typeName<suffix>\n" line, then the nested type's
   own lines one level deeper ("<prefix>    |"). */
static void tree_line(lm_strbuf *sb, lm_strbuf *prefix, const char *label, bool escape,
                      const lm_type *t, const char *suffix_fmt, bool flag)
{
    lm_strbuf_append(sb, prefix->data, prefix->len);
    lm_strbuf_puts(sb, "-- ");
    if (escape)
        put_escaped_name(sb, label);
    else
        lm_strbuf_puts(sb, label);
    lm_strbuf_puts(sb, ": ");
    lm_type_type_name(sb, t);
    if (suffix_fmt != NULL)
        lm_strbuf_printf(sb, suffix_fmt, flag ? "true" : "false");
    lm_strbuf_putc(sb, '\n');
    tree_children(sb, t, prefix);
}

static void tree_children(lm_strbuf *sb, const lm_type *t, lm_strbuf *prefix)
{
    /* printSchema does not open a UDT: "features: vector" has no children */
    if (!lm_type_is_complex(t) || t->udt != NULL)
        return;
    size_t saved = prefix->len;
    lm_strbuf_puts(prefix, "    |");
    if (t->id == LM_TYPE_STRUCT) {
        for (int i = 0; i < t->nfields; i++)
            tree_line(sb, prefix, t->fields[i].name, true, t->fields[i].type,
                      " (nullable = %s)", t->fields[i].nullable);
    } else if (t->id == LM_TYPE_ARRAY) {
        tree_line(sb, prefix, "element", false, t->elem, " (containsNull = %s)",
                  t->contains_null);
    } else {
        /* Spark 3.x prints the key's subtree before the value line */
        tree_line(sb, prefix, "key", false, t->key, NULL, false);
        tree_line(sb, prefix, "value", false, t->value, " (valueContainsNull = %s)",
                  t->value_contains_null);
    }
    prefix->len = saved;
    if (prefix->data)
        prefix->data[saved] = '\0';
}

void lm_type_tree_string(lm_strbuf *sb, const lm_type *t)
{
    lm_strbuf prefix;
    lm_strbuf_init(&prefix);
    lm_strbuf_puts(sb, "root\n");
    lm_strbuf_puts(&prefix, " |");
    if (!lm_strbuf_ok(&prefix)) {
        sb->failed = true;
        return;
    }
    for (int i = 0; t->id == LM_TYPE_STRUCT && i < t->nfields; i++)
        tree_line(sb, &prefix, t->fields[i].name, true, t->fields[i].type,
                  " (nullable = %s)", t->fields[i].nullable);
    if (!lm_strbuf_ok(&prefix))
        sb->failed = true;
    lm_strbuf_free(&prefix);
}

lm_type *lm_type_clone(const lm_type *t)
{
    switch (t->id) {
    case LM_TYPE_DECIMAL:
        return lm_type_decimal(t->precision, t->scale);
    case LM_TYPE_YM_INTERVAL:
        return lm_type_ym_interval(t->start_field, t->end_field);
    case LM_TYPE_DT_INTERVAL:
        return lm_type_dt_interval(t->start_field, t->end_field);
    case LM_TYPE_ARRAY: {
        lm_type *e = lm_type_clone(t->elem);
        lm_type *r = e ? lm_type_array(e, t->contains_null) : NULL;
        lm_type_unref(e);
        return r;
    }
    case LM_TYPE_MAP: {
        lm_type *k = lm_type_clone(t->key);
        lm_type *v = k ? lm_type_clone(t->value) : NULL;
        lm_type *r = v ? lm_type_map(k, v, t->value_contains_null) : NULL;
        lm_type_unref(k);
        lm_type_unref(v);
        return r;
    }
    case LM_TYPE_STRUCT: {
        lm_field *fs = calloc((size_t)(t->nfields ? t->nfields : 1), sizeof *fs);
        if (fs == NULL)
            return NULL;
        bool ok = true;
        for (int i = 0; i < t->nfields; i++) {
            fs[i] = t->fields[i];
            fs[i].type = lm_type_clone(t->fields[i].type);
            ok = ok && fs[i].type != NULL;
        }
        lm_type *r = ok ? lm_type_udt(fs, t->nfields, t->udt) : NULL;
        for (int i = 0; i < t->nfields; i++)
            lm_type_unref(fs[i].type);
        free(fs);
        return r;
    }
    default:
        return lm_type_primitive(t->id);
    }
}
