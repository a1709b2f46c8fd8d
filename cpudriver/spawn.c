/* spawn.c — starts a domain from an ELF module of the boot archive: a fresh
 * address space, its segments copied into frames of this core, a stack. A bad
 * module is refused with a message; it never stops the kernel. */
#include <arch.h>
#include <arch/arch_info.h>
#include <arch/layout.h>
#include <archive.h>
#include <boot.h>
#include <bootinfo.h>
#include <dispatch.h>
#include <elf.h>
#include <lmp_abi.h>
#include <mem.h>
#include <proto/monitor.h>
#include <string.h>
#include <syscall.h>

#define USER_STACK_PAGES 16
#define USER_BASE_MIN    0x10000ull

static err_t map_segment(struct dispatcher *d, const struct elf_segment *seg)
{
    uvaddr_t start = ALIGN_DOWN(seg->vaddr, PAGE_SIZE);
    uvaddr_t end = ALIGN_UP(seg->vaddr + seg->memsz, PAGE_SIZE);
    if (start < USER_BASE_MIN || end > USER_STACK_TOP - USER_STACK_PAGES * PAGE_SIZE || end < start)
        return ERR_RANGE;
    for (uvaddr_t va = start; va < end; va += PAGE_SIZE) {
        paddr_t frame;
        if (arch_vspace_lookup(d, va, false, &frame) != OK) {
            frame = mem_alloc_frame();
            if (frame == 0)
                return ERR_NOMEM;
            err_t err = arch_vspace_map(d, va, frame, seg->flags & ELF_PF_W, seg->flags & ELF_PF_X);
            if (err != OK) {
                mem_free_frame(frame);
                return err;
            }
        }
        /* Copy the part of the file data that falls in this page. */
        uint64_t lo = va > seg->vaddr ? va : seg->vaddr;
        uint64_t hi = va + PAGE_SIZE;
        if (hi > seg->vaddr + seg->filesz)
            hi = seg->vaddr + seg->filesz;
        if (lo < hi)
            memcpy((uint8_t *)arch_phys_to_virt(frame) + (lo - va), seg->data + (lo - seg->vaddr),
                   hi - lo);
    }
    return OK;
}

static err_t load(struct dispatcher *d, const uint8_t *image, size_t bytes, uvaddr_t *entry)
{
    struct elf_image img;
    err_t err = elf_open(&img, image, bytes, ARCH_ELF_MACHINE);
    if (err != OK) {
        kprintf("spawn: %s: %s (%s)\n", d->name, img.why, err_str(err));
        return ERR_NOEXEC;
    }
    if ((err = arch_vspace_create(d)) != OK)
        return err;
    struct elf_segment seg;
    d->image_base = UINT64_MAX;
    d->image_end = 0;
    unsigned i = 0;
    for (; (err = elf_load_segment(&img, i, &seg)) == OK; i++) {
        if (seg.vaddr < d->image_base)
            d->image_base = seg.vaddr;
        if (seg.vaddr + seg.memsz > d->image_end)
            d->image_end = seg.vaddr + seg.memsz;
        if ((err = map_segment(d, &seg)) != OK) {
            kprintf("spawn: %s: segment %u at 0x%lx: %s\n", d->name, i, (unsigned long)seg.vaddr,
                    err_str(err));
            return err == ERR_NOMEM ? err : ERR_NOEXEC;
        }
    }
    if (err != ERR_END) {
        kprintf("spawn: %s: segment %u changed while loading\n", d->name, i);
        return ERR_NOEXEC;
    }
    if (img.entry < USER_BASE_MIN || img.entry >= USER_STACK_TOP) {
        kprintf("spawn: %s: entry point 0x%lx is outside user space\n", d->name,
                (unsigned long)img.entry);
        return ERR_NOEXEC;
    }
    for (unsigned i = 1; i <= USER_STACK_PAGES; i++) {
        paddr_t frame = mem_alloc_frame();
        if (frame == 0)
            return ERR_NOMEM;
        if ((err = arch_vspace_map(d, USER_STACK_TOP - i * PAGE_SIZE, frame, true, false)) != OK) {
            mem_free_frame(frame);
            return err;
        }
    }
    /* The IPC buffer: a page of its own that local messages are copied to. */
    paddr_t ipc = mem_alloc_frame();
    if (ipc == 0)
        return ERR_NOMEM;
    if ((err = arch_vspace_map(d, IPC_BUFFER_VA, ipc, true, false)) != OK) {
        mem_free_frame(ipc);
        return err;
    }
    d->ipc_phys = ipc;
    *entry = img.entry;
    return OK;
}

/* The capabilities a domain starts with: itself and some RAM; a monitor also
 * the Kernel capability and the frame of its boot channel(s) to monitor 0. */
