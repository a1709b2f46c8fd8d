/* bench.c — `blk bench DISK MIB [READS]`: sequential reads and writes of
 * 1 MiB (sixteen requests of 64 KiB in flight) over MIB mebibytes, and READS
 * (default 2000) random 4 KiB reads at queue depth 1 and 16, timed with the system's clock. Under
 * QEMU TCG the times are emulated: compare them with each other and with the
 * host's figures from the same run (tools/bench --blk), not with hardware. */
#include "blk.h"

#include <proto/blk.h>
#include <stdio.h>
#include <sys.h>

struct bench {
    struct chan *disk;
    uint8_t *grant;
    struct blk_info info;
    uint64_t sent, answered;
    unsigned reads;
    err_t err;
};

static err_t send_io(struct bench *b, uint16_t type, uint64_t lba, uint64_t offset, uint32_t bytes)
{
    msg_t m = {.type = type, .len = sizeof(struct blk_io)};
    *msg_payload(&m, struct blk_io) =
        (struct blk_io){.lba = lba, .offset = offset, .bytes = bytes, .tag = b->sent};
    b->sent++;
    return chan_send(b->disk, &m);
}

static err_t take_answer(struct bench *b)
{
    msg_t r;
    err_t err = chan_recv(b->disk, &r);
    b->answered++;
    return err == OK ? (err_t)r.type : err;
}

/* MIB mebibytes from sector 0, 1 MiB at a time, its 64 KiB pieces in flight. */
static err_t sequential(struct bench *b, uint16_t type, uint64_t mib)
{
    uint32_t piece = b->info.max_bytes, pieces = (1u << 20) / piece;
    for (uint64_t i = 0; i < mib; i++) {
        for (uint32_t k = 0; k < pieces; k++) {
            uint64_t at = (i << 20) + (uint64_t)k * piece;
            err_t err = send_io(b, type, at / BLK_SECTOR, (uint64_t)k * piece, piece);
            if (err != OK)
                return err;
        }
        for (uint32_t k = 0; k < pieces; k++) {
            err_t err = take_answer(b);
            if (err != OK)
                return err;
        }
    }
    return OK;
}

/* b->reads reads of 4 KiB at random 4 KiB-aligned places, depth in flight. */
static err_t random_reads(struct bench *b, uint64_t blocks, unsigned depth)
{
    uint32_t x = 12345;
    unsigned sent = 0, done = 0;
    while (done < b->reads) {
        while (sent < b->reads && sent - done < depth) {
            x = x * 1664525u + 1013904223u;
            uint64_t block = ((uint64_t)x << 16 ^ x >> 8) % blocks;
            err_t err = send_io(b, BLK_READ, block * 8, (uint64_t)(sent % 16) * 4096, 4096);
            if (err != OK)
                return err;
            sent++;
        }
        err_t err = take_answer(b);
        if (err != OK)
            return err;
        done++;
    }
    return OK;
}

int blk_bench(struct chan *disk, uint8_t *grant, const struct blk_info *info, uint64_t mib,
              unsigned reads)
{
    struct bench b = {.disk = disk, .grant = grant, .info = *info, .reads = reads};
    if (mib == 0 || reads == 0 || mib * 2048 > info->sectors || info->max_bytes < 4096 ||
        (1u << 20) % info->max_bytes != 0) {
        fprintf(stderr, "blk: bench needs MIB mebibytes of disk and requests of 4 KiB\n");
        return 2;
    }
    uint64_t t0 = sys_now_ns();
    err_t err = sequential(&b, BLK_WRITE, mib);
    uint64_t t1 = sys_now_ns();
    if (err == OK)
        err = sequential(&b, BLK_READ, mib);
    uint64_t t2 = sys_now_ns();
    if (err == OK)
        err = random_reads(&b, mib * 256, 1);
    uint64_t t3 = sys_now_ns();
    if (err == OK)
        err = random_reads(&b, mib * 256, 16);
    uint64_t t4 = sys_now_ns();
    if (err != OK) {
        fprintf(stderr, "blk: bench: %s\n", err_str(err));
        return 1;
    }
    uint64_t bytes = mib << 20;
    printf("blkbench seqwrite %lu MB/s\n", (unsigned long)(bytes * 1000 / (t1 - t0)));
    printf("blkbench seqread %lu MB/s\n", (unsigned long)(bytes * 1000 / (t2 - t1)));
    printf("blkbench randread qd1 %lu IOPS\n",
           (unsigned long)((uint64_t)reads * 1000000000ull / (t3 - t2)));
    printf("blkbench randread qd16 %lu IOPS\n",
           (unsigned long)((uint64_t)reads * 1000000000ull / (t4 - t3)));
    return 0;
}
