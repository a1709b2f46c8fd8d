/* early.c — the boot hart between the bootstrap tables and its own.
 *
 * Runs before this core's .data/.bss exist: no globals. Physical memory is
 * reached through the bootstrap identity map (the first BOOTSTRAP_GIB GiB).
 * Reads the device tree, places the boot info page and the boot core's private
 * region, and moves onto the core's own tables. */
#include <arch/layout.h>
#include <dt.h>
#include <string.h>

#include "riscv.h"

extern char __core_data_start[], __core_data_file_end[], __core_data_end[];

paddr_t riscv_kernel_tables_build(paddr_t pool, unsigned pages, uint64_t access, paddr_t data_phys,
                                  uint64_t data_bytes, uint64_t direct_top);
unsigned riscv_kernel_tables_pages(void);

#define DTB_MAX           (1u << 20)
#define BOOTSTRAP_BYTES   ((uint64_t)BOOTSTRAP_GIB << 30)
#define SBI_SRST_SHUTDOWN 0
#define SBI_SRST_FAILURE  1

static void early_fail(const char *why, uint64_t uart)
{
    /* Before any device is known for sure: the DT's UART if there was one, else
     * the virt machine's; then report failure through SBI SRST. */
    volatile uint8_t *u = (volatile uint8_t *)(uart ? uart : 0x10000000);
    for (const char *s = "boot: cannot start: "; *s; s++)
        *u = (uint8_t)*s;
    for (const char *s = why; *s; s++)
        *u = (uint8_t)*s;
    *u = '\n';
    /* The test device's failure code makes QEMU exit non-zero; SRST would say 0. */
    *(volatile uint32_t *)0x100000 = (1u << 16) | 0x3333;
    sbi_call(SBI_EXT_SRST, 0, SBI_SRST_SHUTDOWN, SBI_SRST_FAILURE, 0);
    for (;;)
        __asm__ volatile("wfi");
}

uint64_t riscv_direct_top(const struct boot_info *info)
{
    uint64_t top = RAM_BASE; /* MMIO below RAM */
    for (uint32_t i = 0; i < info->ram_count; i++) {
        uint64_t end = info->ram[i].base + info->ram[i].size;
        if (end > top)
            top = end;
    }
    return ALIGN_UP(top, 1ull << 30);
}

uint64_t riscv_core_region_bytes(uint64_t direct_top)
{
    (void)direct_top;
    uint64_t data_bytes = (uint64_t)(__core_data_end - __core_data_start);
    return ALIGN_UP(data_bytes, PAGE_SIZE) + (uint64_t)riscv_kernel_tables_pages() * PAGE_SIZE;
}

paddr_t riscv_core_region_build(paddr_t base, uint64_t access, uint64_t direct_top,
                                struct core_boot *cb)
{
    uint64_t data_bytes = (uint64_t)(__core_data_end - __core_data_start);
    uint64_t file_bytes = (uint64_t)(__core_data_file_end - __core_data_start);
    unsigned pages = riscv_kernel_tables_pages();
    paddr_t tables = base + ALIGN_UP(data_bytes, PAGE_SIZE);
    uint8_t *data = (uint8_t *)(base + access);
    memcpy(data, (const void *)(__layout.data_template_phys - RAM_BASE + KERNEL_VBASE), file_bytes);
    memset(data + file_bytes, 0, data_bytes - file_bytes);
    cb->region_base = base;
    cb->region_end = tables + (paddr_t)pages * PAGE_SIZE;
    cb->data_phys = base;
    cb->arch.root = riscv_kernel_tables_build(tables, pages, access, base,
                                              ALIGN_UP(data_bytes, PAGE_SIZE), direct_top);
    return cb->arch.root == 0 ? 0 : cb->region_end;
}

/* The boothart=H option: hand the boot over to hart H (to test that nothing
 * assumes which hart boots). */
static long wanted_boot_hart(const struct dt_machine *m, uint64_t hart)
{
    const char *p = m->bootargs;
    while ((p = strchr(p, 'b')) != NULL) {
        if ((p == m->bootargs || p[-1] == ' ') && strncmp(p, "boothart=", 9) == 0) {
            long h = 0;
            const char *d = p + 9;
            if (*d < '0' || *d > '9')
                return -1;
            while (*d >= '0' && *d <= '9' && h < 100000)
                h = h * 10 + (*d++ - '0');
            for (uint32_t i = 0; i < m->hart_count; i++) {
                if (m->harts[i] == (uint64_t)h && (uint64_t)h != hart)
                    return h;
            }
            return -1;
        }
        p++;
    }
    return -1;
}

struct reserved {
    paddr_t start, end;
};

/* The largest stretch of RAM that holds none of the reserved ranges. */
static void largest_free(const struct boot_info *info, const struct reserved *r, unsigned n,
                         paddr_t *best_start, paddr_t *best_end)
{
    *best_start = *best_end = 0;
    for (uint32_t i = 0; i < info->ram_count; i++) {
        paddr_t lo = info->ram[i].base, end = lo + info->ram[i].size;
        while (lo < end) {
            paddr_t hi = end;
            paddr_t skip_to = end;
            for (unsigned k = 0; k < n; k++) {
                if (r[k].end <= lo || r[k].start >= hi)
                    continue;
                if (r[k].start <= lo) { /* lo is inside: move past it */
                    hi = lo;
                    skip_to = r[k].end;
                    break;
                }
                hi = r[k].start;
                skip_to = r[k].end;
            }
            if (hi > lo && hi - lo > *best_end - *best_start) {
                *best_start = lo;
                *best_end = hi;
            }
            lo = ALIGN_UP(skip_to > lo ? skip_to : lo + PAGE_SIZE, PAGE_SIZE);
        }
    }
}

