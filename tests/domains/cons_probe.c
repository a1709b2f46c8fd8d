/* cons_probe — malformed requests to the console driver on a channel of its
 * own: each gets an error answer, and the driver still writes afterwards. On
 * the driver's core it also calls it over LMP, which the driver refuses. */
#include <chan.h>
#include <proto/console.h>
#include <proto/ns.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct chan raw;
static int checks, failures;

static void check(bool ok, const char *what)
{
    checks++;
    failures += !ok;
    printf("cons_probe: %s %s\n", ok ? "ok" : "FAIL", what);
}

/* The answer's type to a raw request, or -1 if none came. */
static int ask(msg_t *m)
{
    msg_t r;
    return chan_call(&raw, m, &r) == OK ? r.type : -1;
}

int main(void)
{
    const char *name = getenv(CONSOLE_ENV);
    if (name == NULL || chan_connect(name, &raw, 2000000000ull) != OK) {
        printf("cons_probe: FAIL no console driver to probe\n");
        return 1;
    }
    msg_t m = {.type = CONS_WRITE};
    msg_payload(&m, struct cons_data)->len = 100000;
    check(ask(&m) == ERR_INVAL, "a write longer than a message is refused");
    m = (msg_t){.type = 0x3ff};
    check(ask(&m) == ERR_NOSYS, "an unknown request is refused");
    m = (msg_t){.type = CONS_FOREGROUND};
    msg_payload(&m, struct cons_foreground)->pid = -42; /* no answer: it means none */
    check(chan_send(&raw, &m) == OK, "a negative foreground pid is taken as none");
    m = (msg_t){.type = CONS_WRITE};
    struct cons_data *d = msg_payload(&m, struct cons_data);
    strcpy(d->data, "cons_probe: the driver still writes\n");
    d->len = (uint32_t)strlen(d->data);
    check(ask(&m) == 0, "a good write after them is answered");
    m = (msg_t){.type = CONS_SYNC};
    check(ask(&m) == 0, "a sync is answered");
    struct chan local;
    if (chan_lookup(name, &local) == OK && local.kind == NS_LOCAL) {
        msg_t r;
        m = (msg_t){.type = CONS_WRITE};
        check(chan_call(&local, &m, &r) == OK && r.type == ERR_NOSYS,
              "a request over LMP, without a channel of its own, is refused");
    }
    printf("cons_probe: %d/%d checks passed\n", checks - failures, checks);
    return failures;
}
