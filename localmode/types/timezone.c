/*
 * Zone ids and zone rules. Java resolves ids with ZoneId.of(id, SHORT_IDS)
 * after Spark's own fix-ups (DateTimeUtils.getZoneId); region rules come
 * from the compiled TZif files of the system tz database, whose history is
 * the same IANA data java.time's tzdb.dat is built from. Times past the
 * last transition of a file follow the POSIX TZ rule in its footer, as
 * Java's ZoneRules follow their "last rules".
 *
 * The registry is a mutex-protected list: zones are immutable once built,
 * so readers need no lock after lm_tz_get returns.
 */
#include "timezone.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datetime.h"

typedef struct posix_rule {
    char kind; /* 'J' (1..365 without Feb 29), 'D' (0..365), 'M' (month.week.day) */
    int m, w, d, n;
    int32_t time; /* seconds after local midnight, may be negative or > 24h */
} posix_rule;

typedef struct posix_tz {
    bool valid;
    bool has_dst;
    int32_t std_off; /* seconds east of UTC */
    int32_t dst_off;
    posix_rule start, end;
} posix_tz;

struct lm_tz {
    char *id;
    char *key;          /* registry key: the id after Spark's normalization */
    bool fixed;
    int32_t fixed_offset;
    /* TZif data */
    int32_t ntrans;
    int64_t *trans;     /* UTC seconds, ascending */
    int32_t *trans_off; /* offset in effect from trans[i] on */
    int32_t first_off;  /* offset before the first transition */
    posix_tz footer;
    struct lm_tz *next;
};

static lm_tz utc_zone = {.id = "UTC", .fixed = true, .fixed_offset = 0};

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static lm_tz *registry_head;

const lm_tz *lm_tz_utc(void)
{
    return &utc_zone;
}

const char *lm_tz_id(const lm_tz *tz)
{
    return tz->id;
}

bool lm_tz_is_fixed(const lm_tz *tz, int32_t *offset_seconds)
{
    if (tz->fixed && offset_seconds != NULL)
        *offset_seconds = tz->fixed_offset;
    return tz->fixed;
}

/* ------------------------------------------------------------------ */
/* POSIX TZ footer rules                                                */

static const char *posix_name(const char *p)
{
    if (*p == '<') {
        p++;
        while (*p && *p != '>')
            p++;
        return *p == '>' ? p + 1 : NULL;
    }
    const char *start = p;
    while (isalpha((unsigned char)*p))
        p++;
    return p - start >= 3 ? p : NULL;
}

/* [+-]hh[:mm[:ss]]; returns seconds (sign as written) */
static const char *posix_time(const char *p, int32_t *out)
{
    int sign = 1;
    if (*p == '+' || *p == '-') {
        if (*p == '-')
            sign = -1;
        p++;
    }
    if (!isdigit((unsigned char)*p))
        return NULL;
    int32_t h = 0, m = 0, s = 0;
    while (isdigit((unsigned char)*p))
        h = h * 10 + (*p++ - '0');
    if (*p == ':') {
        p++;
        while (isdigit((unsigned char)*p))
            m = m * 10 + (*p++ - '0');
        if (*p == ':') {
            p++;
            while (isdigit((unsigned char)*p))
                s = s * 10 + (*p++ - '0');
        }
    }
    *out = sign * (h * 3600 + m * 60 + s);
    return p;
}

static const char *posix_rule_parse(const char *p, posix_rule *r)
{
    r->time = 7200;
    if (*p == 'J') {
        r->kind = 'J';
        p++;
        r->n = 0;
        while (isdigit((unsigned char)*p))
            r->n = r->n * 10 + (*p++ - '0');
    } else if (*p == 'M') {
        r->kind = 'M';
        p++;
        if (sscanf(p, "%d.%d.%d", &r->m, &r->w, &r->d) != 3)
            return NULL;
        while (isdigit((unsigned char)*p) || *p == '.')
            p++;
    } else if (isdigit((unsigned char)*p)) {
        r->kind = 'D';
        r->n = 0;
        while (isdigit((unsigned char)*p))
            r->n = r->n * 10 + (*p++ - '0');
    } else {
        return NULL;
    }
    if (*p == '/') {
        p = posix_time(p + 1, &r->time);
        if (p == NULL)
            return NULL;
    }
    return p;
}

