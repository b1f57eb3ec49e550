/*
 * Calendar rebasing between the hybrid Julian+Gregorian calendar (Spark
 * 2.x, Hive, java.util) and the proleptic Gregorian calendar (Spark 3),
 * as Spark's RebaseDateTime does for Parquet files written in LEGACY mode:
 * the same local date (and time of day) is kept, so the day count changes
 * by the calendars' difference at that date. The switch days and
 * differences are the calendar facts (one step per century not divisible
 * by 400 before 1582-10-15).
 *
 * Timestamps are rebased through their local date in a time zone: the
 * offset of a zone before its standard time is its local mean time, the
 * same on both sides of the conversion, so only the day difference counts.
 */
#include <stddef.h>
#include <stdio.h>

#include "pq_int.h"
#include "types/datetime.h"
#include "types/timezone.h"

/* Julian-calendar day numbers (days since 1970-01-01) at which the
   Julian-to-Gregorian difference changes, and the difference from there. */
static const int32_t julian_switch[] = {-719164, -682945, -646420, -609895, -536845,
                                        -500320, -463795, -390745, -354220, -317695,
                                        -244645, -208120, -171595, -141427};
static const int32_t julian_diff[] = {2, 1, 0, -1, -2, -3, -4, -5, -6, -7, -8, -9, -10, 0};
/* The same for the Gregorian-to-Julian direction, in Gregorian days. */
static const int32_t greg_switch[] = {-719162, -682944, -646420, -609896, -536847,
                                      -500323, -463799, -390750, -354226, -317702,
                                      -244653, -208129, -171605, -141427};
static const int32_t greg_diff[] = {-2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0};

static int32_t rebase_days(const int32_t *sw, const int32_t *diff, int n, int32_t days)
{
    int i = n - 1;
    while (i > 0 && days < sw[i])
        i--;
    return days + diff[i];
}

int32_t pq_rebase_julian_to_gregorian_days(int32_t days)
{
    return rebase_days(julian_switch, julian_diff, 14, days);
}

int32_t pq_rebase_gregorian_to_julian_days(int32_t days)
{
    return rebase_days(greg_switch, greg_diff, 14, days);
}

/*
 * The hybrid side of Spark's conversion goes through java.util.TimeZone,
 * which knows no local mean time: before 1900 it applies the zone's
 * standard offset. The proleptic side goes through java.time, which does
 * use LMT. We take the java.util offset as the zone's offset at
 * 1900-01-01T00:00Z for earlier instants (where Spark's rebase tables end).
 */
#define PQ_UTIL_TZ_FLOOR INT64_C(-2208988800)

static int64_t util_offset(const lm_tz *tz, int64_t secs)
{
    return lm_tz_utc_offset_seconds(tz, secs < PQ_UTIL_TZ_FLOOR ? PQ_UTIL_TZ_FLOOR : secs);
}

static int64_t rebase_micros(int64_t micros, const char *tz_id, bool to_gregorian)
{
    const lm_tz *tz = tz_id ? lm_tz_get(tz_id, NULL) : NULL;
    if (tz == NULL)
        tz = lm_tz_utc();
    int64_t secs = lm_floor_div(micros, 1000000);
    int64_t frac = micros - secs * 1000000;
    int64_t local, days, tod, moved;
    if (to_gregorian) {
        /* hybrid instant -> local fields (java.util) -> same fields in
           the proleptic calendar -> instant (java.time) */
        local = secs + util_offset(tz, secs);
        days = lm_floor_div(local, 86400);
        tod = local - days * 86400;
        moved = pq_rebase_julian_to_gregorian_days((int32_t)days);
        int64_t out = lm_tz_local_to_utc_seconds(tz, moved * 86400 + tod, LM_TZ_NO_PREFERRED);
        return out * 1000000 + frac;
    }
    local = secs + lm_tz_utc_offset_seconds(tz, secs);
    days = lm_floor_div(local, 86400);
    tod = local - days * 86400;
    moved = pq_rebase_gregorian_to_julian_days((int32_t)days);
    int64_t nl = moved * 86400 + tod;
    /* local -> hybrid instant with the java.util offset */
    int64_t guess = nl - util_offset(tz, nl);
    return (nl - util_offset(tz, guess)) * 1000000 + frac;
}

