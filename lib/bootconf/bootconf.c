/* bootconf.c — parses boot.conf text into tables the caller sized. Bounded by
 * len everywhere; a bad line is reported by number, never guessed at. */
#include <bootconf.h>
#include <string.h>

#define MAX_WORDS 16

struct words {
    int count;
    const char *start[MAX_WORDS];
    size_t len[MAX_WORDS];
};

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/* Splits one line (without its newline) into words; comments are dropped. */
static int split(const char *line, size_t len, struct words *w)
{
    w->count = 0;
    size_t i = 0;
    while (i < len) {
        while (i < len && is_blank(line[i]))
            i++;
        if (i == len || line[i] == '#')
            break;
        size_t start = i;
        while (i < len && !is_blank(line[i]) && line[i] != '#')
            i++;
        if (w->count == MAX_WORDS)
            return -1;
        w->start[w->count] = line + start;
        w->len[w->count] = i - start;
        w->count++;
    }
    return 0;
}

static int word_is(const struct words *w, int i, const char *s)
{
    return w->len[i] == strlen(s) && memcmp(w->start[i], s, w->len[i]) == 0;
}

static int copy_word(const struct words *w, int i, char *dst, size_t cap)
{
    if (w->len[i] >= cap)
        return -1;
    memcpy(dst, w->start[i], w->len[i]);
    dst[w->len[i]] = '\0';
    return 0;
}

static int parse_core(const struct words *w, int i, int *core)
{
    if (word_is(w, i, "any")) {
        *core = BOOTCONF_CORE_ANY;
        return 0;
    }
    if (w->len[i] == 0 || w->len[i] > 6)
        return -1;
    int v = 0;
    for (size_t k = 0; k < w->len[i]; k++) {
        char c = w->start[i][k];
        if (c < '0' || c > '9')
            return -1;
        v = v * 10 + (c - '0');
    }
    *core = v;
    return 0;
}

/* A decimal number of at most 9 digits (no sign, no blanks). */
static int parse_uint(const char *s, size_t len, uint32_t *out)
{
    if (len == 0 || len > 9)
        return -1;
    uint32_t v = 0;
    for (size_t k = 0; k < len; k++) {
        if (s[k] < '0' || s[k] > '9')
            return -1;
        v = v * 10 + (uint32_t)(s[k] - '0');
    }
    *out = v;
    return 0;
}

static bool key_is(const char *word, size_t key_len, const char *key)
{
    return key_len == strlen(key) && memcmp(word, key, key_len) == 0;
}

/* One KEY=VALUE word of a service line into s. */
static const char *service_key(const char *word, size_t len, struct bootconf_service *s)
{
    const char *eq = memchr(word, '=', len);
    if (eq == NULL)
        return "service settings are KEY=VALUE";
    size_t klen = (size_t)(eq - word);
    const char *v = eq + 1;
    size_t vlen = len - klen - 1;
    if (key_is(word, klen, "restart")) {
        if (key_is(v, vlen, "always") || key_is(v, vlen, "never")) {
            s->restart = v[0] == 'a';
            return NULL;
        }
        return "restart is always or never";
    }
    if (key_is(word, klen, "start")) {
        if (key_is(v, vlen, "boot") || key_is(v, vlen, "manual")) {
            s->manual = v[0] == 'm';
            return NULL;
        }
        return "start is boot or manual";
    }
    if (key_is(word, klen, "heartbeat"))
        return parse_uint(v, vlen, &s->heartbeat_ms) == 0 ? NULL : "heartbeat is milliseconds";
    if (key_is(word, klen, "limit"))
        return parse_uint(v, vlen, &s->limit) == 0 ? NULL : "limit is a number of restarts";
    if (key_is(word, klen, "backoff")) {
        if (parse_uint(v, vlen, &s->backoff_ms) != 0 || s->backoff_ms == 0)
            return "backoff is milliseconds, at least 1";
        return NULL;
    }
    if (key_is(word, klen, "registers")) {
        if (vlen == 0 || vlen >= sizeof s->registers)
            return "registers takes a name of 1 to 31 characters";
        memcpy(s->registers, v, vlen);
        s->registers[vlen] = '\0';
        return NULL;
    }
    if (key_is(word, klen, "devices")) {
        if (vlen >= sizeof s->devices)
            return "devices list too long (at most 63 characters)";
        memcpy(s->devices, v, vlen);
        s->devices[vlen] = '\0';
        return NULL;
    }
    return "unknown service setting (restart, start, heartbeat, limit, backoff, registers, "
           "devices)";
}

static const char *parse_service(const struct words *w, struct bootconf *conf, int line)
{
    if (w->count < 2)
        return "service takes NAME and KEY=VALUE settings";
    if (conf->service_count == conf->service_cap)
        return "more service lines than the table was sized for (see bootconf_count)";
    struct bootconf_service *s = &conf->services[conf->service_count];
    *s = (struct bootconf_service){
        .restart = true, .limit = BOOTCONF_LIMIT_DEFAULT, .backoff_ms = BOOTCONF_BACKOFF_DEFAULT};
    if (copy_word(w, 1, s->name, sizeof s->name) != 0)
        return "service name too long (at most 31 characters)";
    if (bootconf_service(conf, s->name) != NULL)
        return "service named twice";
    for (int i = 2; i < w->count; i++) {
        const char *bad = service_key(w->start[i], w->len[i], s);
        if (bad != NULL)
            return bad;
    }
    s->line = line;
    conf->service_count++;
    return NULL;
}

