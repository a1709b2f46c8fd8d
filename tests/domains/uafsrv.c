/* uafsrv.c — a test-only server with a planted use after free, for the
 * hosted platform's sanitizer build (docs/hosted.md): "uafsrv" registers its
 * name and answers each ping (ping_proto.h) from a record it has already
 * freed; "uafsrv call" is its client. Built without the sanitizer the bug
 * goes unseen (the freed memory still holds the values); with it, the read
 * is reported and the server ends. */
#include <chan.h>
#include <proto_chan.h>
#include <server.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>

#include "ping_proto.h"

PROTO_CHAN_CALLS(PING_MESSAGES)

#define NAME    "uafsrv"
#define FIND_NS 10000000000ull

struct record {
    uint64_t seq;
    uint32_t core;
};

static int serve_ping(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)c;
    struct record *rec = malloc(sizeof *rec);
    if (rec == NULL)
        return ERR_NOMEM;
    rec->seq = msg_payload_const(m, struct ping)->seq;
    rec->core = sys_core_id();
    free(rec);
    struct ping *answer = msg_payload(r, struct ping);
    answer->seq = ((volatile struct record *)rec)->seq; /* the planted bug */
    answer->core = rec->core;
    return OK;
}

static const struct srv_op ops[] = {SRV_OPS(PING_MESSAGES)};

static int call(void)
{
    struct chan c;
    err_t err = chan_lookup_wait(NAME, &c, FIND_NS);
    struct ping answer;
    if (err == OK)
        err = ping(&c, &(struct ping){.seq = 7}, &answer);
    printf("uafsrv call: %s\n", err == OK ? "answered" : err_str(err));
    return err == OK ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "call") == 0)
        return call();
    struct srv server = {.name = NAME, SRV_TABLE(ops)};
    err_t err = srv_start(&server);
    if (err != OK) {
        printf("uafsrv: cannot register: %s\n", err_str(err));
        return 1;
    }
    printf("uafsrv: serving\n");
    srv_run(&server);
}
