/*
 * Dates and timestamps in text files, and the sampler behind samplingRatio.
 *
 * Spark 3.5's CSV and JSON readers parse a datetime with the user's pattern
 * when one is given (strictly, no fallback), and otherwise with the same
 * lenient parser as CAST (DefaultDateFormatter / DefaultTimestampFormatter),
 * after the legacy clean-up that drops "GMT". Schema inference of CSV dates
 * uses the strict "yyyy-MM-dd" pattern instead, which is why
 * "2016-01-28T20:00:00" infers as a timestamp and not as a date.
 */
#include "io.h"

#include <stdlib.h>
#include <string.h>

#include "types/datetime.h"

static lm_status compile_opt(lm_error *err, const lm_options *o, const char *key, bool parsing,
                             const char *dflt, lm_dtf **out)
{
    const char *p = io_opt(o, key);
    if (p == NULL)
        p = dflt;
    *out = NULL;
    if (p == NULL)
        return LM_OK;
    *out = lm_dtf_compile(p, parsing, err);
    if (*out == NULL)
        return err->status != LM_OK ? err->status : LM_ERROR;
    return LM_OK;
}

lm_status io_datetime_init(io_datetime *d, lm_error *err, const lm_options *o, const lm_tz *tz)
{
    memset(d, 0, sizeof *d);
    d->tz = tz;
    lm_status rc = compile_opt(err, o, "dateFormat", true, NULL, &d->date_fmt);
    if (rc == LM_OK)
        rc = compile_opt(err, o, "timestampFormat", true, NULL, &d->ts_fmt);
    if (rc == LM_OK)
        rc = compile_opt(err, o, "timestampNTZFormat", true, NULL, &d->ntz_fmt);
    if (rc == LM_OK) {
        d->date_default = lm_dtf_compile("yyyy-MM-dd", true, err);
        if (d->date_default == NULL)
            rc = lm_error_oom(err);
    }
    if (rc != LM_OK)
        io_datetime_free(d);
    return rc;
}

void io_datetime_free(io_datetime *d)
{
    lm_dtf_free(d->date_fmt);
    lm_dtf_free(d->ts_fmt);
    lm_dtf_free(d->ntz_fmt);
    lm_dtf_free(d->date_default);
    memset(d, 0, sizeof *d);
}

static io_parse_result of_dtf(lm_dtf_result r)
{
    return r == LM_DTF_OK ? IO_PARSE_OK : r == LM_DTF_UPGRADE ? IO_PARSE_UPGRADE : IO_PARSE_FAIL;
}

static bool has_gmt(const char *s, size_t n)
{
    for (size_t i = 0; i + 3 <= n; i++)
        if (s[i] == 'G' && s[i + 1] == 'M' && s[i + 2] == 'T')
            return true;
    return false;
}

/* DateTimeUtils.cleanLegacyTimestampStr: removes every "GMT". */
static size_t clean_gmt(const char *s, size_t n, char *buf, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o < cap; i++) {
        if (i + 3 <= n && memcmp(s + i, "GMT", 3) == 0) {
            i += 2;
            continue;
        }
        buf[o++] = s[i];
    }
    return o;
}

io_parse_result io_parse_date(const io_datetime *d, const char *s, size_t n, int32_t *out)
{
    if (d->date_fmt)
        return of_dtf(lm_dtf_parse_date(d->date_fmt, s, n, out));
    if (lm_date_parse(s, n, out))
        return IO_PARSE_OK;
    char buf[128];
    if (n < sizeof buf && has_gmt(s, n)) {
        size_t m = clean_gmt(s, n, buf, sizeof buf);
        if (lm_date_parse(buf, m, out))
            return IO_PARSE_OK;
    }
    return IO_PARSE_FAIL;
}

io_parse_result io_parse_timestamp(const io_datetime *d, const char *s, size_t n, int64_t *out)
{
    if (d->ts_fmt)
        return of_dtf(lm_dtf_parse_ts(d->ts_fmt, s, n, d->tz, out));
    if (lm_ts_parse(s, n, d->tz, out))
        return IO_PARSE_OK;
    char buf[128];
    if (n < sizeof buf && has_gmt(s, n)) {
        size_t m = clean_gmt(s, n, buf, sizeof buf);
        if (lm_ts_parse(buf, m, d->tz, out))
            return IO_PARSE_OK;
    }
    return IO_PARSE_FAIL;
}

io_parse_result io_parse_timestamp_ntz(const io_datetime *d, const char *s, size_t n,
                                       int64_t *out)
{
    if (d->ntz_fmt)
        return of_dtf(lm_dtf_parse_ntz(d->ntz_fmt, s, n, false, out));
    return lm_ts_ntz_parse(s, n, false, out) ? IO_PARSE_OK : IO_PARSE_FAIL;
}

/* Whether a pattern asks for a zone or offset outside quoted text. */
static bool pattern_has_zone(const char *p)
{
    bool quoted = false;
    for (; *p; p++) {
        if (*p == '\'') {
            quoted = !quoted;
            continue;
        }
        if (!quoted && strchr("XxZzVO", *p))
            return true;
    }
    return false;
}

lm_status io_datetime_out_init(io_datetime_out *d, lm_error *err, const lm_options *o,
                               const lm_tz *tz)
{
    memset(d, 0, sizeof *d);
    d->tz = tz;
    lm_status rc = compile_opt(err, o, "dateFormat", false, "yyyy-MM-dd", &d->date_fmt);
    if (rc == LM_OK)
        rc = compile_opt(err, o, "timestampFormat", false, "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
                         &d->ts_fmt);
    const char *ntz = io_opt(o, "timestampNTZFormat");
    if (ntz == NULL)
        ntz = "yyyy-MM-dd'T'HH:mm:ss[.SSS]";
    if (rc == LM_OK)
        rc = compile_opt(err, o, "timestampNTZFormat", false, "yyyy-MM-dd'T'HH:mm:ss[.SSS]",
                         &d->ntz_fmt);
    d->ntz_has_zone = pattern_has_zone(ntz);
    if (rc != LM_OK)
        io_datetime_out_free(d);
    return rc;
}

void io_datetime_out_free(io_datetime_out *d)
{
    lm_dtf_free(d->date_fmt);
    lm_dtf_free(d->ts_fmt);
    lm_dtf_free(d->ntz_fmt);
    memset(d, 0, sizeof *d);
}

/* ------------------------------------------------------------- sampler */

void io_sampler_init(io_sampler *sm, double ratio)
{
    sm->ratio = ratio;
    /* Dataset.sample(false, ratio, seed = 1), partition 0 */
    lm_xorshift_init(&sm->rng, 1);
}

bool io_sampler_keep(io_sampler *sm)
{
    if (sm->ratio > 0.99)
        return true;
    double x = lm_xorshift_next_double(&sm->rng);
    return x >= 0.0 && x < sm->ratio;
}