long riscv_boot_bsp(uint64_t hart, paddr_t dtb)
{
    struct dt_machine m;
    err_t err = dtb < BOOTSTRAP_BYTES ? dt_read((const void *)dtb, DTB_MAX, &m) : ERR_RANGE;
    if (err != OK)
        early_fail(err == ERR_RANGE ? "the device tree is out of reach" : m.why, 0);
    long handoff = wanted_boot_hart(&m, hart);
    if (handoff >= 0)
        return handoff;

    /* What must not be overwritten: OpenSBI and the image, the device tree, the
     * boot archive, and whatever the tree reserves. */
    struct reserved r[DT_MAX_RANGES + 3];
    unsigned n = 0;
    r[n++] = (struct reserved){RAM_BASE, ALIGN_UP(__layout.image_end_phys, PAGE_SIZE)};
    r[n++] = (struct reserved){dtb, dtb + ALIGN_UP(m.tree_size, PAGE_SIZE)};
    if (m.initrd_end > m.initrd_start)
        r[n++] = (struct reserved){m.initrd_start, m.initrd_end};
    for (uint32_t i = 0; i < m.reserved_count; i++)
        r[n++] = (struct reserved){m.reserved[i].base, m.reserved[i].base + m.reserved[i].size};

    /* The boot info page and the boot core's region go at the start of the
     * largest free stretch; the rest of it is the boot core's memory. */
    struct boot_info probe;
    probe.ram_count = 0;
    for (uint32_t i = 0; i < m.mem_count && i < BOOT_MAX_RAM; i++) {
        probe.ram[probe.ram_count].base = m.mem[i].base;
        probe.ram[probe.ram_count].size = m.mem[i].size;
        probe.ram_count++;
    }
    paddr_t free, free_end;
    largest_free(&probe, r, n, &free, &free_end);
    free = ALIGN_UP(free, PAGE_SIZE);
    uint64_t direct_top = riscv_direct_top(&probe);
    uint64_t need =
        ALIGN_UP(sizeof(struct boot_info), PAGE_SIZE) + riscv_core_region_bytes(direct_top);
    if (free_end <= free || free_end - free < need || free_end > BOOTSTRAP_BYTES)
        early_fail("no free memory for the boot core's kernel data", m.uart_base);

    struct boot_info *info = (struct boot_info *)free;
    memset(info, 0, sizeof *info);
    info->ram_count = probe.ram_count;
    memcpy(info->ram, probe.ram, sizeof probe.ram[0] * probe.ram_count);
    memcpy(info->cmdline, m.bootargs,
           sizeof info->cmdline < sizeof m.bootargs ? sizeof info->cmdline : sizeof m.bootargs);
    info->cmdline[sizeof info->cmdline - 1] = '\0';
    info->archive_phys = m.initrd_start;
    info->archive_size = m.initrd_end - m.initrd_start;
    info->timer_hz = m.timebase_hz;
    info->arch.uart_phys = m.uart_base;
    info->arch.uart_reg_shift = m.uart_reg_shift;
    info->arch.test_phys = m.test_base;
    info->arch.uart_irq = m.uart_irq;
    info->arch.plic_phys = m.plic_base;
    info->bus_count = m.bus_count;
    memcpy(info->bus, m.bus, sizeof m.bus[0] * m.bus_count);
    /* Logical core 0 is this hart; the others follow in tree order. */
    info->core_count = 1;
    info->hw_ids[0] = (uint32_t)hart;
    for (uint32_t i = 0; i < m.hart_count; i++) {
        uint32_t core = m.harts[i] == hart ? 0 : info->core_count;
        if (core == MAX_CORES)
            continue;
        if (core != 0)
            info->hw_ids[info->core_count++] = m.harts[i];
        info->arch.plic_context[core] =
            m.plic_s_context[i] < PLIC_NO_CONTEXT ? (uint16_t)m.plic_s_context[i] : PLIC_NO_CONTEXT;
    }

    struct core_boot cb = {.id = 0, .hw_id = (uint32_t)hart, .info = free};
    paddr_t region = free + ALIGN_UP(sizeof(struct boot_info), PAGE_SIZE);
    paddr_t end = riscv_core_region_build(region, 0, direct_top, &cb);
    if (end == 0)
        early_fail("cannot build the boot core's page tables", m.uart_base);
    cb.mem_base = end;
    cb.mem_end = free_end;
    /* The boot stack is identity-mapped now and gone after the switch: hand
     * over cb through the direct map, which the new tables have. */
    riscv_switch_to_core(cb.arch.root, (const struct core_boot *)(DIRECT_VBASE + (uint64_t)&cb));
}

/* A secondary hart's first C, on the bootstrap tables and its hand-off stack. */
NORETURN void riscv_ap_boot(paddr_t handoff)
{
    const struct core_boot *cb = (const struct core_boot *)handoff;
    riscv_switch_to_core(cb->arch.root, (const struct core_boot *)(DIRECT_VBASE + handoff));
}
