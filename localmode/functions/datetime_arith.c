/*
 * Arithmetic on dates, timestamps and intervals: what + - * / become when
 * a side is a DATE, TIMESTAMP, TIMESTAMP_NTZ or an interval.
 *
 * Spark's analyzer (ResolveBinaryArithmetic, then DateTimeOperations and
 * PromoteStrings) replaces such an operator by another expression, and the
 * generated column name is that expression's: `d + 1` is date_add(d, 1),
 * `ts + INTERVAL '1' DAY` is TimeAdd, printed `ts + INTERVAL '1' DAY`
 * without parentheses, `ts - INTERVAL '1' DAY` is DatetimeSub, printed
 * `ts - INTERVAL '1' DAY`, `ts1 - ts2` is SubtractTimestamps, printed
 * `(ts1 - ts2)`, `INTERVAL '1' YEAR * 2` is MultiplyYMInterval of type
 * INTERVAL YEAR TO MONTH, and so on. fn_resolve_datetime_arith follows
 * that rule case by case, in Spark's order, and rewrites the call in place:
 * into a registered function (date_add, date_sub), into one of the
 * unregistered entries below (which print and evaluate as those Spark
 * expressions do), or into an implicit CAST around one of them (`s + j`
 * with s a STRING is a STRING, computed on a TIMESTAMP).
 *
 * Timestamps with a time zone move through the session zone as java.time
 * does: months and whole days are added to the local date-time (the
 * offset kept when still valid, a gap skipped forward), the rest of a
 * day-time interval to the instant; the difference of two timestamps is
 * that of their local date-times.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "functions/decimal_ops.h"
#include "functions/families.h"
#include "functions/fn_util.h"
#include "session/session.h"
#include "types/datetime.h"

/* ------------------------------------------------------------ types */

static bool is_date(const lm_type *t)
{
    return t->id == LM_TYPE_DATE;
}

static bool is_ts(const lm_type *t)
{
    return t->id == LM_TYPE_TIMESTAMP || t->id == LM_TYPE_TIMESTAMP_NTZ;
}

static bool is_ym(const lm_type *t)
{
    return t->id == LM_TYPE_YM_INTERVAL;
}

static bool is_dt(const lm_type *t)
{
    return t->id == LM_TYPE_DT_INTERVAL;
}

static bool is_cal(const lm_type *t)
{
    return t->id == LM_TYPE_INTERVAL;
}

static bool is_ansi_iv(const lm_type *t)
{
    return is_ym(t) || is_dt(t);
}

static bool is_dt_day(const lm_type *t)
{
    return is_dt(t) && t->start_field == LM_DT_DAY && t->end_field == LM_DT_DAY;
}

static bool legacy_interval(const lm_resolve_ctx *rc)
{
    return rc->s != NULL && session_conf_bool(rc->s, "spark.sql.legacy.interval.enabled", false);
}

static lm_value iv_value(int32_t months, int32_t days, int64_t micros)
{
    lm_value v = lm_value_null();
    v.is_null = false;
    v.u.iv.months = months;
    v.u.iv.days = days;
    v.u.iv.micros = micros;
    return v;
}

/* java.lang.ArithmeticException of Math.*Exact (no error class). */
static lm_status java_overflow(lm_eval_ctx *ec, bool is_int)
{
    return lm_eval_error(ec, "java.lang.ArithmeticException", NULL, NULL, "%s overflow",
                         is_int ? "integer" : "long");
}

/* ---------------------------------------------------- local time math */

static const lm_tz *zone_of(const lm_eval_ctx *ec, const lm_type *t)
{
    /* TIMESTAMP_NTZ computes in UTC (zoneIdForType) */
    if (t->id == LM_TYPE_TIMESTAMP && ec->tz != NULL)
        return ec->tz;
    return lm_tz_utc();
}

/*
 * ZonedDateTime.plusMonths(months).plusDays(days).plus(micros, MICROS) of
 * the instant ts in tz: the calendar part on the local date-time (keeping
 * the offset when it is still valid), the micros on the instant.
 */
static bool ts_add(int64_t ts, const lm_tz *tz, int32_t months, int64_t days, int64_t micros,
                   int64_t *out)
{
    if (months != 0 || days != 0) {
        int64_t secs = lm_floor_div(ts, LM_MICROS_PER_SECOND);
        int64_t frac = lm_floor_mod(ts, LM_MICROS_PER_SECOND);
        int64_t off = lm_tz_utc_offset_seconds(tz, secs);
        int64_t local = secs + off;
        int64_t day = lm_floor_div(local, LM_SECONDS_PER_DAY);
        int64_t sod = lm_floor_mod(local, LM_SECONDS_PER_DAY);
        if (day < INT32_MIN || day > INT32_MAX)
            return false;
        int32_t d = (int32_t)day;
        if (months != 0 && !lm_date_add_months(d, months, &d))
            return false;
        int64_t nd = (int64_t)d + days;
        if (nd < -INT64_C(366000000000) || nd > INT64_C(366000000000))
            return false;
        int64_t utc = lm_tz_local_to_utc_seconds(tz, nd * LM_SECONDS_PER_DAY + sod, off);
        if (__builtin_mul_overflow(utc, LM_MICROS_PER_SECOND, &ts) ||
            __builtin_add_overflow(ts, frac, &ts))
            return false;
    }
    return !__builtin_add_overflow(ts, micros, out);
}