static void posix_parse(const char *s, posix_tz *tz)
{
    memset(tz, 0, sizeof *tz);
    const char *p = posix_name(s);
    if (p == NULL)
        return;
    int32_t off;
    p = posix_time(p, &off);
    if (p == NULL)
        return;
    tz->std_off = -off; /* POSIX offsets count hours west */
    if (*p == '\0') {
        tz->valid = true;
        return;
    }
    p = posix_name(p);
    if (p == NULL)
        return;
    tz->has_dst = true;
    tz->dst_off = tz->std_off + 3600;
    if (*p != ',' && *p != '\0') {
        p = posix_time(p, &off);
        if (p == NULL)
            return;
        tz->dst_off = -off;
    }
    if (*p == '\0') {
        /* no rule: POSIX default is US rules */
        tz->start = (posix_rule){'M', 3, 2, 0, 0, 7200};
        tz->end = (posix_rule){'M', 11, 1, 0, 0, 7200};
        tz->valid = true;
        return;
    }
    if (*p != ',')
        return;
    p = posix_rule_parse(p + 1, &tz->start);
    if (p == NULL || *p != ',')
        return;
    p = posix_rule_parse(p + 1, &tz->end);
    if (p == NULL || *p != '\0')
        return;
    tz->valid = true;
}

/* Local seconds (since epoch, in the given wall clock) at which rule r fires in year y. */
static int64_t posix_rule_local(const posix_rule *r, int64_t year)
{
    int64_t days;
    if (r->kind == 'J') {
        days = lm_date_from_civil(year, 1, 1) + r->n - 1;
        if (lm_date_is_leap_year(year) && r->n >= 60)
            days++;
    } else if (r->kind == 'D') {
        days = lm_date_from_civil(year, 1, 1) + r->n;
    } else {
        int64_t first = lm_date_from_civil(year, r->m, 1);
        /* 1970-01-01 was a Thursday (4, with Sunday = 0) */
        int wd_first = (int)lm_floor_mod(first + 4, 7);
        int delta = (r->d - wd_first + 7) % 7;
        int64_t day = first + delta + (int64_t)(r->w - 1) * 7;
        int dim = lm_date_days_in_month(year, r->m);
        while (day >= first + dim)
            day -= 7;
        days = day;
    }
    return days * LM_SECONDS_PER_DAY + r->time;
}

static int32_t posix_offset(const posix_tz *tz, int64_t utc)
{
    if (!tz->has_dst)
        return tz->std_off;
    int64_t year;
    int m, d;
    lm_date_to_civil(lm_floor_div(utc + tz->std_off, LM_SECONDS_PER_DAY), &year, &m, &d);
    int64_t start = posix_rule_local(&tz->start, year) - tz->std_off;
    int64_t end = posix_rule_local(&tz->end, year) - tz->dst_off;
    bool dst;
    if (start < end)
        dst = utc >= start && utc < end;
    else
        dst = !(utc >= end && utc < start);
    return dst ? tz->dst_off : tz->std_off;
}

/* ------------------------------------------------------------------ */
/* offsets                                                              */

int64_t lm_tz_utc_offset_seconds(const lm_tz *tz, int64_t utc_seconds)
{
    if (tz->fixed)
        return tz->fixed_offset;
    if (tz->ntrans == 0)
        return tz->footer.valid ? posix_offset(&tz->footer, utc_seconds) : tz->first_off;
    if (utc_seconds < tz->trans[0])
        return tz->first_off;
    if (utc_seconds >= tz->trans[tz->ntrans - 1]) {
        if (tz->footer.valid)
            return posix_offset(&tz->footer, utc_seconds);
        return tz->trans_off[tz->ntrans - 1];
    }
    int32_t lo = 0, hi = tz->ntrans - 1; /* trans[lo] <= t < trans[hi] */
    while (hi - lo > 1) {
        int32_t mid = lo + (hi - lo) / 2;
        if (tz->trans[mid] <= utc_seconds)
            lo = mid;
        else
            hi = mid;
    }
    return tz->trans_off[lo];
}

