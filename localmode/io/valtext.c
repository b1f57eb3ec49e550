/*
 * Values as the CSV and JSON writers print them (UnivocityGenerator and
 * JacksonGenerator): integers in decimal, floating point as Java's
 * toString, decimals as BigDecimal.toString, dates and timestamps with the
 * write patterns (ISO 8601 with milliseconds and offset by default),
 * intervals in their ANSI string form.
 */
#include "io.h"

#include <string.h>

#include "render/render.h"
#include "types/interval.h"
#include "types/numfmt.h"
#include "valtext.h"

lm_status io_value_text(lm_error *err, const io_datetime_out *dt, lm_strbuf *sb,
                        const lm_type *t, const lm_value *v)
{
    char buf[LM_NUMFMT_BUFSZ];
    switch (t->id) {
    case LM_TYPE_BOOLEAN:
        lm_strbuf_puts(sb, v->u.b ? "true" : "false");
        return LM_OK;
    case LM_TYPE_BYTE:
    case LM_TYPE_SHORT:
    case LM_TYPE_INT:
    case LM_TYPE_LONG:
        lm_strbuf_printf(sb, "%lld", (long long)v->u.i64);
        return LM_OK;
    case LM_TYPE_FLOAT:
        lm_format_float(buf, v->u.f32);
        lm_strbuf_puts(sb, buf);
        return LM_OK;
    case LM_TYPE_DOUBLE:
        lm_format_double(buf, v->u.f64);
        lm_strbuf_puts(sb, buf);
        return LM_OK;
    case LM_TYPE_DECIMAL:
        io_java_decimal_string(sb, v->u.dec, t->scale);
        return LM_OK;
    case LM_TYPE_STRING:
    case LM_TYPE_BINARY:
        lm_strbuf_append(sb, v->u.str.ptr, (size_t)v->u.str.len);
        return LM_OK;
    case LM_TYPE_DATE:
        lm_dtf_format_ts(dt->date_fmt, sb, v->u.i64 * INT64_C(86400000000), lm_tz_utc());
        return LM_OK;
    case LM_TYPE_TIMESTAMP:
        lm_dtf_format_ts(dt->ts_fmt, sb, v->u.i64, dt->tz);
        return LM_OK;
    case LM_TYPE_TIMESTAMP_NTZ:
        if (dt->ntz_has_zone)
            return lm_error_set(err, LM_ERROR, "java.time.temporal.UnsupportedTemporalTypeException",
                                NULL, NULL, "Unsupported field: OffsetSeconds");
        lm_dtf_format_ntz(dt->ntz_fmt, sb, v->u.i64);
        return LM_OK;
    case LM_TYPE_YM_INTERVAL:
        /* IntervalUtils.toYearMonthIntervalString(ANSI_STYLE), as the writers call it */
        lm_interval_ym_format(sb, (int32_t)v->u.i64, LM_INTERVAL_ANSI, t->start_field,
                              t->end_field);
        return LM_OK;
    case LM_TYPE_DT_INTERVAL:
        lm_interval_dt_format(sb, v->u.i64, LM_INTERVAL_ANSI, t->start_field, t->end_field);
        return LM_OK;
    case LM_TYPE_INTERVAL:
        lm_interval_format(sb, &v->u.iv);
        return LM_OK;
    default:
        lm_render(sb, t, v, LM_STYLE_CAST, dt->tz);
        return LM_OK;
    }
}
