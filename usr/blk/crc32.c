/* crc32.c — CRC-32 with zlib's polynomial (reflected 0xedb88320), so that a
 * sum made here equals Python's zlib.crc32 of the same bytes. */
#include "blk.h"

uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n)
{
    static uint32_t table[256];
    if (table[1] == 0) {
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++)
                c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
    }
    crc = ~crc;
    while (n--)
        crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

void pattern_fill(uint8_t *p, uint64_t lba, uint32_t sectors, uint32_t seed)
{
    for (uint32_t s = 0; s < sectors; s++) {
        uint32_t x = seed ^ (uint32_t)((lba + s) * 2654435761u);
        for (uint32_t i = 0; i < BLK_SECTOR; i += 4) {
            x = x * 1664525u + 1013904223u;
            p[i] = (uint8_t)x, p[i + 1] = (uint8_t)(x >> 8);
            p[i + 2] = (uint8_t)(x >> 16), p[i + 3] = (uint8_t)(x >> 24);
        }
        p += BLK_SECTOR;
    }
}