/*
 * java.time resolves a local date-time against the transition around it:
 * with oa the offset before and ob the offset after, local - oa is valid
 * when it maps back to oa (this also covers the overlap, where Java keeps
 * the earlier offset), local - ob when it maps back to ob, and in a gap
 * neither is valid and Java shifts the local time forward by the gap,
 * which again lands on local - oa. Offsets never exceed 18 hours, so one
 * day on either side is before and after any transition at that instant.
 */
int64_t lm_tz_local_to_utc_seconds(const lm_tz *tz, int64_t local, int64_t preferred)
{
    if (tz->fixed)
        return local - tz->fixed_offset;
    int64_t oa = lm_tz_utc_offset_seconds(tz, local - LM_SECONDS_PER_DAY);
    int64_t ob = lm_tz_utc_offset_seconds(tz, local + LM_SECONDS_PER_DAY);
    if (oa == ob)
        return local - oa;
    bool a_ok = lm_tz_utc_offset_seconds(tz, local - oa) == oa;
    bool b_ok = lm_tz_utc_offset_seconds(tz, local - ob) == ob;
    if (a_ok && b_ok)
        return (preferred == ob) ? local - ob : local - oa;
    if (b_ok)
        return local - ob;
    return local - oa;
}

/* ------------------------------------------------------------------ */
/* TZif loading                                                         */

static int64_t be32(const unsigned char *p)
{
    return (int32_t)((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
                     (uint32_t)p[3]);
}

static int64_t be64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return (int64_t)v;
}

typedef struct tzif_counts {
    uint32_t isut, isstd, leap, time, type, chr;
} tzif_counts;

static bool tzif_header(const unsigned char *p, size_t len, tzif_counts *c, char *version)
{
    if (len < 44 || memcmp(p, "TZif", 4) != 0)
        return false;
    *version = (char)p[4];
    c->isut = (uint32_t)be32(p + 20);
    c->isstd = (uint32_t)be32(p + 24);
    c->leap = (uint32_t)be32(p + 28);
    c->time = (uint32_t)be32(p + 32);
    c->type = (uint32_t)be32(p + 36);
    c->chr = (uint32_t)be32(p + 40);
    return c->type > 0 && c->type <= 256 && c->time < 100000 && c->leap < 100000 &&
           c->chr < 100000 && c->isut <= c->type && c->isstd <= c->type;
}

static size_t tzif_block_size(const tzif_counts *c, int tsize)
{
    return (size_t)c->time * (size_t)tsize + c->time + (size_t)c->type * 6 + c->chr +
           (size_t)c->leap * (size_t)(tsize + 4) + c->isstd + c->isut;
}

/* Parses TZif bytes into z. Returns false when malformed. */
static bool tzif_parse(const unsigned char *buf, size_t len, lm_tz *z)
{
    tzif_counts c;
    char version;
    if (!tzif_header(buf, len, &c, &version))
        return false;
    const unsigned char *p = buf + 44;
    size_t remain = len - 44;
    int tsize = 4;
    size_t block = tzif_block_size(&c, 4);
    if (block > remain)
        return false;
    if (version >= '2') {
        p += block;
        remain -= block;
        if (!tzif_header(p, remain, &c, &version))
            return false;
        p += 44;
        remain -= 44;
        tsize = 8;
        block = tzif_block_size(&c, 8);
        if (block > remain)
            return false;
    }
    const unsigned char *times = p;
    const unsigned char *idx = times + (size_t)c.time * (size_t)tsize;
    const unsigned char *types = idx + c.time;
    for (uint32_t i = 0; i < c.time; i++)
        if (idx[i] >= c.type)
            return false;
    z->ntrans = (int32_t)c.time;
    if (c.time > 0) {
        z->trans = malloc(sizeof(int64_t) * c.time);
        z->trans_off = malloc(sizeof(int32_t) * c.time);
        if (z->trans == NULL || z->trans_off == NULL)
            return false;
    }
    for (uint32_t i = 0; i < c.time; i++) {
        z->trans[i] = tsize == 8 ? be64(times + (size_t)i * 8) : be32(times + (size_t)i * 4);
        z->trans_off[i] = (int32_t)be32(types + (size_t)idx[i] * 6);
    }
    z->first_off = (int32_t)be32(types);
    if (version >= '2') {
        const unsigned char *f = p + block;
        size_t flen = remain - block;
        if (flen >= 2 && f[0] == '\n') {
            const unsigned char *e = memchr(f + 1, '\n', flen - 1);
            if (e != NULL) {
                size_t n = (size_t)(e - (f + 1));
                char tmp[128];
                if (n < sizeof tmp) {
                    memcpy(tmp, f + 1, n);
                    tmp[n] = '\0';
                    posix_parse(tmp, &z->footer);
                }
            }
        }
    }
    return true;
}

