/*
 * Civil calendar, date/timestamp arithmetic, Spark's default datetime
 * strings and Spark's string -> datetime cast parsers.
 *
 * Spark 3 computes with java.time on the proleptic Gregorian calendar; the
 * conversions below reproduce java.time's results (LocalDate.plusMonths,
 * ZonedDateTime.of, atStartOfDay, truncatedTo) without a JVM. The civil
 * conversions are the well-known era-based algorithms (400-year cycles),
 * exact for any int64 day count that does not overflow.
 */
#include "datetime.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------------ */
/* civil calendar                                                       */

bool lm_date_is_leap_year(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int lm_date_days_in_month(int64_t year, int month)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && lm_date_is_leap_year(year))
        return 29;
    return dim[month - 1];
}

int64_t lm_date_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = lm_floor_div(y, 400);
    int64_t yoe = y - era * 400;                                     /* [0, 399] */
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;    /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;             /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

void lm_date_to_civil(int64_t z, int64_t *year, int *month, int *day)
{
    z += 719468;
    int64_t era = lm_floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = y + (m <= 2);
    *month = m;
    *day = d;
}

bool lm_date_make(int64_t year, int month, int day, int32_t *out)
{
    if (year < -999999999 || year > 999999999 || month < 1 || month > 12 || day < 1 ||
        day > lm_date_days_in_month(year, month))
        return false;
    int64_t days = lm_date_from_civil(year, month, day);
    if (days < INT32_MIN || days > INT32_MAX)
        return false;
    *out = (int32_t)days;
    return true;
}

int64_t lm_date_year(int32_t days)
{
    int64_t y;
    int m, d;
    lm_date_to_civil(days, &y, &m, &d);
    return y;
}

int lm_date_month(int32_t days)
{
    int64_t y;
    int m, d;
    lm_date_to_civil(days, &y, &m, &d);
    return m;
}

int lm_date_day_of_month(int32_t days)
{
    int64_t y;
    int m, d;
    lm_date_to_civil(days, &y, &m, &d);
    return d;
}

int lm_date_quarter(int32_t days)
{
    return (lm_date_month(days) - 1) / 3 + 1;
}

int lm_date_day_of_year(int32_t days)
{
    int64_t y = lm_date_year(days);
    return (int)(days - lm_date_from_civil(y, 1, 1) + 1);
}

/* 1970-01-01 was a Thursday. */
int lm_date_weekday(int32_t days)
{
    return (int)lm_floor_mod((int64_t)days + 3, 7);
}

int lm_date_day_of_week(int32_t days)
{
    return (int)lm_floor_mod((int64_t)days + 4, 7) + 1;
}

/* ISO-8601: week 1 is the week (Monday first) holding the year's first Thursday. */
static void iso_week(int64_t days, int64_t *wyear, int *week)
{
    int64_t thursday = days - lm_floor_mod(days + 3, 7) + 3;
    int64_t y;
    int m, d;
    lm_date_to_civil(thursday, &y, &m, &d);
    *wyear = y;
    *week = (int)((thursday - lm_date_from_civil(y, 1, 1)) / 7 + 1);
}

int lm_date_iso_week(int32_t days)
{
    int64_t y;
    int w;
    iso_week(days, &y, &w);
    return w;
}

int64_t lm_date_iso_week_year(int32_t days)
{
    int64_t y;
    int w;
    iso_week(days, &y, &w);
    return y;
}

/* ------------------------------------------------------------------ */
/* date arithmetic                                                      */

bool lm_date_add_months(int32_t days, int32_t months, int32_t *out)
{
    int64_t y;
    int m, d;
    lm_date_to_civil(days, &y, &m, &d);
    int64_t total = y * 12 + (m - 1) + months;
    int64_t ny = lm_floor_div(total, 12);
    int nm = (int)(total - ny * 12) + 1;
    int dim = lm_date_days_in_month(ny, nm);
    int64_t r = lm_date_from_civil(ny, nm, d > dim ? dim : d);
    if (r < INT32_MIN || r > INT32_MAX)
        return false;
    *out = (int32_t)r;
    return true;
}

