/* probe.h — how the probe domains report: one line per check, "NAME: ok WHAT
 * (error)" or "NAME: FAIL WHAT (error)", then "NAME: N/M checks passed"; the
 * exit status is the number of failed checks. Set probe_name first. */
#ifndef PROBE_H
#define PROBE_H

#include <err.h>
#include <sys.h>

static const char *probe_name = "probe";
static int probe_checks, probe_failures;

static inline void expect(const char *what, err_t got, err_t want)
{
    probe_checks++;
    if (got != want)
        probe_failures++;
    sys_printf("%s: %s %s (%s)\n", probe_name, got == want ? "ok" : "FAIL", what, err_str(got));
}

static inline int probe_done(void)
{
    sys_printf("%s: %d/%d checks passed\n", probe_name, probe_checks - probe_failures,
               probe_checks);
    return probe_failures;
}

#endif
