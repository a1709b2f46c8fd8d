/* lmp_client.c — finds "echo" through its monitor's name service and checks
 * local message passing against it: calls answered in order, notifications
 * that accumulate, a capability passed along, refusals without a capability,
 * and ERR_DEAD once the server is gone. Prints the call round trip. */
#include <lmp.h>
#include <ns_calls.h>
#include <slot_alloc.h>
#include <string.h>
#include <sys.h>
#include <va_layout.h>

#include "probe.h"

#include "lmp_echo.h"

#define CALLS 10000

static capaddr_t echo; /* the server's endpoint */

static err_t lookup(const char *name, capaddr_t slot)
{
    struct ns_name q = {.flags = 0};
    struct ns_found found;
    strcpy(q.name, name);
    return ns_lookup(&q, &found, 0, slot);
}

static uint64_t call(uint16_t type, uint64_t v, capaddr_t give, err_t *err)
{
    msg_t m = {.type = type}, r;
    memcpy(m.payload, &v, sizeof v);
    *err = lmp_call(echo, &m, &r, give, 0);
    if (*err == OK && r.type != OK)
        *err = (err_t)r.type;
    memcpy(&v, r.payload, sizeof v);
    return v;
}

int main(void)
{
    probe_name = "lmp_client";
    capaddr_t frame, nobody, empty; /* empty: never filled */
    uintptr_t frame_va;
    if (slot_alloc(&echo) != OK || slot_alloc(&frame) != OK || slot_alloc(&nobody) != OK ||
        slot_alloc(&empty) != OK || va_alloc(VA_PAGE, &frame_va) != OK) {
        sys_printf("lmp_client: no slots or addresses to work with\n");
        return 1;
    }
    err_t err;
    for (int tries = 0; (err = lookup("echo", echo)) == ERR_NOENT && tries < 3000; tries++)
        sys_sleep_ns(10000000); /* the server may not have registered yet */
    expect("look up echo", err, OK);
    expect("look up a name nobody registered", lookup("nobody", nobody), ERR_NOENT);
    struct ns_name bad = {.flags = 0};
    struct ns_found found;
    memset(bad.name, 'x', NS_NAME_MAX);
    expect("a name without its terminator is refused", ns_lookup(&bad, &found, 0, 0), ERR_INVAL);

    uint64_t start = sys_now_ns();
    unsigned wrong = 0;
    for (uint64_t i = 0; i < CALLS; i++)
        wrong += call(ECHO_PING, i, 0, &err) != i + 1 || err != OK;
    uint64_t ns = sys_now_ns() - start;
    expect("10000 calls answered, in order", wrong == 0 ? OK : ERR_INVAL, OK);
    sys_printf("lmp_client: call round trip %llu ns (%u calls)\n", (unsigned long long)(ns / CALLS),
               CALLS);

    expect("notify 1", lmp_notify(echo, 1), OK);
    expect("notify 2", lmp_notify(echo, 2), OK);
    expect("notify 4", lmp_notify(echo, 4), OK);
    uint64_t bits = call(ECHO_BITS, 0, 0, &err);
    expect("the notification bits accumulate to 7", err == OK && bits == 7 ? OK : ERR_INVAL, OK);

    expect("make a frame", cap_retype(CAP_SLOT_RAM, frame, CAP_FRAME, 4096, NULL), OK);
    expect("map it", frame_map(frame, frame_va, 1), OK);
    *(volatile uint64_t *)frame_va = 0xfeedface;
    uint64_t seen = call(ECHO_FRAME, 0, frame, &err);
    expect("pass the frame: the server reads what was written",
           seen == 0xfeedface ? err : ERR_INVAL, OK);

    msg_t m = {.type = ECHO_PING}, r;
    expect("call through an empty slot", lmp_call(empty, &m, &r, 0, 0), ERR_NOENT);
    expect("call through a RAM capability", lmp_call(CAP_SLOT_RAM, &m, &r, 0, 0), ERR_PERM);
    expect("pass a capability one does not have", lmp_call(echo, &m, &r, empty, 0), ERR_NOENT);

    (void)call(ECHO_QUIT, 0, 0, &err);
    expect("tell the server to quit", err, OK);
    for (int tries = 0; tries < 100 && (call(ECHO_PING, 0, 0, &err), err != ERR_DEAD); tries++)
        sys_sleep_ns(1000000);
    expect("a call to the dead server fails cleanly", err, ERR_DEAD);
    return probe_done();
}
