/*
 * CSV schema inference, as Spark 3.5's CSVInferSchema: each column starts
 * as NullType and every value moves it along int -> long -> decimal ->
 * double -> date (preferDate) -> timestamp_ntz/timestamp -> boolean ->
 * string, trying from the type seen so far; then the new type is merged
 * with the old one (findTightestCommonType plus CSV's own rules). Nulls and
 * empty values leave the type alone. Decimals are only inferred for whole
 * numbers too big for a long ("92233720368547758070" -> decimal(20,0));
 * other fractions are doubles.
 */
#include "csv.h"

#include <string.h>
#include <strings.h>

#include "types/datetime.h"
#include "types/decimal.h"

static csv_itype it(lm_type_id id)
{
    csv_itype t = {id, 0, 0};
    return t;
}

static bool eq(const char *a, size_t n, const char *b)
{
    return strlen(b) == n && memcmp(a, b, n) == 0;
}

static csv_itype try_string(void)
{
    return it(LM_TYPE_STRING);
}

static csv_itype try_boolean(const char *s, size_t n)
{
    /* Scala's toBoolean: "true"/"false" in any case */
    if ((n == 4 && strncasecmp(s, "true", 4) == 0) || (n == 5 && strncasecmp(s, "false", 5) == 0))
        return it(LM_TYPE_BOOLEAN);
    return try_string();
}

static csv_itype try_timestamp(const csv_opts *o, const char *s, size_t n)
{
    int64_t m;
    io_parse_result r = io_parse_timestamp(&o->dt, s, n, &m);
    if (r == IO_PARSE_OK)
        return it(LM_TYPE_TIMESTAMP);
    return try_boolean(s, n);
}

static csv_itype try_timestamp_ntz(const csv_opts *o, const char *s, size_t n)
{
    /* values without a zone parse as NTZ and take the session's default
       timestamp type (TIMESTAMP_LTZ unless spark.sql.timestampType says NTZ) */
    int64_t m;
    if (io_parse_timestamp_ntz(&o->dt, s, n, &m) == IO_PARSE_OK)
        return it(LM_TYPE_TIMESTAMP);
    return try_timestamp(o, s, n);
}

static csv_itype try_datetime(const csv_opts *o, const char *s, size_t n)
{
    int32_t d;
    const lm_dtf *f = o->dt.date_fmt ? o->dt.date_fmt : o->dt.date_default;
    if (lm_dtf_parse_date(f, s, n, &d) == LM_DTF_OK)
        return it(LM_TYPE_DATE);
    return try_timestamp_ntz(o, s, n);
}

static csv_itype try_double(const csv_opts *o, const char *s, size_t n)
{
    double d;
    if (io_java_parse_double(s, n, &d) || eq(s, n, o->nan_value) || eq(s, n, o->neg_inf) ||
        eq(s, n, o->pos_inf))
        return it(LM_TYPE_DOUBLE);
    if (o->prefer_date)
        return try_datetime(o, s, n);
    return try_timestamp_ntz(o, s, n);
}

static csv_itype try_decimal(const csv_opts *o, const char *s, size_t n)
{
    int p, sc;
    if (io_java_bigdecimal(s, n, &p, &sc)) {
        /* fractions go to double; a negative scale or more than 38 digits
           makes DecimalType fail, which also falls back to double */
        if (sc == 0 && p <= LM_DECIMAL_MAX_PRECISION) {
            csv_itype t = {LM_TYPE_DECIMAL, p, 0};
            return t;
        }
    }
    return try_double(o, s, n);
}

static csv_itype try_long(const csv_opts *o, const char *s, size_t n)
{
    int64_t x;
    if (io_java_parse_long(s, n, INT64_MIN, INT64_MAX, &x))
        return it(LM_TYPE_LONG);
    return try_decimal(o, s, n);
}

static csv_itype try_integer(const csv_opts *o, const char *s, size_t n)
{
    int64_t x;
    if (io_java_parse_long(s, n, INT32_MIN, INT32_MAX, &x))
        return it(LM_TYPE_INT);
    return try_long(o, s, n);
}

static bool integral(lm_type_id id)
{
    return id == LM_TYPE_INT || id == LM_TYPE_LONG;
}

static bool datetime(lm_type_id id)
{
    return id == LM_TYPE_DATE || id == LM_TYPE_TIMESTAMP || id == LM_TYPE_TIMESTAMP_NTZ;
}

static csv_itype decimal_of_integral(lm_type_id id)
{
    int p, s;
    lm_decimal_type_for_integral(id, &p, &s);
    csv_itype t = {LM_TYPE_DECIMAL, p, s};
    return t;
}

/* Date formats DefaultTimestampFormatter can read, so that dates mixed with
   timestamps still parse as timestamps. */