static err_t give_caps(struct dispatcher *d, bool is_monitor)
{
    const struct core_boot *self = boot_self();
    const struct boot_info *info = boot_info();
    struct cap c = {.type = CAP_DISPATCHER, .rights = CAP_RIGHT_READ, .core = d->id};
    err_t err = cap_install(d, CAP_SLOT_SELF, &c);

    uint64_t ram = 256 * 1024;
    /* Channels between monitors are made on first use (monitor/mesh.c): what
     * the CPU drivers keep grows with the cores, not with their pairs. */
    if (is_monitor && self->id == 0) /* the machine's RAM, less what the CPU drivers keep */
        ram = boot_monitor0_ram((4ull << 20) + (uint64_t)info->core_count * 4 * PAGE_SIZE);
    else if (is_monitor) /* its channel pages and one struct peer per core */
        ram = (512ull << 10) + ALIGN_UP((uint64_t)info->core_count * 2 * 1024, PAGE_SIZE);
    paddr_t base = mem_alloc_contiguous(ram);
    if (err == OK && base == 0)
        err = ERR_NOMEM;
    if (err == OK) {
        /* A monitor's RAM carries CAP_RIGHT_PHYS to what it hands DMA drivers. */
        uint32_t rights = CAP_RIGHTS_ALL | (is_monitor ? CAP_RIGHT_PHYS : 0);
        c = (struct cap){.type = CAP_RAM, .rights = rights, .base = base, .size = ram};
        err = cap_install(d, CAP_SLOT_RAM, &c);
        d->ram_base = base;
        d->ram_size = ram;
    }
    uint32_t monitor = dispatch_monitor_id();
    if (err == OK && !is_monitor && monitor != 0) {
        /* Its way to the monitor; the badge tells the monitor who is asking. */
        c = (struct cap){.type = CAP_ENDPOINT,
                         .rights = CAP_RIGHT_WRITE | CAP_RIGHT_READ,
                         .core = monitor,
                         .base = d->id};
        err = cap_install(d, CAP_SLOT_MONITOR, &c);
    }
    if (err != OK || !is_monitor)
        return err;

    c = (struct cap){.type = CAP_KERNEL, .rights = CAP_RIGHTS_ALL, .core = self->id};
    err = cap_install(d, CAP_SLOT_KERNEL, &c);
    if (err == OK && info->core_count > 1) {
        c = (struct cap){.type = CAP_FRAME, .rights = CAP_RIGHTS_ALL};
        if (self->id == 0) {
            c.base = boot_monchan_for(1);
            c.size = (uint64_t)(info->core_count - 1) * MON_BOOT_CHAN_BYTES;
        } else {
            c.base = self->monchan_phys;
            c.size = MON_BOOT_CHAN_BYTES;
        }
        err = cap_install(d, CAP_SLOT_BOOT_FRAME, &c);
    }
    return err;
}

err_t spawn_module(const char *name, bool is_monitor, bool boot_domain, uint32_t *id,
                   const struct spawn_args *args)
{
    const struct boot_info *info = boot_info();
    struct archive ar;
    struct archive_entry module;
    err_t err = archive_open(&ar, arch_phys_to_virt(info->archive_phys), info->archive_size);
    if (err == OK)
        err = archive_find(&ar, name, &module);
    if (err != OK) {
        if (is_monitor || boot_domain) /* a monitor's request gets the error instead */
            kprintf("spawn: no module %s in the boot archive (%s)\n", name, err_str(err));
        return err;
    }
    return spawn_image(name, module.data, module.size, is_monitor, boot_domain, id, args);
}

err_t spawn_image(const char *name, const uint8_t *image, size_t bytes, bool is_monitor,
                  bool boot_domain, uint32_t *id, const struct spawn_args *args)
{
    struct dispatcher *d = dispatcher_alloc(name);
    if (d == NULL) {
        kprintf("spawn: %s: no free dispatcher on core %u\n", name, boot_self()->id);
        return ERR_NOMEM;
    }
    struct spawn_args just_name = {.argc = 1, .argv = {name}};
    uvaddr_t entry = 0;
    err_t err = cspace_create(d);
    if (err == OK)
        err = load(d, image, bytes, &entry);
    if (err == OK)
        err = spawn_args_put(d, entry, args != NULL ? args : &just_name);
    if (err == OK && (err = give_caps(d, is_monitor)) != OK)
        kprintf("spawn: %s: no memory for its capabilities (%s)\n", name, err_str(err));
    if (err != OK) {
        cspace_destroy(d);
        arch_vspace_destroy(d);
        d->state = D_FREE;
        return err;
    }
    dispatch_start(d, is_monitor, boot_domain);
    if (id != NULL)
        *id = d->id;
    return OK;
}