int32_t lm_date_add_days(int32_t days, int32_t n)
{
    return (int32_t)(uint32_t)((uint32_t)days + (uint32_t)n);
}

int32_t lm_date_last_day(int32_t days)
{
    int64_t y;
    int m, d;
    lm_date_to_civil(days, &y, &m, &d);
    return (int32_t)(days + (lm_date_days_in_month(y, m) - d));
}

static bool ieq(const char *s, size_t len, const char *lit)
{
    size_t n = strlen(lit);
    if (n != len)
        return false;
    for (size_t i = 0; i < n; i++)
        if (toupper((unsigned char)s[i]) != lit[i])
            return false;
    return true;
}

bool lm_date_next_day(int32_t days, const char *dow, size_t len, int32_t *out)
{
    /* weekday numbering of lm_date_weekday: Monday = 0 */
    static const char *const names[7][3] = {
        {"MO", "MON", "MONDAY"},   {"TU", "TUE", "TUESDAY"},  {"WE", "WED", "WEDNESDAY"},
        {"TH", "THU", "THURSDAY"}, {"FR", "FRI", "FRIDAY"},   {"SA", "SAT", "SATURDAY"},
        {"SU", "SUN", "SUNDAY"}};
    for (int w = 0; w < 7; w++)
        for (int k = 0; k < 3; k++)
            if (ieq(dow, len, names[w][k])) {
                int cur = lm_date_weekday(days);
                int delta = ((w - cur) % 7 + 7) % 7;
                if (delta == 0)
                    delta = 7;
                *out = lm_date_add_days(days, delta);
                return true;
            }
    return false;
}

double lm_ts_months_between(int64_t micros1, int64_t micros2, bool round_off, const lm_tz *tz)
{
    lm_datetime_fields a, b;
    lm_ts_fields(micros1, tz, &a);
    lm_ts_fields(micros2, tz, &b);
    int64_t months1 = a.year * 12 + a.month;
    int64_t months2 = b.year * 12 + b.month;
    double month_diff = (double)(months1 - months2);
    bool end1 = a.day == lm_date_days_in_month(a.year, a.month);
    bool end2 = b.day == lm_date_days_in_month(b.year, b.month);
    if (a.day == b.day || (end1 && end2))
        return month_diff;
    /* seconds since the start of each local day (Hive's rule, in seconds) */
    int64_t start1 = 0, start2 = 0;
    lm_date_to_ts(a.days, tz, &start1);
    lm_date_to_ts(b.days, tz, &start2);
    int64_t sec1 = (micros1 - start1) / LM_MICROS_PER_SECOND;
    int64_t sec2 = (micros2 - start2) / LM_MICROS_PER_SECOND;
    int64_t seconds_diff = (int64_t)(a.day - b.day) * LM_SECONDS_PER_DAY + sec1 - sec2;
    double diff = month_diff + (double)seconds_diff / (double)(31 * LM_SECONDS_PER_DAY);
    if (round_off) {
        /* Scala's math.round(double): floor(x + 0.5) as a long */
        double x = diff * 1e8;
        double r = (double)(int64_t)__builtin_floor(x + 0.5);
        return r / 1e8;
    }
    return diff;
}

