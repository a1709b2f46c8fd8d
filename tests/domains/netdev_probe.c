/* netdev_probe — sends eth0 every bad request of proto/netdev.h: without a
 * grant, too little room, outside the grant or wrapping around, frames too
 * short or too long; a second client while the first owns the device; each
 * gets its error, and every answer carries its request's tag. Then the driver
 * still moves frames: an ARP request for QEMU's gateway goes out, and its
 * reply comes back into the grant. Run it with NET stopped (NET owns eth0
 * otherwise). Reports with probe.h. */
#include <chan.h>
#include <grant.h>
#include <proto/netdev.h>
#include <proto_chan.h>
#include <stdint.h>
#include <string.h>

#include "probe.h"

PROTO_CHAN_CALLS(NETDEV_MESSAGES)

#define FIND_NS 30000000000ull
#define GRANT   (16 * 1024)
#define TAG     0x5eedull

/* One receive or send, answered with TAG (ERR_BADHDR if the answer is not
 * this request's); the frame's length to *bytes. */
static err_t call(struct chan *c, uint16_t type, uint64_t offset, uint32_t bytes, uint32_t *got)
{
    msg_t m = {.type = type, .len = sizeof(struct netdev_buf)}, r;
    *msg_payload(&m, struct netdev_buf) =
        (struct netdev_buf){.offset = offset, .bytes = bytes, .tag = TAG};
    err_t err = chan_call(c, &m, &r);
    if (err != OK)
        return err;
    const struct netdev_done *d = msg_payload_const(&r, struct netdev_done);
    if (r.len < sizeof *d || d->tag != TAG)
        return ERR_BADHDR;
    if (got != NULL)
        *got = d->bytes;
    return proto_reply_err(&r);
}

/* An ARP request from 10.0.2.15 for 10.0.2.2, from mac. */
static uint32_t arp_request(uint8_t *f, const uint8_t mac[6])
{
    static const uint8_t head[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    static const uint8_t arp[] = {0x08, 0x06, 0, 1, 0x08, 0, 6, 4, 0, 1};
    memset(f, 0, 60);
    memcpy(f, head, 6), memcpy(f + 6, mac, 6), memcpy(f + 12, arp, sizeof arp);
    memcpy(f + 22, mac, 6);
    static const uint8_t ips[] = {10, 0, 2, 15, 0, 0, 0, 0, 0, 0, 10, 0, 2, 2};
    memcpy(f + 28, ips, 4), memcpy(f + 38, ips + 10, 4);
    return 60;
}

static bool is_arp_reply(const uint8_t *f, uint32_t bytes)
{
    return bytes >= 42 && f[12] == 0x08 && f[13] == 0x06 && f[20] == 0 && f[21] == 2;
}

int main(void)
{
    probe_name = "netdev_probe";
    struct chan first, second;
    struct netdev_info info;
    struct grant g;
    if (chan_connect("eth0", &first, FIND_NS) != OK ||
        chan_connect("eth0", &second, FIND_NS) != OK || netdev_info(&first, NULL, &info) != OK) {
        sys_printf("netdev_probe: no eth0\n");
        return 1;
    }
    expect("a receive without a grant", call(&first, NETDEV_RECV, 0, 2048, NULL), ERR_NOENT);
    if (grant_offer(&first, GRANT, &g) != OK)
        return 1;
    expect("a receive with room for less than a frame",
           call(&first, NETDEV_RECV, 0, info.frame_max - 1, NULL), ERR_RANGE);
    expect("a receive at the grant's end", call(&first, NETDEV_RECV, GRANT, 2048, NULL), ERR_RANGE);
    expect("a receive running past the grant", call(&first, NETDEV_RECV, GRANT - 1000, 2048, NULL),
           ERR_RANGE);
    expect("a receive whose offset wraps around",
           call(&first, NETDEV_RECV, UINT64_MAX - 100, 2048, NULL), ERR_RANGE);
    expect("a frame shorter than a header",
           call(&first, NETDEV_SEND, 0, NETDEV_FRAME_MIN - 1, NULL), ERR_INVAL);
    expect("a frame longer than frame_max", call(&first, NETDEV_SEND, 0, info.frame_max + 1, NULL),
           ERR_INVAL);
    expect("a frame running past the grant", call(&first, NETDEV_SEND, GRANT - 20, 60, NULL),
           ERR_RANGE);
    expect("a second client's receive while the first owns it",
           call(&second, NETDEV_RECV, 0, 2048, NULL), ERR_BUSY);
    expect("a second client's send", call(&second, NETDEV_SEND, 0, 60, NULL), ERR_BUSY);
    uint8_t *frames = (uint8_t *)g.va;
    uint32_t bytes = arp_request(frames, info.mac);
    expect("an ARP request for the gateway goes out", call(&first, NETDEV_SEND, 0, bytes, NULL),
           OK);
    err_t err = ERR_NOENT;
    for (int i = 0; i < 8 && err == ERR_NOENT; i++) {
        uint32_t got = 0;
        err = call(&first, NETDEV_RECV, 4096, 2048, &got);
        if (err == OK && !is_arp_reply(frames + 4096, got))
            err = ERR_NOENT; /* some other frame: take the next */
    }
    expect("its reply comes back into the grant", err, OK);
    return probe_done();
}
