/*
 * Spark SQL data types. A type is immutable and shared by reference count;
 * the primitive types are static singletons, so most code never allocates a
 * type. Names follow Spark: simpleString/catalogString ("int", "bigint",
 * "decimal(10,2)", "struct<a:int,b:array<string>>") and typeName as used by
 * printSchema ("integer", "long").
 */
#ifndef LM_TYPES_TYPE_H
#define LM_TYPES_TYPE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "common/strbuf.h"

typedef enum lm_type_id {
    LM_TYPE_NULL = 0,   /* NullType, printed "void" */
    LM_TYPE_BOOLEAN,
    LM_TYPE_BYTE,       /* tinyint */
    LM_TYPE_SHORT,      /* smallint */
    LM_TYPE_INT,
    LM_TYPE_LONG,       /* bigint */
    LM_TYPE_FLOAT,
    LM_TYPE_DOUBLE,
    LM_TYPE_DECIMAL,    /* precision 1..38, scale 0..precision */
    LM_TYPE_STRING,
    LM_TYPE_BINARY,
    LM_TYPE_DATE,          /* days since 1970-01-01, proleptic Gregorian */
    LM_TYPE_TIMESTAMP,     /* microseconds since the epoch, UTC; shown in session zone */
    LM_TYPE_TIMESTAMP_NTZ, /* microseconds of a local date-time, no zone */
    LM_TYPE_INTERVAL,      /* CalendarIntervalType: months, days, microseconds */
    LM_TYPE_YM_INTERVAL,   /* YearMonthIntervalType: int32 months */
    LM_TYPE_DT_INTERVAL,   /* DayTimeIntervalType: int64 microseconds */
    LM_TYPE_ARRAY,
    LM_TYPE_MAP,
    LM_TYPE_STRUCT,
    LM_TYPE__COUNT
} lm_type_id;

/* Interval field codes, as Spark numbers them. */
enum { LM_YM_YEAR = 0, LM_YM_MONTH = 1 };
enum { LM_DT_DAY = 0, LM_DT_HOUR = 1, LM_DT_MINUTE = 2, LM_DT_SECOND = 3 };

#define LM_DECIMAL_MAX_PRECISION 38

typedef struct lm_type lm_type;

/*
 * A user-defined type (Spark's UserDefinedType, e.g. ML's VectorUDT): values
 * are stored as the type's sqlType, a STRUCT, and the descriptor says how
 * the type is named and printed. Descriptors are static and compared by
 * address, as Spark compares UDTs by class.
 */
typedef struct lm_udt {
    const char *type_name;  /* typeName and simpleString: "vector" */
    const char *class_name; /* the JVM class, for JSON schemas */
    /* Appends the value's toString: what show(), CAST(... AS STRING) and
       the SQL runner print for it. */
    void (*to_string)(lm_strbuf *sb, const void *value);
} lm_udt;

typedef struct lm_field {
    char *name;
    lm_type *type;
    bool nullable;
    char *comment; /* may be NULL */
    /* The rest of Spark's field metadata (ML attributes: {"ml_attr":...})
       as the compact JSON object Metadata.json prints, comment excluded;
       NULL when empty. Copied by lm_type_struct like the comment. */
    char *metadata;
} lm_field;

struct lm_type {
    lm_type_id id;
    /* < 0: static singleton, never freed. Atomic because types are shared
       by the worker threads of one job; touch it only via ref/unref. */
    _Atomic int refcount;
    uint8_t precision, scale;        /* DECIMAL */
    uint8_t start_field, end_field;  /* YM_INTERVAL, DT_INTERVAL */
    lm_type *elem;                   /* ARRAY */
    bool contains_null;              /* ARRAY */
    lm_type *key, *value;            /* MAP */
    bool value_contains_null;        /* MAP */
    int nfields;                     /* STRUCT */
    lm_field *fields;                /* STRUCT */
    const lm_udt *udt;               /* STRUCT: the UDT it stores, or NULL */
};

/* Static singletons; never NULL, ref/unref are no-ops on them. */
lm_type *lm_type_null(void);
lm_type *lm_type_boolean(void);
lm_type *lm_type_byte(void);
lm_type *lm_type_short(void);
lm_type *lm_type_int(void);
lm_type *lm_type_long(void);
lm_type *lm_type_float(void);
lm_type *lm_type_double(void);
lm_type *lm_type_string(void);
lm_type *lm_type_binary(void);
lm_type *lm_type_date(void);
lm_type *lm_type_timestamp(void);
lm_type *lm_type_timestamp_ntz(void);
lm_type *lm_type_calendar_interval(void);
/* Returns the singleton for primitive ids; NULL for parameterised ids. */
lm_type *lm_type_primitive(lm_type_id id);