/* Micros between the local date-times of two instants (ChronoUnit.MICROS
   between LocalDateTimes). */
static bool ts_local_diff(int64_t end, int64_t start, const lm_tz *tz, int64_t *out)
{
    int64_t eo = lm_tz_utc_offset_seconds(tz, lm_floor_div(end, LM_MICROS_PER_SECOND));
    int64_t so = lm_tz_utc_offset_seconds(tz, lm_floor_div(start, LM_MICROS_PER_SECOND));
    int64_t d;
    if (__builtin_sub_overflow(end, start, &d))
        return false;
    return !__builtin_add_overflow(d, (eo - so) * LM_MICROS_PER_SECOND, out);
}

/* ------------------------------------------------------- the kernels */

/*
 * TimeAdd, DateAddYMInterval, TimestampAddYMInterval, DateAddInterval:
 * args[0] a datetime, args[1] an interval; `sign` -1 for DatetimeSub.
 */
static lm_status add_interval(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a, int sign,
                              lm_value *out)
{
    const lm_type *dt = call->args[0]->type, *it = call->args[1]->type;
    int32_t months = 0, days = 0;
    int64_t micros = 0;
    if (is_ym(it)) {
        int64_t m = a[1].u.i64;
        if (sign < 0 && m == INT32_MIN)
            return java_overflow(ec, true);
        months = (int32_t)(sign * m);
    } else if (is_dt(it)) {
        int64_t v = a[1].u.i64;
        if (sign < 0 && v == INT64_MIN)
            return java_overflow(ec, false);
        v *= sign;
        /* timestampAddDayTime: whole days on the calendar, the rest exact */
        days = (int32_t)(v / LM_MICROS_PER_DAY);
        micros = v - (int64_t)days * LM_MICROS_PER_DAY;
    } else {
        lm_interval iv = a[1].u.iv;
        if (sign < 0) {
            /* IntervalUtils.negate wraps like Java ints and longs */
            iv.months = (int32_t)(0u - (uint32_t)iv.months);
            iv.days = (int32_t)(0u - (uint32_t)iv.days);
            iv.micros = (int64_t)(0u - (uint64_t)iv.micros);
        }
        months = iv.months;
        days = iv.days;
        micros = iv.micros;
    }
    if (is_date(dt)) {
        int32_t d = (int32_t)a[0].u.i64, r = d;
        if (is_ym(it) || micros == 0) {
            /* LocalDate.plusMonths(m).plusDays(d) */
            if (months != 0 && !lm_date_add_months(d, months, &r))
                return java_overflow(ec, true);
            int64_t nd = (int64_t)r + days;
            if (nd < INT32_MIN || nd > INT32_MAX)
                return java_overflow(ec, true);
            *out = lm_value_i64(nd);
            return LM_OK;
        }
        if (ec->ansi)
            return lm_eval_error(ec, "java.lang.IllegalArgumentException", NULL, NULL,
                                 "Cannot add hours, minutes or seconds, milliseconds, "
                                 "microseconds to a date");
        /* through the timestamp at the start of the day, back to its date */
        const lm_tz *tz = ec->tz ? ec->tz : lm_tz_utc();
        int64_t ts;
        if (!lm_date_to_ts(d, tz, &ts) || !ts_add(ts, tz, months, days, micros, &ts))
            return java_overflow(ec, false);
        *out = lm_value_i64(lm_ts_to_date(ts, tz));
        return LM_OK;
    }
    int64_t r;
    if (!ts_add(a[0].u.i64, zone_of(ec, dt), months, days, micros, &r))
        return java_overflow(ec, false);
    *out = lm_value_i64(r);
    return LM_OK;
}

static lm_status eval_time_add(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                               lm_value *out)
{
    return add_interval(ec, call, a, 1, out);
}

static lm_status eval_datetime_sub(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                   lm_value *out)
{
    return add_interval(ec, call, a, -1, out);
}

/* SubtractTimestamps: the difference of the local date-times. */
static lm_status eval_ts_diff(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                              lm_value *out)
{
    if (is_cal(call->type)) {
        int64_t d;
        if (__builtin_sub_overflow(a[0].u.i64, a[1].u.i64, &d))
            d = (int64_t)((uint64_t)a[0].u.i64 - (uint64_t)a[1].u.i64);
        *out = iv_value(0, 0, d);
        return LM_OK;
    }
    int64_t d;
    if (!ts_local_diff(a[0].u.i64, a[1].u.i64, zone_of(ec, call->args[0]->type), &d))
        return java_overflow(ec, false);
    *out = lm_value_i64(d);
    return LM_OK;
}

/* Period.between(start, end) in total months and days. */
static void period_between(int32_t start, int32_t end, int32_t *months, int32_t *days)
{
    int64_t sy, ey;
    int sm, sd, em, ed;
    lm_date_to_civil(start, &sy, &sm, &sd);
    lm_date_to_civil(end, &ey, &em, &ed);
    int64_t total = (ey * 12 + em - 1) - (sy * 12 + sm - 1);
    int64_t d = ed - sd;
    if (total > 0 && d < 0) {
        total--;
        int32_t calc;
        if (!lm_date_add_months(start, (int32_t)total, &calc))
            calc = start;
        d = (int64_t)end - calc;
    } else if (total < 0 && d > 0) {
        total++;
        d -= lm_date_days_in_month(ey, em);
    }
    *months = (int32_t)total;
    *days = (int32_t)d;
}

