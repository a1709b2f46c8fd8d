/* blk.h — the blk utility's parts: CRC-32 and the write pattern (crc32.c). */
#ifndef USR_BLK_H
#define USR_BLK_H

#include <chan.h>
#include <proto/blk.h>
#include <stddef.h>
#include <stdint.h>

#define BLK_SECTOR 512

uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n);
/* Sector lba + s gets 512 bytes of a 32-bit LCG (x = x * 1664525 + 1013904223,
 * little-endian words) seeded with seed ^ (lba + s) * 2654435761. */
void pattern_fill(uint8_t *p, uint64_t lba, uint32_t sectors, uint32_t seed);

/* blk bench (bench.c): throughput and IOPS over the first mib MiB. */
int blk_bench(struct chan *disk, uint8_t *grant, const struct blk_info *info, uint64_t mib,
              unsigned reads);

#endif