static void tz_free(lm_tz *z)
{
    if (z == NULL || z == &utc_zone)
        return;
    free(z->id);
    free(z->key);
    free(z->trans);
    free(z->trans_off);
    free(z);
}

/* ------------------------------------------------------------------ */
/* id resolution                                                        */

static lm_status zone_error(lm_error *err, const char *exc, const char *fmt, const char *id)
{
    return lm_error_set(err, LM_ERROR, exc, NULL, NULL, fmt, id);
}

/* ZoneOffset.of: +h, +hh, +hhmm, +hh:mm, +hhmmss, +hh:mm:ss within +-18:00. */
static bool parse_offset(const char *s, int32_t *out)
{
    if (s[0] != '+' && s[0] != '-')
        return false;
    int sign = s[0] == '-' ? -1 : 1;
    const char *d = s + 1;
    size_t n = strlen(d);
    int h, m = 0, sec = 0;
#define DIG(i) (isdigit((unsigned char)d[i]) ? d[i] - '0' : -1000)
    switch (n) {
    case 1:
        h = DIG(0);
        break;
    case 2:
        h = DIG(0) * 10 + DIG(1);
        break;
    case 4:
        h = DIG(0) * 10 + DIG(1);
        m = DIG(2) * 10 + DIG(3);
        break;
    case 5:
        if (d[2] != ':')
            return false;
        h = DIG(0) * 10 + DIG(1);
        m = DIG(3) * 10 + DIG(4);
        break;
    case 6:
        h = DIG(0) * 10 + DIG(1);
        m = DIG(2) * 10 + DIG(3);
        sec = DIG(4) * 10 + DIG(5);
        break;
    case 8:
        if (d[2] != ':' || d[5] != ':')
            return false;
        h = DIG(0) * 10 + DIG(1);
        m = DIG(3) * 10 + DIG(4);
        sec = DIG(6) * 10 + DIG(7);
        break;
    default:
        return false;
    }
#undef DIG
    if (h < 0 || m < 0 || sec < 0 || h > 18 || m > 59 || sec > 59)
        return false;
    if (h == 18 && (m != 0 || sec != 0))
        return false;
    *out = sign * (h * 3600 + m * 60 + sec);
    return true;
}

/* ZoneOffset.getId: "Z" for zero, else +hh:mm[:ss]. */
static void offset_id(char *buf, size_t cap, int32_t off)
{
    if (off == 0) {
        snprintf(buf, cap, "Z");
        return;
    }
    int32_t a = off < 0 ? -off : off;
    if (a % 60 != 0)
        snprintf(buf, cap, "%c%02d:%02d:%02d", off < 0 ? '-' : '+', a / 3600, a / 60 % 60,
                 a % 60);
    else
        snprintf(buf, cap, "%c%02d:%02d", off < 0 ? '-' : '+', a / 3600, a / 60 % 60);
}

static const char *const short_ids[][2] = {
    {"ACT", "Australia/Darwin"},   {"AET", "Australia/Sydney"},
    {"AGT", "America/Argentina/Buenos_Aires"},
    {"ART", "Africa/Cairo"},       {"AST", "America/Anchorage"},
    {"BET", "America/Sao_Paulo"},  {"BST", "Asia/Dhaka"},
    {"CAT", "Africa/Harare"},      {"CNT", "America/St_Johns"},
    {"CST", "America/Chicago"},    {"CTT", "Asia/Shanghai"},
    {"EAT", "Africa/Addis_Ababa"}, {"ECT", "Europe/Paris"},
    {"IET", "America/Indiana/Indianapolis"},
    {"IST", "Asia/Kolkata"},       {"JST", "Asia/Tokyo"},
    {"MIT", "Pacific/Apia"},       {"NET", "Asia/Yerevan"},
    {"NST", "Pacific/Auckland"},   {"PLT", "Asia/Karachi"},
    {"PNT", "America/Phoenix"},    {"PRT", "America/Puerto_Rico"},
    {"PST", "America/Los_Angeles"}, {"SST", "Pacific/Guadalcanal"},
    {"VST", "Asia/Ho_Chi_Minh"},   {"EST", "-05:00"},
    {"MST", "-07:00"},             {"HST", "-10:00"},
};