/* SubtractDates: days as INTERVAL DAY, or a period under legacy intervals. */
static lm_status eval_date_diff(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                lm_value *out)
{
    int32_t l = (int32_t)a[0].u.i64, r = (int32_t)a[1].u.i64;
    if (is_cal(call->type)) {
        int32_t months, days;
        period_between(r, l, &months, &days);
        *out = iv_value(months, days, 0);
        return LM_OK;
    }
    int64_t d = (int64_t)l - r;
    if (d < INT32_MIN || d > INT32_MAX)
        return java_overflow(ec, true);
    *out = lm_value_i64(d * LM_MICROS_PER_DAY);
    return LM_OK;
}

/* Add / Subtract of two intervals of one type: exact for ANSI intervals
   (ARITHMETIC_OVERFLOW), wrapping for CalendarInterval outside ANSI. */
static lm_status eval_interval_addsub(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                      lm_value *out)
{
    bool sub = call->fn->name[0] == '-';
    const lm_type *t = call->type;
    if (is_cal(t)) {
        lm_interval x = a[0].u.iv, y = a[1].u.iv;
        int32_t m = 0, d = 0;
        int64_t us = 0;
        /* each field wraps on its own (non-ANSI), so compute all three */
        int ovf = 0;
        if (sub) {
            ovf += __builtin_sub_overflow(x.months, y.months, &m);
            ovf += __builtin_sub_overflow(x.days, y.days, &d);
            ovf += __builtin_sub_overflow(x.micros, y.micros, &us);
        } else {
            ovf += __builtin_add_overflow(x.months, y.months, &m);
            ovf += __builtin_add_overflow(x.days, y.days, &d);
            ovf += __builtin_add_overflow(x.micros, y.micros, &us);
        }
        if (ovf && ec->ansi)
            return fn_overflow_error(ec, "integer overflow",
                                     sub ? "Use 'try_subtract' to tolerate overflow and return "
                                           "NULL instead."
                                         : "Use 'try_add' to tolerate overflow and return NULL "
                                           "instead.");
        *out = iv_value(m, d, us);
        return LM_OK;
    }
    int64_t r;
    bool ovf = sub ? __builtin_sub_overflow(a[0].u.i64, a[1].u.i64, &r)
                   : __builtin_add_overflow(a[0].u.i64, a[1].u.i64, &r);
    if (is_ym(t) && (r > INT32_MAX || r < INT32_MIN))
        ovf = true;
    if (ovf)
        return fn_overflow_error(ec, is_ym(t) ? "integer overflow" : "long overflow",
                                 sub ? "Use 'try_subtract' to tolerate overflow and return NULL "
                                       "instead."
                                     : "Use 'try_add' to tolerate overflow and return NULL "
                                       "instead.");
    *out = lm_value_i64(r);
    return LM_OK;
}

/* Rounds a double half away from zero to an integer in [lo, hi]
   (Guava's DoubleMath.roundToInt/Long with HALF_UP). */
static bool round_double(double x, int64_t lo, int64_t hi, int64_t *out)
{
    if (!isfinite(x))
        return false;
    double r = round(x);
    /* (double)hi + 1 is a power of two, exact for int and long */
    if (r < (double)lo || r >= (double)hi + 1.0)
        return false;
    *out = (int64_t)r;
    return true;
}

/* a / b rounded half away from zero (LongMath.divide HALF_UP); b != 0. */
static int64_t div_half_up(int64_t a, int64_t b)
{
    __int128 q = (__int128)a / b, rem = (__int128)a % b;
    if (rem != 0) {
        __int128 ar = rem < 0 ? -rem : rem, ab = b < 0 ? -(__int128)b : b;
        if (2 * ar >= ab)
            q += ((a < 0) != (b < 0)) ? -1 : 1;
    }
    return (int64_t)q;
}

/* MultiplyYMInterval / MultiplyDTInterval and their Divide twins:
   args[0] the interval, args[1] the number. */
