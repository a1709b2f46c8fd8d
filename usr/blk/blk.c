/* blk — a block device from the shell:
 *   blk info DISK                  its size
 *   blk sum DISK LBA COUNT         CRC-32 (zlib's) of COUNT sectors from LBA
 *   blk write DISK LBA COUNT SEED  fills them with a pattern made from SEED
 *   blk bench DISK MIB [READS]     throughput and IOPS (bench.c)
 * DISK is disk0, disk1, ... Up to 16 requests are in flight at once. A
 * driver that dies meanwhile (RS starts it again) is dialled again and the
 * requests in flight are sent again: reads and writes of the same sectors
 * from the same grant are safe to repeat. A driver that lives but answers
 * nothing for ANSWER_NS is given up on: "timed out", and status 1. */
#include "blk.h"

#include <chan.h>
#include <errmap.h>
#include <grant.h>
#include <proto/blk.h>
#include <proto_chan.h>
#include <redial.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>

PROTO_REDIAL_CALLS(BLK_MESSAGES)

#define FIND_NS     30000000000ull
#define GRANT_BYTES (1024 * 1024)
#define DEPTH       16
#define ANSWER_NS   5000000000ull /* a request of at most max_bytes takes milliseconds */

static struct redial disk;
static struct blk_info info;

static int fail(const char *what, err_t err)
{
    fprintf(stderr, "blk: %s: %s\n", what, err_str(err));
    return 1;
}

/* Moves sectors [lba, lba + count) through the grant, as many requests in
 * flight as fit; each batch's bytes are at the grant's start when it ends. */
static err_t batch_once(uint16_t type, uint64_t lba, uint32_t count)
{
    uint32_t per = info.max_bytes / BLK_SECTOR, sent = 0, answered = 0;
    uint32_t requests = (count + per - 1) / per;
    while (answered < requests) {
        while (sent < requests && sent - answered < DEPTH) {
            uint32_t first = sent * per, n = count - first < per ? count - first : per;
            msg_t m = {.type = type, .len = sizeof(struct blk_io)};
            *msg_payload(&m, struct blk_io) =
                (struct blk_io){.lba = lba + first,
                                .offset = (uint64_t)first * BLK_SECTOR,
                                .bytes = n * BLK_SECTOR,
                                .tag = sent};
            err_t err = chan_send(&disk.chan, &m);
            if (err != OK)
                return err;
            sent++;
        }
        msg_t r;
        err_t err = chan_recv_by(&disk.chan, &r, sys_now_ns() + ANSWER_NS);
        if (err == OK)
            err = (err_t)r.type;
        if (err != OK)
            return err;
        answered++;
    }
    return OK;
}

/* A batch, sent again whole to the driver's successor if the driver died. */
static err_t batch(uint16_t type, uint64_t lba, uint32_t count)
{
    for (;;) {
        err_t err = batch_once(type, lba, count);
        if (err != ERR_DEAD)
            return err;
        if ((err = redial_again(&disk)) != OK)
            return err;
        fprintf(stderr, "blk: %s: the driver ended; sending again to the one that followed\n",
                disk.name);
    }
}

static int each_batch(uint16_t type, uint64_t lba, uint64_t count, uint32_t seed, uint32_t *crc)
{
    uint32_t most = GRANT_BYTES / BLK_SECTOR;
    for (uint64_t done = 0; done < count;) {
        uint32_t n = count - done < most ? (uint32_t)(count - done) : most;
        if (type == BLK_WRITE)
            pattern_fill((uint8_t *)disk.grant.va, lba + done, n, seed);
        err_t err = batch(type, lba + done, n);
        if (err != OK)
            return fail(type == BLK_WRITE ? "write" : "read", err);
        if (crc != NULL)
            *crc = crc32_update(*crc, (const uint8_t *)disk.grant.va, (size_t)n * BLK_SECTOR);
        done += n;
    }
    return 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: blk info DISK | blk sum DISK LBA COUNT | "
                    "blk write DISK LBA COUNT SEED | blk bench DISK MIB [READS]\n");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return usage();
    err_t err = redial_open(&disk, argv[2], FIND_NS);
    if (err != OK)
        return fail(argv[2], err);
    disk.answer_ns = ANSWER_NS;
    if ((err = blk_info(&disk, &(struct proto_none){}, &info)) != OK)
        return fail("info", err);
    if (strcmp(argv[1], "info") == 0 && argc == 3) {
        printf("%s: %lu sectors of %u bytes\n", argv[2], (unsigned long)info.sectors,
               info.sector_bytes);
        return 0;
    }
    if (argc < 4 || info.sector_bytes != BLK_SECTOR || info.max_bytes < BLK_SECTOR)
        return usage();
    uint64_t lba = strtoull(argv[3], NULL, 0), count = argc > 4 ? strtoull(argv[4], NULL, 0) : 0;
    if ((err = redial_grant(&disk, GRANT_BYTES)) != OK)
        return fail("grant", err);
    if (strcmp(argv[1], "bench") == 0 && argc <= 5)
        return blk_bench(&disk.chan, (uint8_t *)disk.grant.va, &info, lba,
                         argc == 5 ? (unsigned)count : 2000);
    if (strcmp(argv[1], "sum") == 0 && argc == 5) {
        uint32_t crc = 0;
        if (each_batch(BLK_READ, lba, count, 0, &crc) != 0)
            return 1;
        printf("%08lx\n", (unsigned long)crc);
        return 0;
    }
    if (strcmp(argv[1], "write") == 0 && argc == 6) {
        uint32_t seed = (uint32_t)strtoul(argv[5], NULL, 0);
        if (each_batch(BLK_WRITE, lba, count, seed, NULL) != 0)
            return 1;
        struct blk_done d;
        if ((err = blk_flush(&disk, &(struct blk_flush){0}, &d)) != OK)
            return fail("flush", err);
        return 0;
    }
    return usage();
}
