/* blk_probe [write] — sends disk1 (the first disk after the root) every bad request: without a
 * grant, past the end of the disk, of no length or not whole sectors, too large, outside the grant;
 * a second client reads through the first client's offsets; each gets its error. Then the driver
 * still answers: a good read, and with "write" (on a read-only disk) the device's own error.
 * Reports with probe.h; the last good read's sector 0 CRC is checked by the test. */
#include <chan.h>
#include <grant.h>
#include <proto/blk.h>
#include <proto_chan.h>
#include <stdint.h>
#include <string.h>

#include "probe.h"

PROTO_CHAN_CALLS(BLK_MESSAGES)

#define FIND_NS 30000000000ull
#define GRANT   (64 * 1024)

static err_t io(struct chan *c, bool write, uint64_t lba, uint64_t offset, uint32_t bytes)
{
    struct blk_done done;
    struct blk_io req = {.lba = lba, .offset = offset, .bytes = bytes, .tag = 42};
    err_t err = write ? blk_write(c, &req, &done) : blk_read(c, &req, &done);
    if (err == OK && (done.tag != 42 || done.bytes != bytes))
        return ERR_BADHDR; /* answered, but not this request */
    return err;
}

int main(int argc, char **argv)
{
    probe_name = "blk_probe";
    struct chan first, second;
    struct blk_info info;
    struct grant g1, g2;
    if (chan_connect("disk1", &first, FIND_NS) != OK ||
        chan_connect("disk1", &second, FIND_NS) != OK ||
        blk_info(&first, &(struct proto_none){}, &info) != OK) {
        sys_printf("blk_probe: no disk1\n");
        return 1;
    }
    uint64_t end = info.sectors;
    expect("a read without a grant", io(&first, false, 0, 0, 512), ERR_NOENT);
    if (grant_offer(&first, GRANT, &g1) != OK)
        return 1;
    expect("the last sector and one past it", io(&first, false, end - 1, 0, 1024), ERR_RANGE);
    expect("a read at the end", io(&first, false, end, 0, 512), ERR_RANGE);
    expect("an LBA that wraps around", io(&first, false, UINT64_MAX, 0, 512), ERR_RANGE);
    expect("a write past the end", io(&first, true, end, 0, 512), ERR_RANGE);
    expect("a length of 0", io(&first, false, 0, 0, 0), ERR_INVAL);
    expect("a length of 100 bytes", io(&first, false, 0, 0, 100), ERR_INVAL);
    expect("a length of 513 bytes", io(&first, false, 0, 0, 513), ERR_INVAL);
    expect("more than one request moves", io(&first, false, 0, 0, info.max_bytes + 512),
           ERR_TOOBIG);
    expect("an offset at the grant's end", io(&first, false, 0, GRANT, 512), ERR_RANGE);
    expect("data running past the grant", io(&first, false, 0, GRANT - 512, 1024), ERR_RANGE);
    expect("an offset that wraps around", io(&first, false, 0, UINT64_MAX - 511, 512), ERR_RANGE);
    expect("the second client, without a grant", io(&second, false, 0, 0, 512), ERR_NOENT);
    if (grant_offer(&second, 4096, &g2) != OK)
        return 1;
    expect("the second client past its own grant, inside the first's",
           io(&second, false, 0, 8192, 512), ERR_RANGE);
    memset((void *)g1.va, 0xa5, GRANT);
    expect("the first client reads the last sector", io(&first, false, end - 1, 0, 512), OK);
    expect("the second client reads sector 0", io(&second, false, 0, 0, 512), OK);
    const uint8_t *mine = (const uint8_t *)g1.va;
    bool untouched = true;
    for (unsigned i = 512; i < GRANT; i++)
        untouched = untouched && mine[i] == 0xa5;
    expect("the first client's grant past its read is untouched", untouched ? OK : ERR_PERM, OK);
    if (argc > 1 && strcmp(argv[1], "write") == 0)
        expect("a write the device refuses", io(&first, true, 0, 0, 512), ERR_IO);
    expect("a good read afterwards", io(&first, false, 0, 0, 4096), OK);
    return probe_done();
}