static lm_status ansi_iv_muldiv(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                bool divide, lm_value *out)
{
    bool ym = is_ym(call->args[0]->type);
    const lm_type *nt = call->args[1]->type;
    int64_t v = a[0].u.i64;
    int64_t lo = ym ? INT32_MIN : INT64_MIN, hi = ym ? INT32_MAX : INT64_MAX;
    int64_t r;
    if (divide) {
        if (v == lo && lm_type_is_integral(nt) && a[1].u.i64 == -1)
            return lm_eval_error(ec, LM_EXC_ARITH, "INTERVAL_ARITHMETIC_OVERFLOW", "22015",
                                 "[INTERVAL_ARITHMETIC_OVERFLOW] Interval value overflows after "
                                 "being divided by -1. Use try_divide to tolerate overflow and "
                                 "return NULL instead.");
        bool zero = nt->id == LM_TYPE_DECIMAL ? a[1].u.dec == 0
                    : lm_type_is_integral(nt)  ? a[1].u.i64 == 0
                                               : fn_to_double(nt, &a[1]) == 0.0;
        if (zero)
            return lm_eval_error(ec, LM_EXC_ARITH, "INTERVAL_DIVIDED_BY_ZERO", "22012",
                                 "[INTERVAL_DIVIDED_BY_ZERO] Division by zero. Use `try_divide` "
                                 "to tolerate divisor being 0 and return NULL instead.");
    }
    if (lm_type_is_integral(nt)) {
        int64_t n = a[1].u.i64;
        if (divide) {
            r = div_half_up(v, n);
        } else if (__builtin_mul_overflow(v, n, &r)) {
            return java_overflow(ec, ym);
        }
    } else if (nt->id == LM_TYPE_DECIMAL) {
        /* exact product / quotient, then setScale(0, HALF_UP) */
        lm_int128 q;
        bool ok = divide ? fn_dec_div((lm_int128)v, 0, a[1].u.dec, nt->scale, 0, &q)
                         : fn_dec_mul((lm_int128)v, 0, a[1].u.dec, nt->scale, 0, &q);
        if (!ok || q < lo || q > hi)
            return java_overflow(ec, ym);
        r = (int64_t)q;
    } else {
        double n = fn_to_double(nt, &a[1]);
        if (!round_double(divide ? (double)v / n : (double)v * n, lo, hi, &r))
            return lm_eval_error(ec, "java.lang.ArithmeticException", NULL, NULL,
                                 "rounded value is out of range for input %.17g and rounding "
                                 "mode HALF_UP",
                                 divide ? (double)v / n : (double)v * n);
    }
    if (r < lo || r > hi)
        return java_overflow(ec, ym);
    *out = lm_value_i64(r);
    return LM_OK;
}

static lm_status eval_iv_mul(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                             lm_value *out)
{
    return ansi_iv_muldiv(ec, call, a, false, out);
}

static lm_status eval_iv_div(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                             lm_value *out)
{
    return ansi_iv_muldiv(ec, call, a, true, out);
}

/* Java's (int) / (long) conversion of a double: NaN is 0, out of range
   saturates. */
static int64_t java_d2l(double x, int64_t lo, int64_t hi)
{
    if (x != x)
        return 0;
    if (x <= (double)lo)
        return lo;
    if (x >= (double)hi)
        return hi;
    return (int64_t)x;
}

/* Math.round(double): floor(x + 0.5), saturating. */
static int64_t java_round(double x)
{
    return java_d2l(floor(x + 0.5), INT64_MIN, INT64_MAX);
}

/*
 * IntervalUtils.fromDoubles (ANSI: months and days must fit an int) and
 * safeFromDoubles (otherwise: Java's saturating conversions): truncated
 * months and days, the fraction of a day carried into the microseconds.
 */
static lm_status cal_from_doubles(lm_eval_ctx *ec, double m, double d, double us, lm_value *out)
{
    int64_t tm, td;
    if (ec->ansi) {
        tm = java_d2l(m, INT64_MIN, INT64_MAX);
        td = java_d2l(d, INT64_MIN, INT64_MAX);
        if (tm < INT32_MIN || tm > INT32_MAX || td < INT32_MIN || td > INT32_MAX)
            return java_overflow(ec, true);
    } else {
        tm = java_d2l(m, INT32_MIN, INT32_MAX);
        td = java_d2l(d, INT32_MIN, INT32_MAX);
    }
    double micros = us + (double)LM_MICROS_PER_DAY * (d - (double)td);
    *out = iv_value((int32_t)tm, (int32_t)td, java_round(micros));
    return LM_OK;
}

/* multiply_interval / divide_interval (MultiplyInterval, DivideInterval)
   on a CalendarInterval and a DOUBLE. */
static lm_status eval_cal_mul(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                              lm_value *out)
{
    double n = fn_to_double(call->args[1]->type, &a[1]);
    lm_interval iv = a[0].u.iv;
    return cal_from_doubles(ec, n * iv.months, n * iv.days, n * (double)iv.micros, out);
}

static lm_status eval_cal_div(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                              lm_value *out)
{
    double n = fn_to_double(call->args[1]->type, &a[1]);
    if (n == 0) {
        if (ec->ansi)
            return fn_divide_by_zero(ec);
        *out = lm_value_null();
        return LM_OK;
    }
    lm_interval iv = a[0].u.iv;
    return cal_from_doubles(ec, iv.months / n, iv.days / n, (double)iv.micros / n, out);
}

/* ExtractANSIIntervalDays: whole days of a day-time interval. */
static lm_status eval_ansi_days(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                lm_value *out)
{
    (void)ec;
    (void)call;
    *out = lm_value_i64(a[0].u.i64 / LM_MICROS_PER_DAY);
    return LM_OK;
}

/* ------------------------------------------------- the internal entries */

/* The entries are resolved when built; a second resolution keeps them. */
static lm_status resolve_built(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    (void)rc;
    (void)err;
    (void)call;
    return LM_OK;
}

/* `l + r` / `l - r` without parentheses (TimeAdd, DatetimeSub ...). */
static void sql_bare(lm_strbuf *sb, const lm_expr *call)
{
    lm_expr_pretty(sb, call->args[0]);
    lm_strbuf_printf(sb, " %s ", call->fn->symbol);
    lm_expr_pretty(sb, call->args[1]);
}

#define NI LM_FN_NULL_INTOLERANT