/*
 * Spark's getZoneId fix-ups: the first "(+|-)d:" becomes "(+|-)0d:" and a
 * trailing "(+|-)dd:d" becomes "(+|-)dd:0d".
 */
static void spark_normalize(const char *in, char *out, size_t cap)
{
    size_t n = strlen(in);
    size_t o = 0;
    bool done = false;
    for (size_t i = 0; i < n && o + 2 < cap; i++) {
        out[o++] = in[i];
        if (!done && (in[i] == '+' || in[i] == '-') && i + 2 < n &&
            isdigit((unsigned char)in[i + 1]) && in[i + 2] == ':') {
            out[o++] = '0';
            done = true;
        }
    }
    out[o] = '\0';
    n = o;
    if (n >= 5 && (out[n - 5] == '+' || out[n - 5] == '-') &&
        isdigit((unsigned char)out[n - 4]) && isdigit((unsigned char)out[n - 3]) &&
        out[n - 2] == ':' && isdigit((unsigned char)out[n - 1]) && n + 1 < cap) {
        out[n] = out[n - 1];
        out[n - 1] = '0';
        out[n + 1] = '\0';
    }
}

static bool region_id_valid(const char *id)
{
    /* Java: [A-Za-z][A-Za-z0-9~/._+-]+ */
    if (!isalpha((unsigned char)id[0]) || id[1] == '\0')
        return false;
    for (const char *p = id + 1; *p; p++)
        if (!isalnum((unsigned char)*p) && strchr("~/._+-", *p) == NULL)
            return false;
    return true;
}

/* The tz database files Java's tzdb does not carry. */
static bool region_id_excluded(const char *id)
{
    return strstr(id, "..") != NULL || strncmp(id, "posix/", 6) == 0 ||
           strncmp(id, "right/", 6) == 0 || strcmp(id, "posixrules") == 0 ||
           strcmp(id, "localtime") == 0 || strcmp(id, "Factory") == 0 ||
           strstr(id, ".tab") != NULL || strstr(id, ".zi") != NULL ||
           strcmp(id, "leapseconds") == 0 || strcmp(id, "tzdata.zi") == 0;
}

static lm_status load_region(const char *id, lm_tz **out, lm_error *err)
{
    const char *dir = getenv("TZDIR");
    if (dir == NULL || dir[0] == '\0')
        dir = "/usr/share/zoneinfo";
    size_t plen = strlen(dir) + strlen(id) + 2;
    char *path = malloc(plen);
    if (path == NULL)
        return lm_error_oom(err);
    snprintf(path, plen, "%s/%s", dir, id);
    FILE *f = fopen(path, "rb");
    free(path);
    if (f == NULL)
        return zone_error(err, "java.time.zone.ZoneRulesException", "Unknown time-zone ID: %s",
                          id);
    unsigned char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 8192;
            if (cap > (1u << 24))
                break;
            unsigned char *nb = realloc(buf, cap);
            if (nb == NULL) {
                free(buf);
                fclose(f);
                return lm_error_oom(err);
            }
            buf = nb;
        }
        size_t r = fread(buf + len, 1, cap - len, f);
        len += r;
        if (r == 0)
            break;
    }
    fclose(f);
    lm_tz *z = calloc(1, sizeof *z);
    if (z == NULL) {
        free(buf);
        return lm_error_oom(err);
    }
    bool ok = tzif_parse(buf, len, z);
    free(buf);
    if (!ok) {
        tz_free(z);
        return zone_error(err, "java.time.zone.ZoneRulesException", "Unknown time-zone ID: %s",
                          id);
    }
    *out = z;
    return LM_OK;
}

