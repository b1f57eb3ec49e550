/*
 * Chaos schedules: parsing of the two confs and the seeded decisions. See
 * chaos.h for the syntax and the replay guarantee.
 *
 * Decisions hash their coordinates with splitmix64 rather than drawing from
 * one running generator: a running generator would make every decision
 * depend on how many were taken before it (and, with worker threads, on
 * timing), which is exactly what a replayable schedule must not do.
 */
#include "chaos.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CHAOS_EXC_ARG "java.lang.IllegalArgumentException"

void lm_chaos_init(lm_chaos *c)
{
    memset(c, 0, sizeof *c);
}

void lm_chaos_clear(lm_chaos *c)
{
    free(c->rules);
    lm_chaos_init(c);
}

bool lm_chaos_active(const lm_chaos *c)
{
    return c != NULL && (c->permute || c->fail_chance > 0 || c->nrules > 0);
}

/* splitmix64's finaliser. */
static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static uint64_t point_hash(const lm_chaos *c, lm_chaos_point point, int64_t a, int64_t b,
                           int64_t d)
{
    uint64_t h = mix(c->seed ^ mix((uint64_t)point));
    h = mix(h ^ (uint64_t)a);
    h = mix(h ^ (uint64_t)b);
    return mix(h ^ (uint64_t)d);
}

void lm_chaos_permutation(const lm_chaos *c, lm_chaos_point point, int64_t a, int64_t b,
                          int *order, int n)
{
    for (int i = 0; i < n; i++)
        order[i] = i;
    if (c == NULL || !c->permute || n < 2)
        return;
    /* Fisher-Yates; step i draws from the hash of the decision and i */
    for (int i = n - 1; i > 0; i--) {
        uint64_t r = point_hash(c, point, a, b, i);
        int j = (int)(r % (uint64_t)(i + 1));
        int tmp = order[i];
        order[i] = order[j];
        order[j] = tmp;
    }
}

bool lm_chaos_fails(const lm_chaos *c, int stage_id, int position, int partition, int attempt)
{
    if (c == NULL)
        return false;
    for (int i = 0; i < c->nrules; i++) {
        const lm_chaos_rule *r = &c->rules[i];
        if ((r->stage < 0 || r->stage == stage_id) &&
            (r->partition < 0 || r->partition == partition) &&
            (r->attempt < 0 || r->attempt == attempt))
            return true;
    }
    /* the chance is drawn from the seed: without one it is off, so a job
       can carry its chaos conf and still have a calm reference run */
    if (c->fail_chance <= 0 || !c->permute)
        return false;
    uint64_t h = point_hash(c, LM_CHAOS_FAIL, position, partition, attempt);
    double u = (double)(h >> 11) * (1.0 / 9007199254740992.0); /* [0, 1) */
    return u < c->fail_chance;
}

/* ------------------------------------------------------------- parsing */
static const char *skip_blanks(const char *p)
{
    while (*p && isspace((unsigned char)*p))
        p++;
    return p;
}

/* A field of a rule: a non-negative int or `*` (-1), over [p, end). */
static bool parse_field(const char *p, const char *end, int *out)
{
    while (p < end && isspace((unsigned char)*p))
        p++;
    while (end > p && isspace((unsigned char)end[-1]))
        end--;
    if (end - p == 1 && *p == '*') {
        *out = -1;
        return true;
    }
    if (p == end)
        return false;
    long v = 0;
    for (const char *q = p; q < end; q++) {
        if (!isdigit((unsigned char)*q))
            return false;
        v = v * 10 + (*q - '0');
        if (v > 1000000000L)
            return false;
    }
    *out = (int)v;
    return true;
}

/* A PROBABILITY item over [p, end): a plain decimal number in [0, 1]. */
static bool parse_chance(const char *p, const char *end, double *out)
{
    char buf[64];
    while (p < end && isspace((unsigned char)*p))
        p++;
    while (end > p && isspace((unsigned char)end[-1]))
        end--;
    size_t n = (size_t)(end - p);
    if (n == 0 || n >= sizeof buf)
        return false;
    for (const char *q = p; q < end; q++)
        if (!isdigit((unsigned char)*q) && *q != '.')
            return false;
    memcpy(buf, p, n);
    buf[n] = '\0';
    char *e;
    double d = strtod(buf, &e);
    if (*e != '\0' || !(d >= 0 && d <= 1))
        return false;
    *out = d;
    return true;
}

static lm_status bad_item(lm_error *err, const char *item, size_t len)
{
    return lm_error_set(err, LM_ERROR, CHAOS_EXC_ARG, NULL, NULL,
                        LM_CHAOS_FAIL_KEY " should be a comma-separated list of "
                                          "STAGE:PARTITION[:ATTEMPT] (numbers or *) or of a "
                                          "probability between 0 and 1, but has '%.*s'",
                        (int)len, item);
}

static lm_status parse_fail_tasks(lm_chaos *c, const char *s, lm_error *err)
{
    const char *p = s;
    for (;;) {
        const char *end = strchr(p, ',');
        if (end == NULL)
            end = p + strlen(p);
        const char *b = skip_blanks(p);
        if (b < end) {
            const char *c1 = memchr(b, ':', (size_t)(end - b));
            if (c1 == NULL) {
                double d;
                if (!parse_chance(b, end, &d))
                    return bad_item(err, b, (size_t)(end - b));
                if (d > c->fail_chance)
                    c->fail_chance = d;
            } else {
                const char *c2 = memchr(c1 + 1, ':', (size_t)(end - c1 - 1));
                lm_chaos_rule r = {0, 0, 0};
                bool ok = parse_field(b, c1, &r.stage) &&
                          parse_field(c1 + 1, c2 ? c2 : end, &r.partition) &&
                          (c2 == NULL || (memchr(c2 + 1, ':', (size_t)(end - c2 - 1)) == NULL &&
                                          parse_field(c2 + 1, end, &r.attempt)));
                if (!ok)
                    return bad_item(err, b, (size_t)(end - b));
                lm_chaos_rule *n = realloc(c->rules, sizeof *n * (size_t)(c->nrules + 1));
                if (n == NULL)
                    return lm_error_oom(err);
                c->rules = n;
                c->rules[c->nrules++] = r;
            }
        }
        if (*end == '\0')
            return LM_OK;
        p = end + 1;
    }
}

lm_status lm_chaos_parse(lm_chaos *c, const char *seed, const char *fail_tasks, lm_error *err)
{
    lm_chaos_init(c);
    if (seed != NULL) {
        /* Long.parseLong after trimming, as Spark reads a long conf */
        const char *p = skip_blanks(seed);
        char *e;
        errno = 0;
        long long v = strtoll(p, &e, 10);
        const char *rest = skip_blanks(e);
        if (e == p || *rest != '\0' || errno == ERANGE)
            return lm_error_set(err, LM_ERROR, CHAOS_EXC_ARG, NULL, NULL,
                                LM_CHAOS_SEED_KEY " should be long, but was %s", seed);
        c->permute = true;
        c->seed = (uint64_t)v;
    }
    if (fail_tasks != NULL) {
        lm_status st = parse_fail_tasks(c, fail_tasks, err);
        if (st != LM_OK) {
            lm_chaos_clear(c);
            return st;
        }
    }
    return LM_OK;
}