static const lm_func_def k_time_add = {.name = "+", .min_args = 2, .max_args = 2, .flags = NI,
                                       .style = LM_STYLE_CUSTOM, .symbol = "+",
                                       .resolve = resolve_built, .eval = eval_time_add,
                                       .sql = sql_bare};
static const lm_func_def k_datetime_sub = {.name = "-", .min_args = 2, .max_args = 2,
                                           .flags = NI, .style = LM_STYLE_CUSTOM, .symbol = "-",
                                           .resolve = resolve_built, .eval = eval_datetime_sub,
                                           .sql = sql_bare};
static const lm_func_def k_ts_diff = {.name = "-", .min_args = 2, .max_args = 2, .flags = NI,
                                      .style = LM_STYLE_INFIX, .symbol = "-",
                                      .resolve = resolve_built, .eval = eval_ts_diff};
static const lm_func_def k_date_diff = {.name = "-", .min_args = 2, .max_args = 2, .flags = NI,
                                        .style = LM_STYLE_INFIX, .symbol = "-",
                                        .resolve = resolve_built, .eval = eval_date_diff};
static const lm_func_def k_iv_add = {.name = "+", .min_args = 2, .max_args = 2, .flags = NI,
                                     .style = LM_STYLE_INFIX, .symbol = "+",
                                     .resolve = resolve_built, .eval = eval_interval_addsub};
static const lm_func_def k_iv_sub = {.name = "-", .min_args = 2, .max_args = 2, .flags = NI,
                                     .style = LM_STYLE_INFIX, .symbol = "-",
                                     .resolve = resolve_built, .eval = eval_interval_addsub};
static const lm_func_def k_iv_mul = {.name = "*", .min_args = 2, .max_args = 2, .flags = NI,
                                     .style = LM_STYLE_INFIX, .symbol = "*",
                                     .resolve = resolve_built, .eval = eval_iv_mul};
static const lm_func_def k_iv_div = {.name = "/", .min_args = 2, .max_args = 2, .flags = NI,
                                     .style = LM_STYLE_INFIX, .symbol = "/",
                                     .resolve = resolve_built, .eval = eval_iv_div};
static const lm_func_def k_cal_mul = {.name = "multiply_interval", .min_args = 2,
                                      .max_args = 2, .flags = NI, .resolve = resolve_built,
                                      .eval = eval_cal_mul, .pretty = "multiply_interval"};
static const lm_func_def k_cal_div = {.name = "divide_interval", .min_args = 2, .max_args = 2,
                                      .flags = NI, .resolve = resolve_built,
                                      .eval = eval_cal_div, .pretty = "divide_interval"};
static const lm_func_def k_ansi_days = {.name = "extractansiintervaldays", .min_args = 1,
                                        .max_args = 1, .flags = NI, .resolve = resolve_built,
                                        .eval = eval_ansi_days,
                                        .pretty = "extractansiintervaldays"};

/* ------------------------------------------------------------ building */

static lm_expr *new_node(lm_resolve_ctx *rc, const lm_expr *like)
{
    lm_expr *e = lm_arena_calloc(rc->a, 1, sizeof *e);
    if (e == NULL)
        return NULL;
    e->kind = LM_EXPR_CALL;
    e->start = like ? like->start : -1;
    e->stop = like ? like->stop : -1;
    e->resolved = true;
    return e;
}

/* Makes call the node `def`(a0[, a1]) of type t (a new reference). */
static int become(lm_resolve_ctx *rc, lm_expr *call, const lm_func_def *def, lm_expr *a0,
                  lm_expr *a1, lm_type *t, lm_error *err)
{
    lm_expr **args = lm_arena_alloc(rc->a, sizeof *args * 2);
    if (args == NULL || a0 == NULL || (def->min_args == 2 && a1 == NULL)) {
        lm_type_unref(t);
        fn_oom(err);
        return -1;
    }
    args[0] = a0;
    args[1] = a1;
    call->kind = LM_EXPR_CALL;
    call->fn = def;
    call->name = (char *)def->name;
    call->args = args;
    call->nargs = def->min_args;
    call->flags &= ~LM_CALL_OPERATOR;
    call->aux = NULL;
    bool nullable = a0->nullable || (a1 != NULL && a1->nullable);
    if (fn_set_result(rc, call, t, nullable, err) != LM_OK)
        return -1;
    return 1;
}

/* An implicit cast of e to t (invisible in names). */
static lm_expr *cast_to(lm_resolve_ctx *rc, lm_expr *e, const lm_type *t)
{
    return lm_coerce_to(rc, e, t);
}

/* Turns call (already built) into CAST(copy of call AS t), implicit. */
static int wrap_cast(lm_resolve_ctx *rc, lm_expr *call, const lm_type *t, lm_error *err)
{
    lm_expr *inner = lm_arena_alloc(rc->a, sizeof *inner);
    lm_expr **args = lm_arena_alloc(rc->a, sizeof *args);
    if (inner == NULL || args == NULL) {
        fn_oom(err);
        return -1;
    }
    *inner = *call;
    args[0] = inner;
    call->kind = LM_EXPR_CAST;
    call->fn = NULL;
    call->name = NULL;
    call->flags = LM_CAST_IMPLICIT;
    call->args = args;
    call->nargs = 1;
    call->aux = NULL;
    call->type = lm_arena_keep_type(rc->a, lm_type_ref((lm_type *)t));
    call->nullable = true;
    return call->type ? 1 : -1;
}