/* Builds the zone for an already normalized id (outside the registry). */
static lm_status build_zone(const char *id, lm_tz **out, lm_error *err)
{
    char idbuf[64];
    int32_t off;
    lm_tz *z = NULL;
    if (strcmp(id, "Z") == 0 || id[0] == '+' || id[0] == '-') {
        if (strcmp(id, "Z") == 0)
            off = 0;
        else if (!parse_offset(id, &off))
            return zone_error(err, "java.time.DateTimeException",
                              "Invalid ID for ZoneOffset, invalid format: %s", id);
        offset_id(idbuf, sizeof idbuf, off);
    } else if (strcmp(id, "UTC") == 0 || strcmp(id, "GMT") == 0 || strcmp(id, "UT") == 0) {
        off = 0;
        snprintf(idbuf, sizeof idbuf, "%s", id);
    } else if (strncmp(id, "UTC+", 4) == 0 || strncmp(id, "UTC-", 4) == 0 ||
               strncmp(id, "GMT+", 4) == 0 || strncmp(id, "GMT-", 4) == 0 ||
               strncmp(id, "UT+", 3) == 0 || strncmp(id, "UT-", 3) == 0) {
        size_t plen = id[2] == '+' || id[2] == '-' ? 2 : 3;
        if (!parse_offset(id + plen, &off))
            return zone_error(err, "java.time.DateTimeException",
                              "Invalid ID for offset-based ZoneId: %s", id);
        char ob[32];
        offset_id(ob, sizeof ob, off);
        snprintf(idbuf, sizeof idbuf, "%.*s%s", (int)plen, id, off == 0 ? "" : ob);
    } else {
        if (!region_id_valid(id))
            return zone_error(err, "java.time.DateTimeException",
                              "Invalid ID for region-based ZoneId, invalid format: %s", id);
        if (region_id_excluded(id))
            return zone_error(err, "java.time.zone.ZoneRulesException",
                              "Unknown time-zone ID: %s", id);
        lm_status st = load_region(id, &z, err);
        if (st != LM_OK)
            return st;
        z->id = strdup(id);
        if (z->id == NULL) {
            tz_free(z);
            return lm_error_oom(err);
        }
        *out = z;
        return LM_OK;
    }
    z = calloc(1, sizeof *z);
    if (z == NULL)
        return lm_error_oom(err);
    z->fixed = true;
    z->fixed_offset = off;
    z->id = strdup(idbuf);
    if (z->id == NULL) {
        free(z);
        return lm_error_oom(err);
    }
    *out = z;
    return LM_OK;
}

const lm_tz *lm_tz_get(const char *id, lm_error *err)
{
    if (id == NULL) {
        zone_error(err, "java.lang.NullPointerException", "zoneId%s", "");
        return NULL;
    }
    char norm[256];
    if (strlen(id) >= sizeof norm - 2) {
        zone_error(err, "java.time.DateTimeException",
                   "Invalid ID for region-based ZoneId, invalid format: %s", id);
        return NULL;
    }
    spark_normalize(id, norm, sizeof norm);
    const char *key = norm;
    for (size_t i = 0; i < sizeof short_ids / sizeof short_ids[0]; i++)
        if (strcmp(norm, short_ids[i][0]) == 0) {
            key = short_ids[i][1];
            break;
        }
    if (strcmp(key, "UTC") == 0)
        return &utc_zone;

    pthread_mutex_lock(&registry_lock);
    /* The registry is keyed by the id asked for after normalization. */
    for (lm_tz *z = registry_head; z != NULL; z = z->next) {
        if (strcmp(z->key, key) == 0) {
            pthread_mutex_unlock(&registry_lock);
            return z;
        }
    }
    lm_tz *z = NULL;
    lm_status st = build_zone(key, &z, err);
    if (st != LM_OK) {
        pthread_mutex_unlock(&registry_lock);
        return NULL;
    }
    z->key = strdup(key);
    if (z->key == NULL) {
        tz_free(z);
        pthread_mutex_unlock(&registry_lock);
        lm_error_oom(err);
        return NULL;
    }
    z->next = registry_head;
    registry_head = z;
    pthread_mutex_unlock(&registry_lock);
    return z;
}

void lm_tz_registry_shutdown(void)
{
    pthread_mutex_lock(&registry_lock);
    lm_tz *z = registry_head;
    registry_head = NULL;
    pthread_mutex_unlock(&registry_lock);
    while (z != NULL) {
        lm_tz *next = z->next;
        tz_free(z);
        z = next;
    }
}
