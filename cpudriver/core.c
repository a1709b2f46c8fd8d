/* core.c — what every core does once it runs on its own tables and stack, and
 * the boot core's bookkeeping of which cores are ready. */
#include <arch.h>
#include <arch/arch_info.h>
#include <archive.h>
#include <boot.h>
#include <bootinfo.h>
#include <dispatch.h>
#include <fmt.h>
#include <kchan.h>
#include <mem.h>
#include <proto/monitor.h>
#include <string.h>

#define CORE_MEM_MAX    (32ull << 20)
#define CORE_MEM_MIN    (4ull << 20)
#define CORE_START_COST (64ull << 10) /* its kernel channel and what else starting it takes */

static struct core_boot self;
static struct options opts;
static unsigned cores_started, cores_ready; /* boot core only */
static paddr_t monchan_region;              /* boot core: boot channels of the monitors */
static bool started[MAX_CORES];             /* boot core: which cores were started */

const struct core_boot *boot_self(void) { return &self; }
const struct boot_info *boot_info(void) { return arch_phys_to_virt(self.info); }
struct boot_info *boot_info_early(void) { return arch_phys_to_virt(self.info); }
const struct options *options(void) { return &opts; }

void boot_local_ready(void)
{
    if (self.id == 0)
        boot_core_ready(0);
    else
        kchan_send(KCHAN_READY);
}

void boot_poweroff(int status)
{
    kchan_poll(); /* the other cores' last lines first */
    system_exit(status);
}

void boot_core_ready(coreid_t id)
{
    (void)id;
    if (++cores_ready < cores_started)
        return;
    kchan_poll(); /* every line the other cores sent before they were ready */
    const struct boot_info *info = boot_info();
    kprintf("boot: %u/%u cores online\n", cores_started, info->core_count);
    if (opts.poweroff) {
        kprintf("boot: powering off\n");
        system_exit(cores_started == info->core_count ? 0 : SYSTEM_EXIT_INCOMPLETE);
    }
}

paddr_t boot_monchan_for(coreid_t id)
{
    return monchan_region + (paddr_t)(id - 1) * MON_BOOT_CHAN_BYTES;
}

/* What each core's CPU driver keeps for the domains it starts (their images,
 * stacks, first RAM, page tables): a quarter of the memory shared out evenly,
 * within bounds. Decided once, on the boot core, before monitor 0 starts. */
static uint64_t core_slice(void)
{
    static uint64_t slice;
    if (slice == 0) {
        slice = mem_free_bytes() / (4ull * boot_info()->core_count);
        slice = slice < CORE_MEM_MIN ? CORE_MEM_MIN : slice > CORE_MEM_MAX ? CORE_MEM_MAX : slice;
        slice = ALIGN_DOWN(slice, PAGE_SIZE);
    }
    return slice;
}

uint64_t boot_monitor0_ram(uint64_t at_least)
{
    uint64_t others = boot_info()->core_count - 1;
    uint64_t keep =
        core_slice() + others * (core_slice() + arch_core_region_bytes() + CORE_START_COST);
    uint64_t free = mem_free_bytes();
    uint64_t rest = free > keep ? ALIGN_DOWN(free - keep, PAGE_SIZE) : 0;
    return rest > at_least ? rest : at_least;
}

err_t boot_start_core(coreid_t id)
{
    if (self.id != 0 || id == 0 || id >= boot_info()->core_count)
        return ERR_INVAL;
    if (started[id])
        return ERR_INVAL;
    uint64_t slice = core_slice();
    if (slice < CORE_MEM_MIN) {
        kprintf("cpu %u: too little memory left to start it\n", id);
        return ERR_NOMEM;
    }
    /* Its private region, its RAM and its channels, from the boot core's memory. */
    const struct boot_info *info = boot_info();
    uint64_t region_bytes = arch_core_region_bytes();
    paddr_t region = mem_alloc_contiguous(region_bytes + slice);
    if (region == 0) {
        kprintf("cpu %u: no memory left for its kernel data; left off\n", id);
        return ERR_NOMEM;
    }
    struct core_boot cb = {.id = id, .hw_id = info->hw_ids[id], .info = self.info};
    paddr_t end = arch_core_region_build(region, &cb);
    if (end == 0)
        panic("cannot build page tables for core %u", id);
    cb.mem_base = end;
    cb.mem_end = region + region_bytes + slice;
    cb.chan_phys = kchan_create_for(id);
    cb.monchan_phys = boot_monchan_for(id);
    if (cb.chan_phys == 0) {
        kprintf("cpu %u: no memory for its kernel channel; left off\n", id);
        return ERR_NOMEM;
    }
    err_t err = arch_start_core(&cb);
    if (err != OK)
        return err;
    started[id] = true;
    kchan_core_started(id);
    cores_started++;
    return OK;
}