/* Rewrites call into the registered function `name` over (a0, a1). */
static int become_registered(lm_resolve_ctx *rc, lm_expr *call, const char *name, lm_expr *a0,
                             lm_expr *a1, lm_error *err)
{
    const lm_func_def *def = lm_func_lookup(name);
    lm_expr **args = lm_arena_alloc(rc->a, sizeof *args * 2);
    if (def == NULL || args == NULL || a0 == NULL || a1 == NULL) {
        fn_oom(err);
        return -1;
    }
    args[0] = a0;
    args[1] = a1;
    call->fn = def;
    call->name = (char *)def->name;
    call->args = args;
    call->nargs = 2;
    call->flags &= ~LM_CALL_OPERATOR;
    call->aux = NULL;
    return def->resolve(rc, call, err) == LM_OK ? 1 : -1;
}

/* ExtractANSIIntervalDays(e), optionally negated. */
static lm_expr *ansi_days(lm_resolve_ctx *rc, lm_expr *e, bool negate, lm_error *err)
{
    lm_expr *x = new_node(rc, e);
    lm_expr **args = lm_arena_alloc(rc->a, sizeof *args);
    if (x == NULL || args == NULL)
        return NULL;
    args[0] = e;
    x->fn = &k_ansi_days;
    x->name = (char *)k_ansi_days.name;
    x->args = args;
    x->nargs = 1;
    if (fn_set_result(rc, x, lm_type_int(), e->nullable, err) != LM_OK)
        return NULL;
    if (!negate)
        return x;
    const lm_func_def *neg = lm_func_lookup("negative");
    lm_expr *n = new_node(rc, e);
    lm_expr **nargs = lm_arena_alloc(rc->a, sizeof *nargs);
    if (neg == NULL || n == NULL || nargs == NULL)
        return NULL;
    nargs[0] = x;
    n->fn = neg;
    n->name = (char *)"negative";
    n->flags = LM_CALL_OPERATOR;
    n->args = nargs;
    n->nargs = 1;
    return neg->resolve(rc, n, err) == LM_OK ? n : NULL;
}

/* DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE of TimeAdd / SubtractTimestamps,
   whose inputs must be timestamps. call prints as the failing expression. */
static int need_timestamp(lm_resolve_ctx *rc, lm_expr *call, int i, lm_error *err)
{
    lm_coerce_unexpected_input(rc, call, i, "\"(TIMESTAMP OR TIMESTAMP WITHOUT TIME ZONE)\"",
                               err);
    return -1;
}

/*
 * TimeAdd(l, r) (r a day-time or calendar interval), Cast back to l's type
 * as Spark wraps it: a STRING l is read as a TIMESTAMP and the result
 * written back as a STRING. `sub` builds DatetimeSub instead, whose failing
 * form is TimeAdd(l, -r).
 */
static int time_add(lm_resolve_ctx *rc, lm_expr *call, lm_expr *l, lm_expr *r, bool sub,
                    lm_error *err)
{
    const lm_type *L = l->type;
    const lm_func_def *def = sub ? &k_datetime_sub : &k_time_add;
    if (L->id == LM_TYPE_STRING) {
        lm_expr *c = cast_to(rc, l, lm_type_timestamp());
        if (become(rc, call, def, c, r, lm_type_timestamp(), err) < 0)
            return -1;
        return wrap_cast(rc, call, lm_type_string(), err);
    }
    if (is_ts(L))
        return become(rc, call, def, l, r, lm_type_ref((lm_type *)L), err);
    /* the TimeAdd Spark builds fails its input check on the first argument */
    lm_expr *rr = r;
    if (sub) {
        const lm_func_def *neg = lm_func_lookup("negative");
        rr = new_node(rc, r);
        lm_expr **nargs = lm_arena_alloc(rc->a, sizeof *nargs);
        if (neg == NULL || rr == NULL || nargs == NULL) {
            fn_oom(err);
            return -1;
        }
        nargs[0] = r;
        rr->fn = neg;
        rr->name = (char *)"negative";
        rr->flags = LM_CALL_OPERATOR;
        rr->args = nargs;
        rr->nargs = 1;
        rr->type = r->type;
    }
    if (become(rc, call, &k_time_add, l, rr, lm_type_ref((lm_type *)L), err) < 0)
        return -1;
    return need_timestamp(rc, call, 0, err);
}

/* Add or Subtract of two intervals: they meet at their tightest common
   type (DAY and SECOND at DAY TO SECOND); YEAR-MONTH with DAY-TIME has
   none. */
static int interval_addsub(lm_resolve_ctx *rc, lm_expr *call, lm_expr *l, lm_expr *r, bool sub,
                           lm_error *err)
{
    lm_type *w = lm_coerce_tightest(l->type, r->type);
    if (w == NULL)
        return 0;
    lm_arena_keep_type(rc->a, w);
    return become(rc, call, sub ? &k_iv_sub : &k_iv_add, cast_to(rc, l, w), cast_to(rc, r, w),
                  lm_type_ref(w), err);
}

