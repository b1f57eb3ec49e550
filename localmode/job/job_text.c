/*
 * Texts of a job file: ${var} substitution, and mapping an offset in a
 * substituted text back to the line and column of the file, so that an
 * error inside a SQL step points at the word in the YAML the user wrote.
 *
 * A text is mapped in two hops: substituted offset -> raw offset (the
 * scalar as libyaml read it), using the recorded substitutions; raw offset
 * -> file, which is exact for a literal block (`|`: raw line i is file
 * line start+1+i, shifted by the block's indentation) and for a scalar
 * written on one line without escapes. Anything else (folded or escaped
 * text) maps to the scalar's first character. Columns count characters,
 * as libyaml and editors do, not bytes.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "job/job_int.h"

static int utf8_chars(const char *s, int n)
{
    int c = 0;
    for (int i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            c++;
    return c;
}

void job_raw_locate(const job_text *t, int raw_offset, int *line, int *col)
{
    *line = t->line;
    *col = t->col;
    if (t->raw == NULL || raw_offset < 0 || raw_offset > (int)strlen(t->raw))
        return;
    if (t->block_indent > 0) {
        int l = 0, start = 0;
        for (int i = 0; i < raw_offset; i++)
            if (t->raw[i] == '\n') {
                l++;
                start = i + 1;
            }
        *line = t->line + 1 + l;
        *col = t->block_indent + 1 + utf8_chars(t->raw + start, raw_offset - start);
    } else if (t->flat_col > 0) {
        *col = t->flat_col + utf8_chars(t->raw, raw_offset);
    }
}

void job_text_locate(const job_text *t, int offset, int *line, int *col)
{
    int raw = offset;
    for (int i = 0; i < t->nsubs; i++) {
        if (offset < t->sub_out[i])
            break;
        if (offset < t->sub_out[i] + t->sub_out_len[i]) {
            raw = t->sub_raw[i]; /* inside a value: point at its ${ */
            break;
        }
        raw = t->sub_raw[i] + t->sub_raw_len[i] + (offset - t->sub_out[i] - t->sub_out_len[i]);
    }
    job_raw_locate(t, raw, line, col);
}

static const char *lookup(const job_kv *vars, int nvars, const char *name, size_t n)
{
    /* later entries win: overrides are appended after the defaults */
    for (int i = nvars - 1; i >= 0; i--)
        if (strlen(vars[i].key) == n && memcmp(vars[i].key, name, n) == 0)
            return vars[i].value.s;
    return NULL;
}

static bool var_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '-';
}

/* Appends a substitution record; false when out of memory. */
static bool record(lm_arena *a, job_text *t, int *cap, int out, int raw, int out_len, int raw_len)
{
    if (t->nsubs == *cap) {
        int ncap = *cap ? *cap * 2 : 4;
        int *v[4];
        int **f[4] = {&t->sub_out, &t->sub_raw, &t->sub_out_len, &t->sub_raw_len};
        for (int k = 0; k < 4; k++) {
            v[k] = lm_arena_alloc(a, sizeof(int) * (size_t)ncap);
            if (v[k] == NULL)
                return false;
            if (t->nsubs)
                memcpy(v[k], *f[k], sizeof(int) * (size_t)t->nsubs);
            *f[k] = v[k];
        }
        *cap = ncap;
    }
    t->sub_out[t->nsubs] = out;
    t->sub_raw[t->nsubs] = raw;
    t->sub_out_len[t->nsubs] = out_len;
    t->sub_raw_len[t->nsubs] = raw_len;
    t->nsubs++;
    return true;
}

bool job_text_subst(lm_arena *a, job_text *t, const job_kv *vars, int nvars, int *bad_raw,
                    const char **bad_name)
{
    *bad_raw = -1;
    *bad_name = "";
    const char *r = t->raw;
    if (strstr(r, "${") == NULL) {
        t->s = t->raw;
        return true;
    }
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    int cap = 0;
    t->nsubs = 0;
    for (int i = 0; r[i];) {
        if (r[i] == '$' && r[i + 1] == '$' && r[i + 2] == '{') {
            if (!record(a, t, &cap, (int)sb.len, i, 2, 3))
                goto oom;
            lm_strbuf_puts(&sb, "${");
            i += 3;
            continue;
        }
        if (r[i] == '$' && r[i + 1] == '{') {
            int j = i + 2;
            while (var_char(r[j]))
                j++;
            if (r[j] != '}' || j == i + 2) {
                *bad_raw = i;
                lm_strbuf_free(&sb);
                return false;
            }
            const char *v = lookup(vars, nvars, r + i + 2, (size_t)(j - i - 2));
            if (v == NULL) {
                *bad_raw = i;
                *bad_name = lm_arena_strndup(a, r + i + 2, (size_t)(j - i - 2));
                lm_strbuf_free(&sb);
                return *bad_name == NULL ? (*bad_raw = -1, false) : false;
            }
            size_t vl = strlen(v);
            if (!record(a, t, &cap, (int)sb.len, i, (int)vl, j + 1 - i))
                goto oom;
            lm_strbuf_append(&sb, v, vl);
            i = j + 1;
            continue;
        }
        lm_strbuf_putc(&sb, r[i]);
        i++;
    }
    if (!lm_strbuf_ok(&sb))
        goto oom;
    t->s = lm_arena_strndup(a, lm_strbuf_cstr(&sb), sb.len);
    lm_strbuf_free(&sb);
    return t->s != NULL;
oom:
    lm_strbuf_free(&sb);
    return false;
}

bool job_is_identifier(const char *s)
{
    if (s == NULL || !(isalpha((unsigned char)*s) || *s == '_'))
        return false;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_'))
            return false;
    return true;
}

const char *job_alias_of(lm_arena *a, const char *table)
{
    const char *last = table;
    bool quoted = false;
    for (const char *p = table; *p; p++) {
        if (*p == '`')
            quoted = !quoted;
        else if (*p == '.' && !quoted)
            last = p + 1;
    }
    size_t n = strlen(last);
    if (n >= 2 && last[0] == '`' && last[n - 1] == '`')
        return lm_arena_strndup(a, last + 1, n - 2);
    return last;
}

/* Spark's join type names (JoinType.apply: lower-cased, underscores
   dropped) and the SQL words for them. */
const char *job_join_sql(const char *how)
{
    static const struct {
        const char *name, *sql;
    } types[] = {
        {"inner", "INNER"},          {"cross", "CROSS"},          {"outer", "FULL OUTER"},
        {"full", "FULL OUTER"},      {"fullouter", "FULL OUTER"}, {"left", "LEFT OUTER"},
        {"leftouter", "LEFT OUTER"}, {"right", "RIGHT OUTER"},    {"rightouter", "RIGHT OUTER"},
        {"semi", "LEFT SEMI"},       {"leftsemi", "LEFT SEMI"},   {"anti", "LEFT ANTI"},
        {"leftanti", "LEFT ANTI"},
    };
    if (how == NULL)
        return "INNER";
    char norm[32];
    size_t n = 0;
    for (const char *p = how; *p; p++) {
        if (*p == '_')
            continue;
        if (n + 1 >= sizeof norm)
            return NULL;
        norm[n++] = (char)tolower((unsigned char)*p);
    }
    norm[n] = '\0';
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strcmp(norm, types[i].name) == 0)
            return types[i].sql;
    return NULL;
}