/*
 * Constructors return a new reference (NULL on allocation failure). Argument
 * types are borrowed: the constructor takes its own reference.
 */
lm_type *lm_type_decimal(int precision, int scale);
/* Interval types are static singletons (one per field range), never NULL
   for valid fields; NULL if start > end or a field is out of range. */
lm_type *lm_type_ym_interval(int start_field, int end_field);
lm_type *lm_type_dt_interval(int start_field, int end_field);
lm_type *lm_type_array(lm_type *elem, bool contains_null);
lm_type *lm_type_map(lm_type *key, lm_type *value, bool value_contains_null);
/* Copies the names, comments and metadata and references the field types. */
lm_type *lm_type_struct(const lm_field *fields, int nfields);
/* A user-defined type stored as the STRUCT of the given fields. */
lm_type *lm_type_udt(const lm_field *fields, int nfields, const lm_udt *udt);
/* lm_type_decimal also returns NULL for precision outside 1..38 or scale
   outside 0..precision; array/map/struct return NULL for NULL argument types. */

lm_type *lm_type_ref(lm_type *t);
/* A deep copy made of refcounted heap types, for types that must outlive
   the arena they were built in (the parser builds arena types). */
lm_type *lm_type_clone(const lm_type *t);
void lm_type_unref(lm_type *t);

/* Structural equality, including nullability flags and field names. */
bool lm_type_equal(const lm_type *a, const lm_type *b);
/* Equality ignoring nullability flags (Spark's sameType). */
bool lm_type_same_ignoring_nullable(const lm_type *a, const lm_type *b);
/* Field names compared case-insensitively as Spark's resolver does by default. */
bool lm_type_equal_ignore_case_and_nullable(const lm_type *a, const lm_type *b);

bool lm_type_is_numeric(const lm_type *t);  /* byte..double, decimal */
bool lm_type_is_integral(const lm_type *t); /* byte, short, int, long */
bool lm_type_is_fractional(const lm_type *t); /* float, double */
bool lm_type_is_datetime(const lm_type *t);   /* date, timestamp, timestamp_ntz */
bool lm_type_is_interval(const lm_type *t);
bool lm_type_is_complex(const lm_type *t);    /* array, map, struct */
/* Spark's AtomicType plus NullType: boolean, numeric, string, binary,
   datetime, year-month and day-time intervals, void. Not the calendar
   interval and not complex types. */
bool lm_type_is_atomic_orderable(const lm_type *t);
/* Spark's RowOrdering.isOrderable: atomic orderable types, and arrays and
   structs whose elements/fields are orderable. Maps and the calendar
   interval are not (ORDER BY on them is an analysis error). */
bool lm_type_is_orderable(const lm_type *t);

/* Appends Spark's catalogString (as in golden files and struct<...> schemas). */
void lm_type_catalog_string(lm_strbuf *sb, const lm_type *t);
/* Appends Spark's simpleString (same as catalogString except a struct with
   more than 25 fields is truncated with "... N more fields"). */
void lm_type_simple_string(lm_strbuf *sb, const lm_type *t);
/* Appends Spark's DataType.sql form ("INT", "STRUCT<a: INT>", "DECIMAL(10,2)"),
   used in error messages. */
void lm_type_sql_string(lm_strbuf *sb, const lm_type *t);
/* Appends typeName as printSchema shows it ("integer", "long", "decimal(10,2)"). */
void lm_type_type_name(lm_strbuf *sb, const lm_type *t);
/* Appends the printSchema tree ("root\n |-- a: integer (nullable = true)\n").
   t must be a struct. */
void lm_type_tree_string(lm_strbuf *sb, const lm_type *t);

/* Appends Spark's DataType.json (compact), field metadata included
   (types/type_json.c). */
void lm_type_json(lm_strbuf *sb, const lm_type *t);
/* Appends a field's Metadata.json: {"comment":..} merged with f->metadata. */
void lm_field_metadata_json(lm_strbuf *sb, const lm_field *f);
/* Appends s as a JSON string literal (json4s escapes). */
void lm_json_string(lm_strbuf *sb, const char *s);

/* Field lookup, case-insensitive; returns index or -1. */
int lm_type_field_index(const lm_type *st, const char *name);

/* Fixed byte width of a value in a columnar vector, 0 for variable-size. */
int lm_type_fixed_width(const lm_type *t);

#endif