/* Spark's rules for `l + r`, in its order. */
static int rewrite_add(lm_resolve_ctx *rc, lm_expr *call, lm_expr *l, lm_expr *r, lm_error *err)
{
    const lm_type *L = l->type, *R = r->type;
    if (is_date(L) && is_dt_day(R))
        return become_registered(rc, call, "date_add", l, ansi_days(rc, r, false, err), err);
    if (is_date(L) && is_dt(R))
        return become(rc, call, &k_time_add, cast_to(rc, l, lm_type_timestamp()), r,
                      lm_type_timestamp(), err);
    if (is_dt_day(L) && is_date(R))
        return become_registered(rc, call, "date_add", r, ansi_days(rc, l, false, err), err);
    if (is_dt(L) && is_date(R))
        return become(rc, call, &k_time_add, cast_to(rc, r, lm_type_timestamp()), l,
                      lm_type_timestamp(), err);
    if (is_date(L) && is_ym(R))
        return become(rc, call, &k_time_add, l, r, lm_type_date(), err);
    if (is_ym(L) && is_date(R))
        return become(rc, call, &k_time_add, r, l, lm_type_date(), err);
    if (is_ts(L) && is_ym(R))
        return become(rc, call, &k_time_add, l, r, lm_type_ref((lm_type *)L), err);
    if (is_ym(L) && is_ts(R))
        return become(rc, call, &k_time_add, r, l, lm_type_ref((lm_type *)R), err);
    if ((is_cal(L) && is_cal(R)) || (is_dt(L) && is_dt(R)) || (is_ym(L) && is_ym(R)))
        return interval_addsub(rc, call, l, r, false, err);
    if (L->id == LM_TYPE_NULL && is_ansi_iv(R))
        return interval_addsub(rc, call, cast_to(rc, l, R), r, false, err);
    if (is_ansi_iv(L) && R->id == LM_TYPE_NULL)
        return interval_addsub(rc, call, l, cast_to(rc, r, L), false, err);
    if (is_date(L) && is_cal(R))
        return become(rc, call, &k_time_add, l, r, lm_type_date(), err);
    if (is_cal(R) || is_dt(R))
        return time_add(rc, call, l, r, false, err);
    if (is_cal(L) && is_date(R))
        return become(rc, call, &k_time_add, r, l, lm_type_date(), err);
    if (is_cal(L) || is_dt(L))
        return time_add(rc, call, r, l, false, err);
    if (is_date(L) && R->id != LM_TYPE_STRING)
        return become_registered(rc, call, "date_add", l, r, err);
    if (is_date(R) && L->id != LM_TYPE_STRING)
        return become_registered(rc, call, "date_add", r, l, err);
    return 0;
}

/* SubtractTimestamps: a DATE side takes the other side's type, TIMESTAMP
   with TIMESTAMP_NTZ meet at TIMESTAMP_NTZ; anything else is an error. */
static int ts_diff(lm_resolve_ctx *rc, lm_expr *call, lm_expr *l, lm_expr *r, lm_error *err)
{
    const lm_type *L = l->type, *R = r->type;
    if (is_date(L) && is_ts(R))
        l = cast_to(rc, l, R);
    else if (is_ts(L) && is_date(R))
        r = cast_to(rc, r, L);
    else if (is_ts(L) && is_ts(R) && L->id != R->id) {
        l = cast_to(rc, l, lm_type_timestamp_ntz());
        r = cast_to(rc, r, lm_type_timestamp_ntz());
    }
    if (l == NULL || r == NULL) {
        fn_oom(err);
        return -1;
    }
    lm_type *t = legacy_interval(rc) ? lm_type_calendar_interval()
                                     : lm_type_dt_interval(LM_DT_DAY, LM_DT_SECOND);
    if (become(rc, call, &k_ts_diff, l, r, t, err) < 0)
        return -1;
    for (int i = 0; i < 2; i++)
        if (!is_ts(call->args[i]->type))
            return need_timestamp(rc, call, i, err);
    return 1;
}

/* SubtractDates: both sides implicitly cast to DATE. */
static int date_diff(lm_resolve_ctx *rc, lm_expr *call, lm_expr *l, lm_expr *r, lm_error *err)
{
    lm_type *t = legacy_interval(rc) ? lm_type_calendar_interval() : lm_type_dt_interval(LM_DT_DAY, LM_DT_DAY);
    if (become(rc, call, &k_date_diff, l, r, t, err) < 0)
        return -1;
    for (int i = 0; i < 2; i++)
        if (!is_date(call->args[i]->type) &&
            fn_expect(rc, call, i, lm_type_date(), "\"DATE\"", err) != LM_OK)
            return -1;
    return 1;
}