static void start_domains(void)
{
    /* The monitor first: every other domain gets an endpoint to it. */
    if (spawn_module("monitor", true, false, NULL, NULL) != OK)
        kprintf("cpu %u: no monitor; this core stays idle\n", self.id);
    const char *pos = NULL;
    struct boot_spawn s;
    while (options_next_spawn(boot_info()->cmdline, &pos, &s)) {
        if (s.core != self.id)
            continue;
        /* A bad boot domain is reported by spawn and skipped. */
        (void)spawn_module(s.name, false, true, NULL, NULL);
    }
}

/* The boot archive is checked once, before anything depends on it. */
static void check_archive(void)
{
    const struct boot_info *info = boot_info();
    struct archive ar;
    if (info->archive_phys == 0) {
        kprintf("boot: no boot archive was loaded (give QEMU -initrd)\n");
        system_exit(SYSTEM_EXIT_BAD_ARCHIVE);
    }
    err_t err = archive_open(&ar, arch_phys_to_virt(info->archive_phys), info->archive_size);
    if (err != OK) {
        kprintf("boot: the boot archive is unusable: %s at offset 0x%lx of %lu bytes\n",
                err_str(err), (unsigned long)ar.err_offset, (unsigned long)info->archive_size);
        system_exit(SYSTEM_EXIT_BAD_ARCHIVE);
    }
    kprintf("boot: boot archive of %lu bytes with %lu entries\n", (unsigned long)info->archive_size,
            (unsigned long)ar.entries);
}

/* cpu K: online, with the physical range of this core's private kernel data,
 * and the hardware's name for the core where it differs from K. */
static void say_online(void)
{
    char hw[32] = "";
    if (self.hw_id != self.id)
        fmt_format(hw, sizeof hw, " (%s %u)", ARCH_HW_ID_NAME, self.hw_id);
    kprintf("cpu %u: online, kernel data at 0x%lx-0x%lx%s\n", self.id,
            (unsigned long)self.region_base, (unsigned long)self.region_end - 1, hw);
}

NORETURN void kernel_main(const struct core_boot *cb)
{
    memcpy(&self, cb, sizeof self);
    arch_core_init();
    mem_init(self.mem_base, self.mem_end);
    options_parse(boot_info()->cmdline, &opts, self.id == 0);

    if (self.id == 0) {
        /* A line of its own: the firmware may have left the cursor mid-line. */
        kprintf("\nboot: multikernel CPU driver, %s\n", ARCH_NAME);
        check_archive();
        if (strnlen(boot_info()->cmdline, BOOT_CMDLINE_MAX) == BOOT_CMDLINE_MAX - 1)
            kprintf("boot: the command line fills all %u characters it may have: anything "
                    "past them was cut off\n",
                    BOOT_CMDLINE_MAX - 1);
        arch_boot_core_discover();
        say_online();
        cores_started = 1;
        started[0] = true;
        /* Monitor 0 starts the other cores; their monitors' first channels to it
         * are set aside now, zeroed. */
        uint64_t bytes = (uint64_t)(boot_info()->core_count - 1) * MON_BOOT_CHAN_BYTES;
        if (bytes > 0) {
            monchan_region = mem_alloc_contiguous(bytes);
            if (monchan_region == 0)
                panic("no memory for the monitors' boot channels");
            memset(arch_phys_to_virt(monchan_region), 0, bytes);
        }
    } else {
        kchan_attach(self.chan_phys);
        say_online();
    }
    if (opts.panic_core == (int)self.id)
        panic("requested on the kernel command line (panic=%u)", self.id);
    arch_timer_start();
    start_domains();
    schedule();
}
