/* targets.c — the services msgfuzz fuzzes: each name and its protocol's
 * requests (from the protocol's one list), and a real request each must still
 * answer at the end. The names are the ones boot.conf's registers= and the
 * protocols' *_NAME give; a disk or network device that is not there is
 * skipped. */
#include <proto/blk.h>
#include <proto/bus.h>
#include <proto/console.h>
#include <proto/net.h>
#include <proto/netdev.h>
#include <proto/ns.h>
#include <proto/pm.h>
#include <proto/rs.h>
#include <proto/srv.h>

#include "msgfuzz.h"

#define ROW(T, v, n, Rq, Rp, f, ok) {(T), sizeof(Rq)},
#define ROWS(LIST)                  LIST(ROW) SRV_MESSAGES(ROW)
#define N(a)                        (sizeof(a) / sizeof(a)[0])

static const struct row pm_rows[] = {ROWS(PM_MESSAGES)};
static const struct row rs_rows[] = {ROWS(RS_MESSAGES)};
static const struct row cons_rows[] = {ROWS(CONS_MESSAGES)};
static const struct row bus_rows[] = {ROWS(BUS_MESSAGES)};
static const struct row blk_rows[] = {ROWS(BLK_MESSAGES)};
static const struct row netdev_rows[] = {ROWS(NETDEV_MESSAGES)};
static const struct row net_rows[] = {ROWS(NET_MESSAGES)};
static const struct row ns_rows[] = {NS_MESSAGES(ROW)};

struct target targets[] = {
    {.name = "pm", .base = 0x200, .rows = pm_rows, .nrows = N(pm_rows), .check = MSG(PM_GETPID)},
    {.name = "rs",
     .base = 0x400,
     .rows = rs_rows,
     .nrows = N(rs_rows),
     .check = MSG(RS_STATUS)}, /* index 0 */
    {.name = "console",
     .base = 0x300,
     .rows = cons_rows,
     .nrows = N(cons_rows),
     .check = MSG(CONS_SYNC)},
    {.name = "pci",
     .base = 0x900,
     .rows = bus_rows,
     .nrows = N(bus_rows),
     .check = MSG(BUS_DEVICE)}, /* index 0 */
    {.name = "disk0",
     .base = 0xa00,
     .rows = blk_rows,
     .nrows = N(blk_rows),
     .check = MSG(BLK_INFO)},
    {.name = "disk1",
     .base = 0xa00,
     .rows = blk_rows,
     .nrows = N(blk_rows),
     .check = MSG(BLK_INFO)},
    {.name = "eth0",
     .base = 0xb00,
     .rows = netdev_rows,
     .nrows = N(netdev_rows),
     .check = MSG(NETDEV_INFO)},
    {.name = NET_NAME,
     .base = 0xc00,
     .rows = net_rows,
     .nrows = N(net_rows),
     .check = MSG(NET_IFINFO)}, /* index 0, the loopback interface */
    {.name = NULL,
     .base = 0x100,
     .rows = ns_rows,
     .nrows = N(ns_rows),
     .check = MSG(NS_CHANNELS)}, /* this core's monitor */
};
const unsigned ntargets = N(targets);

bool known_type(const struct target *t, uint16_t type)
{
    for (unsigned i = 0; i < t->nrows; i++) {
        if (t->rows[i].type == type)
            return true;
    }
    return false;
}