/* The messages below name the limit; this keeps them true. */
_Static_assert(BOOTCONF_NAME_MAX == 32, "update the 'at most 31 characters' messages");

static const char *parse_line(const struct words *w, struct bootconf *conf, int line)
{
    if (w->count == 0)
        return NULL;
    if (word_is(w, 0, "module")) {
        if (w->count != 3)
            return "module takes NAME and PATH";
        if (conf->module_count == conf->module_cap)
            return "more module lines than the table was sized for (see bootconf_count)";
        struct bootconf_module *m = &conf->modules[conf->module_count];
        if (copy_word(w, 1, m->name, sizeof m->name) != 0)
            return "module name too long (at most 31 characters)";
        if (strcmp(m->name, "boot.conf") == 0)
            return "the name boot.conf is reserved for this file";
        for (size_t i = 0; i < conf->module_count; i++) {
            if (strcmp(conf->modules[i].name, m->name) == 0)
                return "module name used twice";
        }
        m->path = w->start[2];
        m->path_len = w->len[2];
        m->line = line;
        conf->module_count++;
        return NULL;
    }
    if (word_is(w, 0, "place")) {
        if (w->count != 3)
            return "place takes NAME and CORE";
        if (conf->place_count == conf->place_cap)
            return "more place lines than the table was sized for (see bootconf_count)";
        struct bootconf_place *p = &conf->places[conf->place_count];
        if (copy_word(w, 1, p->name, sizeof p->name) != 0)
            return "place name too long (at most 31 characters)";
        if (parse_core(w, 2, &p->core) != 0)
            return "CORE must be a number or \"any\"";
        p->line = line;
        conf->place_count++;
        return NULL;
    }
    if (word_is(w, 0, "service"))
        return parse_service(w, conf, line);
    if (word_is(w, 0, "program")) {
        /* For the build, which puts it into the root image: checked, not kept. */
        char name[BOOTCONF_NAME_MAX];
        if (w->count != 3)
            return "program takes NAME and PATH";
        if (copy_word(w, 1, name, sizeof name) != 0)
            return "program name too long (at most 31 characters)";
        return NULL;
    }
    return "unknown keyword (expected module, program, place or service)";
}

/* Calls fn for each line, split into words, until fn or the split says what
 * is wrong with one; returns that line's number (0: none) and *why. */
typedef const char *line_fn(const struct words *w, struct bootconf *conf, int line);

static int each_line(const char *text, size_t len, line_fn *fn, struct bootconf *conf,
                     const char **why)
{
    int line = 1;
    size_t pos = 0;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t line_len = nl ? (size_t)(nl - (text + pos)) : len - pos;
        if (memchr(text + pos, '\0', line_len) != NULL) {
            *why = "NUL byte in text";
            return line;
        }
        struct words w;
        const char *bad = split(text + pos, line_len, &w) != 0 ? "too many words" : NULL;
        if (bad == NULL)
            bad = fn(&w, conf, line);
        if (bad != NULL) {
            *why = bad;
            return line;
        }
        pos += line_len + (nl ? 1 : 0);
        line++;
    }
    *why = NULL;
    return 0;
}

static const char *count_line(const struct words *w, struct bootconf *conf, int line)
{
    (void)line;
    if (w->count > 0 && word_is(w, 0, "module"))
        conf->module_count++;
    else if (w->count > 0 && word_is(w, 0, "place"))
        conf->place_count++;
    else if (w->count > 0 && word_is(w, 0, "service"))
        conf->service_count++;
    return NULL;
}

void bootconf_count(const char *text, size_t len, struct bootconf *conf)
{
    struct bootconf counts = {0};
    const char *why;
    (void)each_line(text, len, count_line, &counts, &why);
    conf->module_cap = counts.module_count;
    conf->place_cap = counts.place_count;
    conf->service_cap = counts.service_count;
}

int bootconf_parse(const char *text, size_t len, struct bootconf *conf, const char **why)
{
    conf->module_count = 0;
    conf->place_count = 0;
    conf->service_count = 0;
    return each_line(text, len, parse_line, conf, why);
}

const struct bootconf_service *bootconf_service(const struct bootconf *conf, const char *name)
{
    for (size_t i = 0; i < conf->service_count; i++) {
        if (strcmp(conf->services[i].name, name) == 0)
            return &conf->services[i];
    }
    return NULL;
}

bool bootconf_service_has_device(const struct bootconf_service *s, const char *device)
{
    size_t want = strlen(device);
    for (const char *p = s->devices; *p != '\0';) {
        const char *comma = strchr(p, ',');
        size_t n = comma != NULL ? (size_t)(comma - p) : strlen(p);
        if (n == want && memcmp(p, device, n) == 0)
            return true;
        p += n + (comma != NULL ? 1 : 0);
    }
    return false;
}