lm_trunc_level lm_trunc_level_parse(const char *fmt, size_t len)
{
    if (fmt == NULL)
        return LM_TRUNC_INVALID;
    static const struct {
        const char *name;
        lm_trunc_level level;
    } names[] = {
        {"MICROSECOND", LM_TRUNC_MICROSECOND}, {"MILLISECOND", LM_TRUNC_MILLISECOND},
        {"SECOND", LM_TRUNC_SECOND},           {"MINUTE", LM_TRUNC_MINUTE},
        {"HOUR", LM_TRUNC_HOUR},               {"DAY", LM_TRUNC_DAY},
        {"DD", LM_TRUNC_DAY},                  {"WEEK", LM_TRUNC_WEEK},
        {"MON", LM_TRUNC_MONTH},               {"MONTH", LM_TRUNC_MONTH},
        {"MM", LM_TRUNC_MONTH},                {"QUARTER", LM_TRUNC_QUARTER},
        {"YEAR", LM_TRUNC_YEAR},               {"YYYY", LM_TRUNC_YEAR},
        {"YY", LM_TRUNC_YEAR},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (ieq(fmt, len, names[i].name))
            return names[i].level;
    return LM_TRUNC_INVALID;
}

bool lm_date_trunc(int32_t days, lm_trunc_level level, int32_t *out)
{
    int64_t y;
    int m, d;
    switch (level) {
    case LM_TRUNC_WEEK:
        *out = (int32_t)(days - lm_date_weekday(days));
        return true;
    case LM_TRUNC_MONTH:
        *out = (int32_t)(days - lm_date_day_of_month(days) + 1);
        return true;
    case LM_TRUNC_QUARTER:
        lm_date_to_civil(days, &y, &m, &d);
        *out = (int32_t)lm_date_from_civil(y, (m - 1) / 3 * 3 + 1, 1);
        return true;
    case LM_TRUNC_YEAR:
        *out = (int32_t)(days - lm_date_day_of_year(days) + 1);
        return true;
    default:
        return false;
    }
}

/* ------------------------------------------------------------------ */
/* timestamps and zones                                                 */

static void split_local(int64_t local_seconds, int32_t micros, int64_t offset,
                        lm_datetime_fields *f)
{
    int64_t days = lm_floor_div(local_seconds, LM_SECONDS_PER_DAY);
    int64_t sod = local_seconds - days * LM_SECONDS_PER_DAY;
    lm_date_to_civil(days, &f->year, &f->month, &f->day);
    f->hour = (int)(sod / 3600);
    f->minute = (int)(sod / 60 % 60);
    f->second = (int)(sod % 60);
    f->micros = micros;
    f->days = days < INT32_MIN ? INT32_MIN : days > INT32_MAX ? INT32_MAX : (int32_t)days;
    f->offset = offset;
}

void lm_ts_fields(int64_t micros, const lm_tz *tz, lm_datetime_fields *f)
{
    int64_t secs = lm_floor_div(micros, LM_MICROS_PER_SECOND);
    int32_t us = (int32_t)(micros - secs * LM_MICROS_PER_SECOND);
    int64_t off = lm_tz_utc_offset_seconds(tz, secs);
    split_local(secs + off, us, off, f);
}

void lm_ts_ntz_fields(int64_t micros, lm_datetime_fields *f)
{
    int64_t secs = lm_floor_div(micros, LM_MICROS_PER_SECOND);
    split_local(secs, (int32_t)(micros - secs * LM_MICROS_PER_SECOND), 0, f);
}

int32_t lm_ts_to_date(int64_t micros, const lm_tz *tz)
{
    lm_datetime_fields f;
    lm_ts_fields(micros, tz, &f);
    return f.days;
}

/* seconds * 1e6 + us without overflow; false when it does not fit */
static bool secs_to_micros(int64_t secs, int64_t us, int64_t *out)
{
    int64_t r;
    if (__builtin_mul_overflow(secs, LM_MICROS_PER_SECOND, &r) ||
        __builtin_add_overflow(r, us, &r))
        return false;
    *out = r;
    return true;
}

bool lm_date_to_ts(int32_t days, const lm_tz *tz, int64_t *out)
{
    int64_t utc = lm_tz_local_to_utc_seconds(tz, (int64_t)days * LM_SECONDS_PER_DAY,
                                             LM_TZ_NO_PREFERRED);
    return secs_to_micros(utc, 0, out);
}

bool lm_ts_to_ntz(int64_t micros, const lm_tz *tz, int64_t *out)
{
    int64_t secs = lm_floor_div(micros, LM_MICROS_PER_SECOND);
    int64_t us = micros - secs * LM_MICROS_PER_SECOND;
    return secs_to_micros(secs + lm_tz_utc_offset_seconds(tz, secs), us, out);
}

bool lm_ts_ntz_to_ts(int64_t ntz, const lm_tz *tz, int64_t *out)
{
    int64_t secs = lm_floor_div(ntz, LM_MICROS_PER_SECOND);
    int64_t us = ntz - secs * LM_MICROS_PER_SECOND;
    return secs_to_micros(lm_tz_local_to_utc_seconds(tz, secs, LM_TZ_NO_PREFERRED), us, out);
}

bool lm_ts_from_local(int64_t year, int month, int day, int hour, int minute, int second,
                      int32_t micros, const lm_tz *tz, int64_t *out)
{
    if (year < -1000000 || year > 1000000)
        return false;
    int64_t local = lm_date_from_civil(year, month, day) * LM_SECONDS_PER_DAY + hour * 3600 +
                    minute * 60 + second;
    return secs_to_micros(lm_tz_local_to_utc_seconds(tz, local, LM_TZ_NO_PREFERRED), micros,
                          out);
}

bool lm_ts_trunc(int64_t micros, lm_trunc_level level, const lm_tz *tz, int64_t *out)
{
    lm_datetime_fields f;
    int64_t unit;
    switch (level) {
    case LM_TRUNC_MICROSECOND:
        *out = micros;
        return true;
    case LM_TRUNC_MILLISECOND:
        *out = micros - lm_floor_mod(micros, LM_MICROS_PER_MILLI);
        return true;
    case LM_TRUNC_SECOND:
        *out = micros - lm_floor_mod(micros, LM_MICROS_PER_SECOND);
        return true;
    case LM_TRUNC_MINUTE:
        unit = 60;
        break;
    case LM_TRUNC_HOUR:
        unit = 3600;
        break;
    case LM_TRUNC_DAY:
        unit = LM_SECONDS_PER_DAY;
        break;
    case LM_TRUNC_WEEK:
    case LM_TRUNC_MONTH:
    case LM_TRUNC_QUARTER:
    case LM_TRUNC_YEAR: {
        int32_t d;
        lm_date_trunc(lm_ts_to_date(micros, tz), level, &d);
        return lm_date_to_ts(d, tz, out);
    }
    default:
        return false;
    }
    /* ZonedDateTime.truncatedTo: truncate the local time, keep the offset if
       it is still valid there. */
    lm_ts_fields(micros, tz, &f);
    int64_t local = (int64_t)f.days * LM_SECONDS_PER_DAY + f.hour * 3600 + f.minute * 60 +
                    f.second;
    local -= lm_floor_mod(local, unit);
    return secs_to_micros(lm_tz_local_to_utc_seconds(tz, local, f.offset), 0, out);
}

int64_t lm_ts_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * LM_MICROS_PER_SECOND + ts.tv_nsec / 1000;
}

