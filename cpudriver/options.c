/* options.c — the kernel command line: words separated by blanks.
 *   poweroff          power the machine off once every core is ready
 *   spawn=NAME@CORE   also start boot-archive module NAME on core CORE
 *   panic=CORE        core CORE panics once online (to test the panic path)
 * Words for user space (run=..., init's; mon..., the monitors' probes) are left
 * to it.
 * A first word containing '/' is the kernel's path (QEMU puts it there).
 * spawn= words are not stored: each core walks the command line for its own
 * (options_next_spawn), so their number is bounded only by its length. */
#include <boot.h>
#include <string.h>

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n'; }

static bool parse_core(const char *num, size_t len, coreid_t *core)
{
    if (len == 0 || len > 3)
        return false;
    coreid_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (num[i] < '0' || num[i] > '9')
            return false;
        v = v * 10 + (coreid_t)(num[i] - '0');
    }
    *core = v;
    return true;
}

static bool parse_spawn(const char *w, size_t len, struct boot_spawn *s)
{
    const char *at = memchr(w, '@', len);
    if (at == NULL || at == w || (size_t)(at - w) >= sizeof s->name)
        return false;
    size_t name_len = (size_t)(at - w);
    if (!parse_core(at + 1, len - name_len - 1, &s->core))
        return false;
    memcpy(s->name, w, name_len);
    s->name[name_len] = '\0';
    return true;
}

static bool word_is(const char *w, size_t len, const char *s)
{
    return len == strlen(s) && memcmp(w, s, len) == 0;
}

/* Words read elsewhere: by user space, or by the RISC-V early boot (boothart=). */
static bool read_elsewhere(const char *w, size_t len)
{
    static const char *const prefixes[] = {"run=", "mon", "init=", "boothart="};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        size_t n = strlen(prefixes[i]);
        if (len >= n && memcmp(w, prefixes[i], n) == 0)
            return true;
    }
    return false;
}

/* The next word after *p (and moves *p past it), skipping the kernel's path
 * if it is the first word; NULL at the end. */
static const char *next_word(const char *cmdline, const char **p, size_t *len)
{
    for (;;) {
        while (is_blank(**p))
            (*p)++;
        const char *w = *p;
        while (**p && !is_blank(**p))
            (*p)++;
        *len = (size_t)(*p - w);
        if (*len == 0)
            return NULL;
        const char *first = cmdline;
        while (is_blank(*first))
            first++;
        if (w != first || memchr(w, '/', *len) == NULL)
            return w;
    }
}

static bool is_spawn(const char *w, size_t len) { return len > 6 && memcmp(w, "spawn=", 6) == 0; }

bool options_next_spawn(const char *cmdline, const char **pos, struct boot_spawn *s)
{
    if (*pos == NULL)
        *pos = cmdline;
    const char *w;
    size_t len;
    while ((w = next_word(cmdline, pos, &len)) != NULL) {
        if (is_spawn(w, len) && parse_spawn(w + 6, len - 6, s))
            return true;
    }
    return false;
}

void options_parse(const char *cmdline, struct options *opts, bool report)
{
    memset(opts, 0, sizeof *opts);
    opts->panic_core = -1;
    const char *p = cmdline, *w;
    size_t len;
    while ((w = next_word(cmdline, &p, &len)) != NULL) {
        if (word_is(w, len, "poweroff")) {
            opts->poweroff = true;
        } else if (is_spawn(w, len)) {
            struct boot_spawn s;
            if (!parse_spawn(w + 6, len - 6, &s) && report)
                kprintf("boot: bad spawn= option ignored (spawn=NAME@CORE, NAME at most %u "
                        "characters)\n",
                        (unsigned)sizeof s.name - 1);
        } else if (read_elsewhere(w, len)) {
            continue;
        } else if (len > 6 && memcmp(w, "panic=", 6) == 0) {
            coreid_t core;
            if (parse_core(w + 6, len - 6, &core))
                opts->panic_core = (int)core;
            else if (report)
                kprintf("boot: bad panic= option ignored\n");
        } else if (report) {
            char word[48];
            size_t n = len < sizeof word - 1 ? len : sizeof word - 1;
            memcpy(word, w, n);
            word[n] = '\0';
            kprintf("boot: unknown kernel option '%s' ignored\n", word);
        }
    }
}
