/* init.h — init's parts that talk to the monitor and read its inputs. */
#ifndef INIT_H
#define INIT_H

#include <bootconf.h>
#include <err.h>
#include <stdbool.h>

#define RUN_ARGS_MAX 32

/* Starts PM on core through the monitors, telling it that init is pid 1 and
 * which cores it may choose for programs (any=...). */
err_t start_pm(unsigned core, const char *any);
/* Asks monitor 0 to power the machine off with status. */
void monitor_poweroff(int status);

/* cmdline.c: run=PROG,ARG,... from the kernel command line (percent-encoded:
 * %2C is a comma, %20 a blank, %25 a percent sign) into argv; false if none. */
bool cmdline_run(char **argv, unsigned max);
/* The same decoding for one word; exposed for the host tests. */
bool run_decode(const char *word, char *buf, size_t cap, char **argv, unsigned max);

#endif