/* ------------------------------------------------------------------ */
/* default string forms                                                 */

/* java.time "uuuu" with SignStyle.EXCEEDS_PAD: '+' above 9999, '-' below 0. */
static int format_year(char *buf, int64_t y)
{
    if (y > 9999)
        return sprintf(buf, "+%lld", (long long)y);
    if (y < 0)
        return sprintf(buf, "-%04lld", -(long long)y);
    return sprintf(buf, "%04lld", (long long)y);
}

static int format_fields(char *buf, const lm_datetime_fields *f)
{
    int n = format_year(buf, f->year);
    n += sprintf(buf + n, "-%02d-%02d %02d:%02d:%02d", f->month, f->day, f->hour, f->minute,
                 f->second);
    if (f->micros != 0) {
        int32_t us = f->micros;
        int digits = 6;
        while (us % 10 == 0) {
            us /= 10;
            digits--;
        }
        n += sprintf(buf + n, ".%0*d", digits, us);
    }
    return n;
}

int lm_date_format(char *buf, int32_t days)
{
    int64_t y;
    int m, d;
    lm_date_to_civil(days, &y, &m, &d);
    int n = format_year(buf, y);
    return n + sprintf(buf + n, "-%02d-%02d", m, d);
}

int lm_ts_format(char *buf, int64_t micros, const lm_tz *tz)
{
    lm_datetime_fields f;
    lm_ts_fields(micros, tz, &f);
    return format_fields(buf, &f);
}

int lm_ts_ntz_format(char *buf, int64_t micros)
{
    lm_datetime_fields f;
    lm_ts_ntz_fields(micros, &f);
    return format_fields(buf, &f);
}

/* ------------------------------------------------------------------ */
/* string -> datetime (DateTimeUtils.stringToDate / parseTimestampString) */

