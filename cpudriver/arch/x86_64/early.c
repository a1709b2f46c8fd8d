/* early.c — the boot core between the bootstrap page tables and its own.
 *
 * Runs before this core's private .data/.bss exist (they are mapped only by the
 * tables built here), so it uses no globals: only locals, the image's read-only
 * parts, and physical memory through the bootstrap mapping of the first GiB. */
#include <arch/kernel_tables.h>
#include <arch/layout.h>
#include <arch/multiboot.h>
#include <string.h>

#include "x86.h"

extern char __image_end_phys[], __data_template_phys[], __core_data_start[], __core_data_file_end[],
    __core_data_end[];

#define BOOTSTRAP_LIMIT (1ull << 30) /* what the bootstrap tables reach */

static void early_fail(const char *why)
{
    static const char prefix[] = "boot: cannot start: ";
    for (const char *s = prefix; *s; s++)
        x86_outb(0x3f8, (uint8_t)*s);
    for (const char *s = why; *s; s++)
        x86_outb(0x3f8, (uint8_t)*s);
    x86_outb(0x3f8, '\n');
    x86_outb(0xf4, 1); /* isa-debug-exit: failure */
    for (;;)
        __asm__ volatile("cli; hlt");
}

static void zero(paddr_t p, uint64_t bytes) { memset((void *)(p + KERNEL_VBASE), 0, bytes); }

uint64_t x86_core_region_bytes(const struct boot_info *info)
{
    uint64_t data_bytes = (uint64_t)(__core_data_end - __core_data_start);
    return ALIGN_UP(data_bytes, PAGE_SIZE) +
           (uint64_t)kernel_tables_pages(x86_direct_top(info)) * PAGE_SIZE;
}

/* Lays out one core's private region at base: data/bss, then its page tables.
 * Returns the region's end. Used for the boot core here and by smp.c. */
paddr_t x86_core_region_build(paddr_t base, uint64_t direct_top, uint64_t access,
                              struct core_boot *cb)
{
    uint64_t data_bytes = (uint64_t)(__core_data_end - __core_data_start);
    uint64_t file_bytes = (uint64_t)(__core_data_file_end - __core_data_start);
    unsigned table_pages = kernel_tables_pages(direct_top);
    paddr_t tables = base + ALIGN_UP(data_bytes, PAGE_SIZE);
    paddr_t end = tables + (paddr_t)table_pages * PAGE_SIZE;

    /* A pristine copy of .data from the image's template, and a zeroed .bss. */
    uint8_t *data = (uint8_t *)(base + access);
    memcpy(data, (const void *)((paddr_t)__data_template_phys + KERNEL_VBASE), file_bytes);
    memset(data + file_bytes, 0, data_bytes - file_bytes);
    memset((void *)(tables + access), 0, (size_t)table_pages * PAGE_SIZE);

    struct kernel_tables_plan plan = {
        .pool = tables,
        .pool_pages = table_pages,
        .access = access,
        .data_phys = base,
        .data_bytes = ALIGN_UP(data_bytes, PAGE_SIZE),
        .direct_top = direct_top,
    };
    cb->region_base = base;
    cb->region_end = end;
    cb->data_phys = base;
    cb->arch.pml4 = kernel_tables_build(&plan);
    return cb->arch.pml4 == 0 ? 0 : end;
}

uint64_t x86_direct_top(const struct boot_info *info)
{
    uint64_t top = 4ull << 30; /* always cover the 32-bit MMIO hole (LAPIC, IOAPIC) */
    for (uint32_t i = 0; i < info->ram_count; i++) {
        uint64_t end = info->ram[i].base + info->ram[i].size;
        if (end > top)
            top = end;
    }
    return top;
}

NORETURN void x86_boot_bsp(uint32_t mbi_phys)
{
    /* The boot info page goes right after what the loader placed; it is filled
     * in place and stays where it is for every core to read. */
    struct multiboot_view view;
    struct boot_info probe;
    multiboot_read(mbi_phys, KERNEL_VBASE, &probe, &view);
    if (view.why != NULL)
        early_fail(view.why);

    paddr_t free = ALIGN_UP((paddr_t)__image_end_phys, PAGE_SIZE);
    if (view.used_end > free)
        free = ALIGN_UP(view.used_end, PAGE_SIZE);

    paddr_t info_phys = free;
    free += ALIGN_UP(sizeof(struct boot_info), PAGE_SIZE);
    zero(info_phys, ALIGN_UP(sizeof(struct boot_info), PAGE_SIZE));
    struct boot_info *info = (struct boot_info *)(info_phys + KERNEL_VBASE);
    multiboot_read(mbi_phys, KERNEL_VBASE, info, &view);
    info->archive_phys = view.module_phys;
    info->archive_size = view.module_size;

    /* The RAM range the kernel image sits in holds the boot core's memory. */
    const struct boot_ram *home = NULL;
    for (uint32_t i = 0; i < info->ram_count; i++) {
        if (free >= info->ram[i].base && free < info->ram[i].base + info->ram[i].size)
            home = &info->ram[i];
    }
    if (home == NULL)
        early_fail("the kernel image is not in RAM the memory map lists");

    struct core_boot cb = {.id = 0, .info = info_phys};
    paddr_t end = x86_core_region_build(free, x86_direct_top(info), KERNEL_VBASE, &cb);
    paddr_t home_end = home->base + home->size;
    if (end == 0 || end > home_end || end > BOOTSTRAP_LIMIT)
        early_fail("not enough low memory for the boot core's kernel data");
    cb.mem_base = end;
    cb.mem_end = home_end;

    x86_switch_to_core(cb.arch.pml4, &cb);
}
