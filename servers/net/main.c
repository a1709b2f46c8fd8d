/* main.c — NET, the network server: lwIP (NO_SYS) with the loopback
 * interface and an Ethernet interface for each network device the bus
 * driver found, configured by DHCP, and the protocol of proto/net.h for
 * clients on every core. One event loop serves the drivers' answers, the
 * clients' requests and lwIP's timers (driven by the domain's alarm); lwIP
 * is entered from nowhere else. */
#include "net.h"

#include <chan.h>
#include <fmt.h>
#include <proto/bus.h>
#include <proto_chan.h>
#include <stdlib.h>
#include <sys.h>

PROTO_CHAN_CALLS(BUS_MESSAGES)

#define BUS_WAIT_NS    20000000000ull
#define DRIVER_WAIT_NS 30000000000ull
#define VIRTIO_NET     1
#define NOTIFY_TIMER   (1ull << 1)

static const struct srv_op ops[] = {SRV_OPS(NET_MESSAGES)};

static void left(struct srv *s, struct srv_client *c)
{
    (void)s;
    ping_left(c);
    sock_left(c);
}

struct srv net_srv = {
    .name = NET_NAME, .left = left, .state_bytes = sizeof(struct net_waiter), SRV_TABLE(ops)};

struct srv_client *net_client(uint32_t gen)
{
    for (unsigned i = 0; gen != 0 && i < srv_clients(&net_srv); i++) {
        struct srv_client *c = srv_client_at(&net_srv, i);
        if (c != NULL && c->gen == gen)
            return c;
    }
    return NULL;
}

/* How many network devices the bus driver found; 0 without one. */
static unsigned count_devices(void)
{
    struct chan bus;
    if (chan_connect(BUS_NAME, &bus, BUS_WAIT_NS) != OK)
        return 0;
    unsigned count = 0;
    struct bus_device d;
    for (uint32_t i = 0; bus_device(&bus, &(struct bus_ask){i}, &d) == OK; i++)
        count += d.virtio_type == VIRTIO_NET;
    chan_drop(&bus);
    return count;
}

static void addr_str(char *buf, size_t cap, uint32_t a)
{
    fmt_format(buf, cap, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

static unsigned prefix_len(uint32_t mask)
{
    unsigned n = 0;
    while (n < 32 && (mask & (0x80000000u >> n)))
        n++;
    return n;
}

/* lwIP says an interface's address changed: the line that says where NET is. */
static void status_changed(struct netif *n)
{
    struct link *l = link_of(n);
    if (l == NULL || !dhcp_supplied_address(n))
        return;
    char addr[16], gw[24] = "no gateway";
    addr_str(addr, sizeof addr, net_addr_of(netif_ip4_addr(n)));
    uint32_t gateway = net_addr_of(netif_ip4_gw(n));
    if (gateway != 0) /* QEMU's restricted network names none */
        addr_str(gw, sizeof gw, gateway);
    sys_printf("net: %s %s/%u %s%s (DHCP)\n", l->name, addr,
               prefix_len(net_addr_of(netif_ip4_netmask(n))), gateway != 0 ? "gw " : "", gw);
}

static void interfaces_start(void)
{
    unsigned count = count_devices();
    if (count == 0)
        sys_printf("net: no network device; loopback only\n");
    for (unsigned i = 0; i < count; i++) {
        struct link *l;
        err_t err = link_add(i, DRIVER_WAIT_NS, &l);
        if (err == ERR_NOMEM) {
            sys_printf("net: eth%u: out of memory\n", i);
            continue;
        }
        if (err != OK)
            sys_printf("net: %s: no driver yet (%s); trying again\n", l->name, err_str(err));
        if (i == 0)
            netif_set_default(&l->netif);
        netif_set_status_callback(&l->netif, status_changed);
        netif_set_up(&l->netif);
        if (dhcp_start(&l->netif) != ERR_OK)
            sys_printf("net: %s: DHCP cannot start\n", l->name);
    }
}

/* lwIP's timers, and frames the loopback interface queued; then the alarm
 * for the next timer, moved only when that is sooner than the one set. */
static void timers_run(void)
{
    static uint64_t armed_ns;
    netif_poll_all();
    sys_check_timeouts();
    u32_t ms = sys_timeouts_sleeptime();
    if (ms == SYS_TIMEOUTS_SLEEPTIME_INFINITE)
        return;
    uint64_t now = sys_now_ns(), at = now + (uint64_t)ms * 1000000u;
    if (armed_ns <= now || at < armed_ns) {
        if (sys_alarm(at, NOTIFY_TIMER) == OK)
            armed_ns = at;
    }
}

int main(void)
{
    lwip_init();
    err_t err = ping_init();
    if (err == OK)
        interfaces_start();
    if (err == OK)
        err = srv_start(&net_srv);
    if (err != OK) {
        sys_printf("net: cannot serve %s: %s\n", NET_NAME, err_str(err));
        return 1;
    }
    sys_printf("net: serving on core %u\n", sys_core_id());
    for (;;) {
        do /* a waiting call that ran may have sent on the loopback interface */
            timers_run();
        while (sock_wakeups());
        srv_serve_one(&net_srv);
    }
}
