/* hbtest.c — a service for RS's heartbeat test (`service up hbtest
 * heartbeat=MS`). It serves under its own name, so that the skeleton answers
 * RS's pings; it first gives RS an order, which RS must refuse to a service;
 * then, after a while of answering, it stops answering anything, as a server
 * stuck in a loop would, and RS must end it and start it again. */
#include <proto/rs.h>
#include <proto_chan.h>
#include <server.h>
#include <sys.h>

PROTO_CHAN_CALLS(RS_MESSAGES)

#define ANSWERS_NS 600000000ull

static const struct srv_op none[] = {};

int main(void)
{
    struct srv hb = {.name = "hbtest", .ops = none, .nops = 0};
    err_t err = srv_start(&hb);
    if (err != OK) {
        sys_printf("hbtest: cannot register: %s\n", err_str(err));
        return 1;
    }
    struct chan rs;
    struct rs_name victim = {"serial"};
    err = chan_connect(RS_NAME, &rs, 5000000000ull);
    if (err == OK)
        err = rs_stop(&rs, &victim, NULL);
    sys_printf("hbtest: an order from a service to stop serial: %s\n", err_str(err));
    uint64_t until = sys_now_ns() + ANSWERS_NS;
    while (sys_now_ns() < until)
        srv_serve_one(&hb);
    sys_printf("hbtest: stops answering\n");
    for (;;)
        sys_sleep_ns(1000000000ull);
}