/* Spark's rules for `l - r`, in its order. */
static int rewrite_sub(lm_resolve_ctx *rc, lm_expr *call, lm_expr *l, lm_expr *r, lm_error *err)
{
    const lm_type *L = l->type, *R = r->type;
    if (is_date(L) && is_dt_day(R))
        return become_registered(rc, call, "date_add", l, ansi_days(rc, r, true, err), err);
    if (is_date(L) && is_dt(R))
        return become(rc, call, &k_datetime_sub, cast_to(rc, l, lm_type_timestamp()), r,
                      lm_type_timestamp(), err);
    if (is_date(L) && is_ym(R))
        return become(rc, call, &k_datetime_sub, l, r, lm_type_date(), err);
    if (is_ts(L) && is_ym(R))
        return become(rc, call, &k_datetime_sub, l, r, lm_type_ref((lm_type *)L), err);
    if ((is_cal(L) && is_cal(R)) || (is_dt(L) && is_dt(R)) || (is_ym(L) && is_ym(R)))
        return interval_addsub(rc, call, l, r, true, err);
    if (L->id == LM_TYPE_NULL && is_ansi_iv(R))
        return interval_addsub(rc, call, cast_to(rc, l, R), r, true, err);
    if (is_ansi_iv(L) && R->id == LM_TYPE_NULL)
        return interval_addsub(rc, call, l, cast_to(rc, r, L), true, err);
    if (is_date(L) && is_cal(R))
        return become(rc, call, &k_datetime_sub, l, r, lm_type_date(), err);
    if (is_cal(R) || is_dt(R))
        return time_add(rc, call, l, r, true, err);
    if (is_ts(L) || is_ts(R))
        return ts_diff(rc, call, l, r, err);
    if (is_date(R))
        return date_diff(rc, call, l, r, err);
    if (is_date(L) && R->id != LM_TYPE_STRING)
        return become_registered(rc, call, "date_sub", l, r, err);
    return 0;
}

/* Multiply / Divide with an interval side. */
static int rewrite_muldiv(lm_resolve_ctx *rc, lm_expr *call, lm_expr *l, lm_expr *r,
                          bool divide, lm_error *err)
{
    const lm_type *L = l->type, *R = r->type;
    lm_expr *iv = NULL, *num = NULL;
    if (is_cal(L) || is_ansi_iv(L)) {
        iv = l;
        num = r;
    } else if (!divide && (is_cal(R) || is_ansi_iv(R))) {
        iv = r;
        num = l;
    } else {
        return 0;
    }
    const lm_type *it = iv->type;
    lm_type *t;
    const lm_func_def *def;
    if (is_cal(it)) {
        def = divide ? &k_cal_div : &k_cal_mul;
        t = lm_type_calendar_interval();
    } else {
        def = divide ? &k_iv_div : &k_iv_mul;
        t = is_ym(it) ? lm_type_ym_interval(LM_YM_YEAR, LM_YM_MONTH)
                      : lm_type_dt_interval(LM_DT_DAY, LM_DT_SECOND);
    }
    if (become(rc, call, def, iv, num, t, err) < 0)
        return -1;
    /* the number: any numeric type (a string becomes DOUBLE, NULL DOUBLE);
       CalendarInterval operations take a DOUBLE */
    const lm_type *nt = call->args[1]->type;
    if (is_cal(it) && nt->id != LM_TYPE_DOUBLE) {
        if (fn_expect(rc, call, 1, lm_type_double(), "\"DOUBLE\"", err) != LM_OK)
            return -1;
    } else if (!lm_type_is_numeric(nt)) {
        if (nt->id == LM_TYPE_STRING || nt->id == LM_TYPE_NULL) {
            if (fn_cast_arg(rc, call, 1, lm_type_double(), err) != LM_OK)
                return -1;
        } else {
            lm_coerce_unexpected_input(rc, call, 1, "\"NUMERIC\"", err);
            return -1;
        }
    }
    if (divide)
        call->nullable = true;
    return 1;
}

static bool is_datetime_or_interval(const lm_type *t)
{
    return is_date(t) || is_ts(t) || is_cal(t) || is_ansi_iv(t);
}

static int rewrite(lm_resolve_ctx *rc, lm_expr *call, char op, lm_error *err)
{
    lm_expr *l = call->args[0], *r = call->args[1];
    switch (op) {
    case '+': return rewrite_add(rc, call, l, r, err);
    case '-': return rewrite_sub(rc, call, l, r, err);
    case '*': return rewrite_muldiv(rc, call, l, r, false, err);
    case '/': return rewrite_muldiv(rc, call, l, r, true, err);
    default: return 0;
    }
}

int fn_resolve_datetime_arith(lm_resolve_ctx *rc, lm_expr *call, char op, lm_error *err);

/*
 * Entry point for + - * / (operators.c, try_* in math.c): returns 1 when
 * call was rewritten, 0 when no side is a datetime or an interval (the
 * numeric rules apply), -1 on an error (err set).
 */
int fn_resolve_datetime_arith(lm_resolve_ctx *rc, lm_expr *call, char op, lm_error *err)
{
    if (call->nargs != 2)
        return 0;
    const lm_type *L = call->args[0]->type, *R = call->args[1]->type;
    if (!is_datetime_or_interval(L) && !is_datetime_or_interval(R))
        return 0;
    int done = rewrite(rc, call, op, err);
    if (done != 0)
        return done;
    /* PromoteStrings (a STRING side facing anything but a CalendarInterval
       becomes DOUBLE), then the rules once more: date + '1' is
       date_add(date, CAST('1' AS DOUBLE)), which fails its input check */
    bool promoted = false;
    for (int i = 0; i < 2; i++) {
        lm_expr *o = call->args[1 - i];
        if (call->args[i]->type->id == LM_TYPE_STRING && !is_cal(o->type)) {
            if (fn_cast_arg(rc, call, i, lm_type_double(), err) != LM_OK)
                return -1;
            promoted = true;
        }
    }
    return promoted ? rewrite(rc, call, op, err) : 0;
}