int64_t pq_rebase_julian_to_gregorian_micros(int64_t micros, const char *tz)
{
    return rebase_micros(micros, tz, true);
}

int64_t pq_rebase_gregorian_to_julian_micros(int64_t micros, const char *tz)
{
    return rebase_micros(micros, tz, false);
}

static lm_status rebase_error(lm_error *err, bool int96, bool read)
{
    const char *conf = read ? (int96 ? "spark.sql.parquet.int96RebaseModeInRead"
                                     : "spark.sql.parquet.datetimeRebaseModeInRead")
                            : (int96 ? "spark.sql.parquet.int96RebaseModeInWrite"
                                     : "spark.sql.parquet.datetimeRebaseModeInWrite");
    const char *opt = int96 ? "int96RebaseMode" : "datetimeRebaseMode";
    if (read)
        lm_error_set(err, LM_ERROR, "org.apache.spark.SparkUpgradeException",
                     "INCONSISTENT_BEHAVIOR_CROSS_VERSION.READ_ANCIENT_DATETIME", "42K0B",
                     "[INCONSISTENT_BEHAVIOR_CROSS_VERSION.READ_ANCIENT_DATETIME] You may get a "
                     "different result due to the upgrading to Spark >= 3.0:\nreading dates "
                     "before 1582-10-15 or timestamps before 1900-01-01T00:00:00Z\nfrom Parquet "
                     "files can be ambiguous, as the files may be written by\nSpark 2.x or legacy "
                     "versions of Hive, which uses a legacy hybrid calendar\nthat is different "
                     "from Spark 3.0+'s Proleptic Gregorian calendar.\nSee more details in "
                     "SPARK-31404. You can set the SQL config \"%s\" or\nthe datasource option "
                     "\"%s\" to \"LEGACY\" to rebase the datetime values\nw.r.t. the calendar "
                     "difference during reading. To read the datetime values\nas it is, set the "
                     "SQL config \"%s\" or the datasource option \"%s\"\nto \"CORRECTED\".",
                     conf, opt, conf, opt);
    else
        lm_error_set(err, LM_ERROR, "org.apache.spark.SparkUpgradeException",
                     "INCONSISTENT_BEHAVIOR_CROSS_VERSION.WRITE_ANCIENT_DATETIME", "42K0B",
                     "[INCONSISTENT_BEHAVIOR_CROSS_VERSION.WRITE_ANCIENT_DATETIME] You may get a "
                     "different result due to the upgrading to Spark >= 3.0:\nwriting dates "
                     "before 1582-10-15 or timestamps before 1900-01-01T00:00:00Z\ninto Parquet "
                     "files can be dangerous, as the files may be read by Spark 2.x\nor legacy "
                     "versions of Hive later, which uses a legacy hybrid calendar that\nis "
                     "different from Spark 3.0+'s Proleptic Gregorian calendar. See more\ndetails "
                     "in SPARK-31404. You can set \"%s\" to \"LEGACY\" to rebase the\ndatetime "
                     "values w.r.t. the calendar difference during writing, to get maximum\n"
                     "interoperability. Or set the config to \"CORRECTED\" to write the datetime\n"
                     "values as it is, if you are sure that the written files will only be read "
                     "by\nSpark 3.0+ or other systems that use Proleptic Gregorian calendar.",
                     conf);
    lm_error_param_add(err, "format", "Parquet");
    char q[128];
    snprintf(q, sizeof q, "\"%s\"", conf);
    lm_error_param_add(err, "config", q);
    if (read) {
        snprintf(q, sizeof q, "\"%s\"", opt);
        lm_error_param_add(err, "option", q);
    }
    return LM_ERROR;
}

lm_status pq_err_rebase_read(lm_error *err, bool int96)
{
    return rebase_error(err, int96, true);
}

lm_status pq_err_rebase_write(lm_error *err, bool int96)
{
    return rebase_error(err, int96, false);
}
