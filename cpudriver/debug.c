/* debug.c — fault injection's way into a running domain. A holder of a
 * CAP_DEBUG (the injector: its monitor gives it one, devices=debug of its
 * service line) writes bytes into the program image of a domain of this
 * core that its monitor marked a target (devices=target), such as a driver
 * whose text a campaign corrupts (tools/faultinject). The CPU driver is never
 * a target (no domain's image is kernel memory), nor is a monitor (the kernel
 * refuses to mark one). The bytes go to the domain's own copy of its segments
 * (spawn.c copies them into frames of its own), so a restarted instance
 * starts from the clean image. */
#include <arch.h>
#include <cap.h>
#include <dispatch.h>
#include <syscall.h>

#define DEBUG_WRITE_MAX 64 /* bytes a write takes: an instruction or a few */

/* (capaddr_t kernel, domain): a monitor marks a domain it started a target. */
struct sysret_value debug_sys_kernel_target(struct dispatcher *d, const uint64_t a[6])
{
    struct cap *k;
    err_t err = cap_get(d, (capaddr_t)a[0], CAP_KERNEL, 0, &k);
    if (err != OK)
        return (struct sysret_value){err, 0};
    struct dispatcher *t = a[1] <= UINT32_MAX ? dispatch_find((uint32_t)a[1]) : NULL;
    if (t == NULL)
        return (struct sysret_value){ERR_NOPROC, 0};
    if (t->is_monitor)
        return (struct sysret_value){ERR_PERM, 0};
    t->fault_target = true;
    return (struct sysret_value){OK, 0};
}

/* (capaddr_t debug, domain, uvaddr_t va, uvaddr_t buf, bytes): the target's
 * image at va becomes the caller's bytes at buf. */
struct sysret_value debug_sys_write(struct dispatcher *d, const uint64_t a[6])
{
    struct cap *c;
    err_t err = cap_get(d, (capaddr_t)a[0], CAP_DEBUG, CAP_RIGHT_WRITE, &c);
    if (err != OK)
        return (struct sysret_value){err, 0};
    struct dispatcher *t = a[1] <= UINT32_MAX ? dispatch_find((uint32_t)a[1]) : NULL;
    if (t == NULL)
        return (struct sysret_value){ERR_NOPROC, 0};
    if (!t->fault_target || t->is_monitor)
        return (struct sysret_value){ERR_PERM, 0};
    uvaddr_t va = a[2];
    uint64_t bytes = a[4];
    if (bytes == 0 || bytes > DEBUG_WRITE_MAX)
        return (struct sysret_value){ERR_INVAL, 0};
    if (va < t->image_base || va >= t->image_end || bytes > t->image_end - va)
        return (struct sysret_value){ERR_RANGE, 0}; /* only its program's segments */
    uint8_t buf[DEBUG_WRITE_MAX];
    if ((err = uaccess_copy_in(d, buf, a[3], bytes)) != OK)
        return (struct sysret_value){err, 0};
    /* Every page first, so that a write is whole or not done at all. */
    paddr_t pa[2];
    uvaddr_t last = va + bytes - 1;
    if ((err = arch_vspace_lookup(t, va, false, &pa[0])) != OK ||
        (err = arch_vspace_lookup(t, last, false, &pa[1])) != OK)
        return (struct sysret_value){err, 0};
    for (uint64_t i = 0; i < bytes; i++) {
        bool second = ((va + i) & ~(uvaddr_t)PAGE_MASK) != (va & ~(uvaddr_t)PAGE_MASK);
        paddr_t at = second ? pa[1] + ((va + i) & PAGE_MASK) : pa[0] + i;
        *(volatile uint8_t *)arch_phys_to_virt(at) = buf[i];
    }
    arch_sync_icache(); /* the target runs on this core, after this call */
    return (struct sysret_value){OK, bytes};
}