static bool lenient_date_format(const csv_opts *o)
{
    static const char *const ok[] = {"yyyy-MM-dd", "yyyy-M-d", "yyyy-M-dd", "yyyy-MM-d",
                                     "yyyy-MM",    "yyyy-M",   "yyyy",      NULL};
    if (o->dt.ts_fmt)
        return false; /* a timestampFormat parses strictly: dates do not fit */
    const char *df = o->date_pattern ? o->date_pattern : "yyyy-MM-dd";
    for (int i = 0; ok[i]; i++)
        if (strcmp(ok[i], df) == 0)
            return true;
    return false;
}

static bool compatible(const csv_opts *o, csv_itype a, csv_itype b, csv_itype *out)
{
    if (a.id == b.id && a.p == b.p && a.s == b.s) {
        *out = a;
        return true;
    }
    if (a.id == LM_TYPE_NULL) {
        *out = b;
        return true;
    }
    if (b.id == LM_TYPE_NULL) {
        *out = a;
        return true;
    }
    /* dates mixed with timestamps */
    if (datetime(a.id) && datetime(b.id) && (a.id == LM_TYPE_DATE || b.id == LM_TYPE_DATE)) {
        lm_type_id ts = a.id == LM_TYPE_DATE ? b.id : a.id;
        *out = lenient_date_format(o) ? it(ts) : it(LM_TYPE_STRING);
        return true;
    }
    /* findTightestCommonType */
    if (integral(a.id) && integral(b.id)) {
        *out = it(a.id == LM_TYPE_LONG || b.id == LM_TYPE_LONG ? LM_TYPE_LONG : LM_TYPE_INT);
        return true;
    }
    if ((integral(a.id) || a.id == LM_TYPE_DOUBLE) && (integral(b.id) || b.id == LM_TYPE_DOUBLE)) {
        *out = it(LM_TYPE_DOUBLE);
        return true;
    }
    if (integral(a.id) && b.id == LM_TYPE_DECIMAL) {
        csv_itype d = decimal_of_integral(a.id);
        if (b.p - b.s >= d.p - d.s && b.s >= d.s) {
            *out = b;
            return true;
        }
        return compatible(o, d, b, out);
    }
    if (a.id == LM_TYPE_DECIMAL && integral(b.id))
        return compatible(o, b, a, out);
    if (a.id == LM_TYPE_TIMESTAMP_NTZ && b.id == LM_TYPE_TIMESTAMP) {
        *out = it(LM_TYPE_TIMESTAMP);
        return true;
    }
    if (a.id == LM_TYPE_TIMESTAMP && b.id == LM_TYPE_TIMESTAMP_NTZ) {
        *out = it(LM_TYPE_TIMESTAMP);
        return true;
    }
    /* findCompatibleTypeForCSV */
    if (a.id == LM_TYPE_STRING || b.id == LM_TYPE_STRING) {
        *out = it(LM_TYPE_STRING);
        return true;
    }
    if ((a.id == LM_TYPE_DOUBLE && b.id == LM_TYPE_DECIMAL) ||
        (a.id == LM_TYPE_DECIMAL && b.id == LM_TYPE_DOUBLE)) {
        *out = it(LM_TYPE_DOUBLE);
        return true;
    }
    if (a.id == LM_TYPE_DECIMAL && b.id == LM_TYPE_DECIMAL) {
        int scale = a.s > b.s ? a.s : b.s;
        int range = a.p - a.s > b.p - b.s ? a.p - a.s : b.p - b.s;
        if (range + scale > LM_DECIMAL_MAX_PRECISION) {
            *out = it(LM_TYPE_DOUBLE);
        } else {
            csv_itype t = {LM_TYPE_DECIMAL, range + scale, scale};
            *out = t;
        }
        return true;
    }
    return false;
}

void csv_infer_field(const csv_opts *o, csv_itype *sofar, const char *s, size_t n)
{
    if (s == NULL || n == 0 || eq(s, n, o->null_value))
        return;
    csv_itype next;
    switch (sofar->id) {
    case LM_TYPE_NULL:
    case LM_TYPE_INT:
        next = try_integer(o, s, n);
        break;
    case LM_TYPE_LONG:
        next = try_long(o, s, n);
        break;
    case LM_TYPE_DECIMAL:
        next = try_decimal(o, s, n);
        break;
    case LM_TYPE_DOUBLE:
        next = try_double(o, s, n);
        break;
    case LM_TYPE_DATE:
        next = try_datetime(o, s, n);
        break;
    case LM_TYPE_TIMESTAMP_NTZ:
        next = try_timestamp_ntz(o, s, n);
        break;
    case LM_TYPE_TIMESTAMP:
        next = try_timestamp(o, s, n);
        break;
    case LM_TYPE_BOOLEAN:
        next = try_boolean(s, n);
        break;
    default:
        next = it(LM_TYPE_STRING);
        break;
    }
    csv_itype merged;
    if (!compatible(o, *sofar, next, &merged))
        merged = it(LM_TYPE_STRING);
    *sofar = merged;
}

lm_type *csv_itype_type(csv_itype t)
{
    switch (t.id) {
    case LM_TYPE_NULL:
        return lm_type_string();
    case LM_TYPE_DECIMAL:
        return lm_type_decimal(t.p, t.s);
    default:
        return lm_type_primitive(t.id);
    }
}