/* UTF8String.isWhitespaceOrISOControl on a byte */
static bool trim_byte(unsigned char b)
{
    return b <= 0x20 || b == 0x7f;
}

static void trim_bounds(const char *s, size_t len, size_t *start, size_t *end)
{
    size_t i = 0;
    while (i < len && trim_byte((unsigned char)s[i]))
        i++;
    size_t e = len;
    while (e > i && trim_byte((unsigned char)s[e - 1]))
        e--;
    *start = i;
    *end = e;
}

bool lm_date_parse(const char *s, size_t len, int32_t *out)
{
    if (s == NULL)
        return false;
    size_t j, end;
    trim_bounds(s, len, &j, &end);
    if (j == end)
        return false;
    int64_t seg[3] = {1, 1, 1};
    int sign = 1, i = 0;
    int64_t cur = 0;
    int digits = 0;
#define DATE_VALID(seg_i, nd) ((seg_i) == 0 ? ((nd) >= 4 && (nd) <= 7) : ((nd) > 0 && (nd) <= 2))
    if (s[j] == '-' || s[j] == '+') {
        sign = s[j] == '-' ? -1 : 1;
        j++;
    }
    while (j < end && i < 3 && !(s[j] == ' ' || s[j] == 'T')) {
        char b = s[j];
        if (i < 2 && b == '-') {
            if (!DATE_VALID(i, digits))
                return false;
            seg[i++] = cur;
            cur = 0;
            digits = 0;
        } else if (b >= '0' && b <= '9') {
            if (digits < 9)
                cur = cur * 10 + (b - '0');
            digits++;
        } else {
            return false;
        }
        j++;
    }
    if (!DATE_VALID(i, digits))
        return false;
#undef DATE_VALID
    if (i < 2 && j < end)
        return false; /* yyyy and yyyy-[m]m must consume everything */
    seg[i] = cur;
    if (seg[1] < 1 || seg[1] > 12 || seg[2] < 1)
        return false;
    return lm_date_make(sign * seg[0], (int)seg[1], (int)seg[2], out);
}

typedef struct ts_parts {
    int64_t seg[9];
    bool just_time;
    bool has_zone;
    const lm_tz *zone;
} ts_parts;

static bool ts_valid_digits(int seg, int digits)
{
    return seg == 6 || (seg == 0 && digits >= 4 && digits <= 6) || (seg == 7 && digits <= 2) ||
           (seg != 0 && seg != 6 && seg != 7 && digits > 0 && digits <= 2);
}

/* Spark's parseTimestampString; false when the string is not a timestamp
   (including an invalid zone). */
