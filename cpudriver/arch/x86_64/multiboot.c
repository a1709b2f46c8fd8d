/* multiboot.c — Multiboot v1 information: memory map, modules, command line.
 * Runs on the boot core before its private data exists: no globals. Every
 * length the loader gives is bounded before use. */
#include <arch/multiboot.h>

#define MBI_MEM     (1u << 0)
#define MBI_CMDLINE (1u << 2)
#define MBI_MODS    (1u << 3)
#define MBI_MMAP    (1u << 6)
#define MMAP_RAM    1
#define LOW_LIMIT   0x100000 /* RAM below 1 MiB is left to firmware and the AP trampoline */

struct mbi {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
};

struct mb_module {
    uint32_t start, end, string, reserved;
};

static paddr_t max_p(paddr_t a, paddr_t b) { return a > b ? a : b; }

static void add_ram(struct boot_info *info, uint64_t base, uint64_t size)
{
    uint64_t end = base + size;
    if (end < base || end <= LOW_LIMIT || info->ram_count == BOOT_MAX_RAM)
        return;
    if (base < LOW_LIMIT)
        base = LOW_LIMIT;
    info->ram[info->ram_count].base = ALIGN_UP(base, PAGE_SIZE);
    info->ram[info->ram_count].size = ALIGN_DOWN(end, PAGE_SIZE) - info->ram[info->ram_count].base;
    info->ram_count++;
}

void multiboot_read(paddr_t mbi_phys, uint64_t access, struct boot_info *info,
                    struct multiboot_view *view)
{
    const struct mbi *mbi = (const struct mbi *)(mbi_phys + access);
    view->why = NULL;
    view->module_phys = 0;
    view->module_size = 0;
    view->used_end = mbi_phys + sizeof *mbi;
    info->ram_count = 0;
    info->cmdline[0] = '\0';

    if (mbi->flags & MBI_MMAP) {
        paddr_t at = mbi->mmap_addr, end = (paddr_t)mbi->mmap_addr + mbi->mmap_length;
        view->used_end = max_p(view->used_end, end);
        while (at + 24 <= end) {
            const uint8_t *e = (const uint8_t *)(at + access);
            uint32_t size = *(const uint32_t *)e;
            uint64_t base = *(const uint64_t *)(e + 4), len = *(const uint64_t *)(e + 12);
            uint32_t type = *(const uint32_t *)(e + 20);
            if (type == MMAP_RAM)
                add_ram(info, base, len);
            if (size < 20)
                break; /* a malformed entry: stop rather than loop */
            at += (paddr_t)size + 4;
        }
    } else if (mbi->flags & MBI_MEM) {
        add_ram(info, LOW_LIMIT, (uint64_t)mbi->mem_upper * 1024);
    }
    if (info->ram_count == 0)
        view->why = "the loader gave no memory map";

    if (mbi->flags & MBI_CMDLINE) {
        const char *s = (const char *)((paddr_t)mbi->cmdline + access);
        size_t n = 0;
        while (n + 1 < BOOT_CMDLINE_MAX && s[n] != '\0') {
            info->cmdline[n] = s[n];
            n++;
        }
        info->cmdline[n] = '\0';
        view->used_end = max_p(view->used_end, (paddr_t)mbi->cmdline + n + 1);
    }

    if ((mbi->flags & MBI_MODS) && mbi->mods_count > 0) {
        const struct mb_module *mods = (const struct mb_module *)((paddr_t)mbi->mods_addr + access);
        view->used_end =
            max_p(view->used_end, (paddr_t)mbi->mods_addr + mbi->mods_count * sizeof *mods);
        for (uint32_t i = 0; i < mbi->mods_count && i < 16; i++) {
            view->used_end = max_p(view->used_end, mods[i].end);
            const char *s = (const char *)((paddr_t)mods[i].string + access);
            size_t n = 0;
            while (mods[i].string != 0 && n < 4096 && s[n] != '\0')
                n++;
            if (mods[i].string != 0)
                view->used_end = max_p(view->used_end, (paddr_t)mods[i].string + n + 1);
        }
        if (mods[0].end >= mods[0].start) {
            view->module_phys = mods[0].start;
            view->module_size = mods[0].end - mods[0].start;
        }
    }
}
