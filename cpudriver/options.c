/* options.c — the kernel command line: words separated by blanks.
 *   poweroff          power the machine off once every core is ready
 *   spawn=NAME@CORE   also start boot-archive module NAME on core CORE
 *   panic=CORE        core CORE panics once online (to test the panic path)
 *   run=PROG,ARG,...  run PROG on the boot core once all are up; its exit status
 *                     ends the system (arguments percent-encoded: %2C, %20, %25)
 * A first word containing '/' is the kernel's path (QEMU puts it there). */
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

static int hex(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes run=...: comma-separated, percent-encoded words into opts->run. */
static bool parse_run(const char *w, size_t len, struct options *opts)
{
    size_t out = 0;
    opts->run.argc = 0;
    opts->run.argv[opts->run.argc++] = opts->run_buf;
    for (size_t i = 0; i < len; i++) {
        char c = w[i];
        if (c == ',') {
            if (opts->run.argc == SPAWN_ARGS_MAX)
                return false;
            c = '\0';
        } else if (c == '%') {
            int hi = i + 2 < len ? hex(w[i + 1]) : -1, lo = i + 2 < len ? hex(w[i + 2]) : -1;
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
                return false;
            c = (char)(hi * 16 + lo);
            i += 2;
        }
        if (out + 1 >= sizeof opts->run_buf)
            return false;
        opts->run_buf[out++] = c;
        if (c == '\0' && w[i] == ',')
            opts->run.argv[opts->run.argc++] = opts->run_buf + out;
    }
    opts->run_buf[out] = '\0';
    return opts->run_buf[0] != '\0';
}

static bool word_is(const char *w, size_t len, const char *s)
{
    return len == strlen(s) && memcmp(w, s, len) == 0;
}

void options_parse(const char *cmdline, struct options *opts, bool report)
{
    memset(opts, 0, sizeof *opts);
    opts->panic_core = -1;
    const char *p = cmdline;
    bool first = true;
    while (*p) {
        while (is_blank(*p))
            p++;
        const char *w = p;
        while (*p && !is_blank(*p))
            p++;
        size_t len = (size_t)(p - w);
        if (len == 0)
            break;
        bool path = first && memchr(w, '/', len) != NULL;
        first = false;
        if (path)
            continue;
        if (word_is(w, len, "poweroff")) {
            opts->poweroff = true;
        } else if (len > 6 && memcmp(w, "spawn=", 6) == 0) {
            if (opts->spawn_count < OPT_MAX_SPAWN &&
                parse_spawn(w + 6, len - 6, &opts->spawn[opts->spawn_count]))
                opts->spawn_count++;
            else if (report)
                kprintf("boot: bad or too many spawn= options; ignored one\n");
        } else if (len > 4 && memcmp(w, "run=", 4) == 0) {
            if (!parse_run(w + 4, len - 4, opts)) {
                opts->run.argc = 0;
                if (report)
                    kprintf("boot: bad run= option ignored\n");
            }
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
