/*
 * Time zones as Spark sees them through java.time: zone ids resolved the
 * way DateTimeUtils.getZoneId resolves them (ZoneId.of with SHORT_IDS after
 * Spark's "+h:mm" / "+hh:m" fix-ups), region rules read from the system
 * TZif database, and the two conversions every datetime operation needs:
 * UTC instant -> offset, and local date-time -> UTC with java.time's rules
 * for gaps and overlaps.
 *
 * Zones live in a process-wide registry: each distinct id is loaded once
 * (under a mutex) and stays valid until lm_tz_registry_shutdown(). Callers
 * never free an lm_tz; lookups are safe from any thread.
 */
#ifndef LM_TYPES_TIMEZONE_H
#define LM_TYPES_TIMEZONE_H

#include <stdbool.h>
#include <stdint.h>

#include "common/error.h"

typedef struct lm_tz lm_tz;

/*
 * Resolves a zone id as Spark's getZoneId does:
 *   - region ids ("America/Los_Angeles", "Europe/Paris", "CET", "Etc/GMT+8"),
 *     case-sensitive as in Java, read from $TZDIR or /usr/share/zoneinfo;
 *   - "Z", "UTC", "GMT", "UT";
 *   - offsets "+8", "+08", "+0800", "+08:00", "+08:00:00", "+080000", and
 *     Spark's pre-3.0 forms "+8:00" and "+08:0";
 *   - prefixed offsets "UTC+8", "GMT-08:00", "UT+05:30";
 *   - Java's SHORT_IDS ("PST" -> America/Los_Angeles, "EST" -> -05:00, ...).
 * Returns a registry-owned zone, or NULL with err set (exception
 * java.time.DateTimeException or java.time.zone.ZoneRulesException, with
 * Java's message) when the id is invalid or unknown. LM_ENOMEM/LM_EIO set
 * err->status accordingly.
 */
const lm_tz *lm_tz_get(const char *id, lm_error *err);

/* The UTC zone (id "UTC"); never NULL, no registry lookup. */
const lm_tz *lm_tz_utc(void);

/* The zone id as Java's ZoneId.toString prints it ("America/Los_Angeles",
   "+08:00", "Z", "GMT+08:00", "UTC"). Owned by the zone. */
const char *lm_tz_id(const lm_tz *tz);

/* True when the zone has a single constant offset (stored in *offset_seconds
   when not NULL). */
bool lm_tz_is_fixed(const lm_tz *tz, int32_t *offset_seconds);

/* Offset from UTC, in seconds, in effect at the given UTC instant. */
int64_t lm_tz_utc_offset_seconds(const lm_tz *tz, int64_t utc_seconds);

/* No preferred offset for lm_tz_local_to_utc_seconds. */
#define LM_TZ_NO_PREFERRED INT64_MIN

/*
 * Converts a local date-time (seconds since 1970-01-01T00:00 local) to UTC
 * seconds with java.time's ZonedDateTime.ofLocal rules:
 *   - gap (spring forward): the local time is shifted forward by the length
 *     of the gap (2019-03-10 02:30 in Los Angeles -> 03:30 PDT);
 *   - overlap (fall back): the earlier offset (the one in effect before the
 *     transition, i.e. daylight time) unless `preferred_offset` is one of
 *     the two valid offsets, in which case that one is kept.
 * Pass LM_TZ_NO_PREFERRED when there is no preference.
 */
int64_t lm_tz_local_to_utc_seconds(const lm_tz *tz, int64_t local_seconds,
                                   int64_t preferred_offset);

/* Frees every loaded zone. Zones obtained earlier become invalid. Only call
   when no other thread uses the registry (process or library shutdown). */
void lm_tz_registry_shutdown(void);

#endif