static bool ts_parse_parts(const char *s, size_t len, ts_parts *p)
{
    if (s == NULL)
        return false;
    size_t j, end;
    trim_bounds(s, len, &j, &end);
    if (j == end)
        return false;
    static const int64_t init[9] = {1, 1, 1, 0, 0, 0, 0, 0, 0};
    memcpy(p->seg, init, sizeof init);
    p->just_time = false;
    p->has_zone = false;
    p->zone = NULL;
    int i = 0, digits = 0, digits_milli = 0;
    int64_t cur = 0;
    int year_sign = 0;
    const char *tz = NULL;
    size_t tzlen = 0;
    if (s[j] == '-' || s[j] == '+') {
        year_sign = s[j] == '-' ? -1 : 1;
        j++;
    }
#define TAKE(k)                                                                              \
    do {                                                                                     \
        if (!ts_valid_digits((k), digits))                                                   \
            return false;                                                                    \
        p->seg[(k)] = cur;                                                                   \
        cur = 0;                                                                             \
        digits = 0;                                                                          \
    } while (0)
    while (j < end) {
        char b = s[j];
        if (b < '0' || b > '9') {
            if (j == 0 && b == 'T') {
                p->just_time = true;
                i += 3;
            } else if (i < 2) {
                if (b == '-') {
                    TAKE(i);
                    i++;
                } else if (i == 0 && b == ':' && year_sign == 0) {
                    p->just_time = true;
                    TAKE(3);
                    i = 4;
                } else {
                    return false;
                }
            } else if (i == 2) {
                if (b != ' ' && b != 'T')
                    return false;
                TAKE(i);
                i++;
            } else if (i == 3 || i == 4) {
                if (b != ':')
                    return false;
                TAKE(i);
                i++;
            } else if (i == 5 || i == 6) {
                if (b == '.' && i == 5) {
                    TAKE(i);
                    i++;
                } else {
                    TAKE(i);
                    i++;
                    tz = s + j;
                    tzlen = end - j;
                    j = end - 1;
                }
                if (i == 6 && b != '.')
                    i++;
            } else {
                if (i < 9 && (b == ':' || b == ' ')) {
                    TAKE(i);
                    i++;
                } else {
                    return false;
                }
            }
        } else {
            if (i == 6)
                digits_milli++;
            if ((i != 6 || digits < 6) && digits < 12)
                cur = cur * 10 + (b - '0');
            digits++;
        }
        j++;
    }
    if (i > 8)
        return false;
    TAKE(i);
#undef TAKE
    while (digits_milli < 6) {
        p->seg[6] *= 10;
        digits_milli++;
    }
    if (tz != NULL) {
        /* String.trim: chars <= ' ' */
        while (tzlen > 0 && (unsigned char)tz[0] <= ' ') {
            tz++;
            tzlen--;
        }
        while (tzlen > 0 && (unsigned char)tz[tzlen - 1] <= ' ')
            tzlen--;
        char name[128];
        if (tzlen == 0 || tzlen >= sizeof name)
            return false;
        memcpy(name, tz, tzlen);
        name[tzlen] = '\0';
        p->zone = lm_tz_get(name, NULL);
        if (p->zone == NULL)
            return false;
        p->has_zone = true;
    }
    if (year_sign != 0)
        p->seg[0] *= year_sign;
    return true;
}

static bool ts_time_valid(const ts_parts *p)
{
    return p->seg[3] >= 0 && p->seg[3] <= 23 && p->seg[4] <= 59 && p->seg[5] <= 59;
}

static bool ts_date_valid(const ts_parts *p)
{
    return p->seg[1] >= 1 && p->seg[1] <= 12 && p->seg[2] >= 1 &&
           p->seg[2] <= lm_date_days_in_month(p->seg[0], (int)p->seg[1]);
}

bool lm_ts_parse(const char *s, size_t len, const lm_tz *tz, int64_t *out)
{
    ts_parts p;
    if (!ts_parse_parts(s, len, &p) || !ts_time_valid(&p))
        return false;
    const lm_tz *zone = p.has_zone ? p.zone : tz;
    int64_t y, days;
    int m, d;
    if (p.just_time) {
        lm_datetime_fields now;
        lm_ts_fields(lm_ts_now(), zone, &now);
        y = now.year;
        m = now.month;
        d = now.day;
    } else {
        if (!ts_date_valid(&p))
            return false;
        y = p.seg[0];
        m = (int)p.seg[1];
        d = (int)p.seg[2];
    }
    days = lm_date_from_civil(y, m, d);
    int64_t local = days * LM_SECONDS_PER_DAY + p.seg[3] * 3600 + p.seg[4] * 60 + p.seg[5];
    int64_t utc = lm_tz_local_to_utc_seconds(zone, local, LM_TZ_NO_PREFERRED);
    return secs_to_micros(utc, p.seg[6], out);
}

bool lm_ts_ntz_parse(const char *s, size_t len, bool allow_time_zone, int64_t *out)
{
    ts_parts p;
    if (!ts_parse_parts(s, len, &p) || p.just_time || (!allow_time_zone && p.has_zone))
        return false;
    if (!ts_time_valid(&p) || !ts_date_valid(&p))
        return false;
    int64_t local = lm_date_from_civil(p.seg[0], (int)p.seg[1], (int)p.seg[2]) *
                        LM_SECONDS_PER_DAY +
                    p.seg[3] * 3600 + p.seg[4] * 60 + p.seg[5];
    return secs_to_micros(local, p.seg[6], out);
}

bool lm_ts_string_has_zone(const char *s, size_t len)
{
    ts_parts p;
    return ts_parse_parts(s, len, &p) && p.has_zone;
}
