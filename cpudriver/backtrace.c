/* backtrace.c — walks frame pointers (every part of the system is built with
 * -fno-omit-frame-pointer) for panics and user faults. Where a frame keeps its
 * caller's frame pointer and return address is the architecture's
 * (arch_info.h). Never faults: kernel frames must lie on the kernel stack, user
 * memory is read through uaccess_copy_in. */
#include <arch.h>
#include <arch/arch_info.h>
#include <backtrace.h>
#include <dispatch.h>
#include <syscall.h>

#define BACKTRACE_MAX 16

extern char __text_start[], __text_end[];

static void print_frame(const char *prefix, unsigned n, uint64_t pc, const char *module,
                        uint64_t base)
{
    if (module != NULL)
        kprintf("%s bt #%u 0x%lx %s+0x%lx\n", prefix, n, (unsigned long)pc, module,
                (unsigned long)(pc - base));
    else
        kprintf("%s bt #%u 0x%lx ?\n", prefix, n, (unsigned long)pc);
}

static bool in_kernel_text(lvaddr_t pc)
{
    return pc >= (lvaddr_t)__text_start && pc < (lvaddr_t)__text_end;
}

/* Whether the two words of fp's frame record (adjacent on both
 * architectures) lie on the kernel stack [lo, hi). */
static bool on_stack(lvaddr_t fp, lvaddr_t lo, lvaddr_t hi)
{
    lvaddr_t first = fp + (ARCH_FRAME_LINK < ARCH_FRAME_RA ? ARCH_FRAME_LINK : ARCH_FRAME_RA);
    return fp % 8 == 0 && first >= lo && first < hi && hi - first >= 16;
}

void backtrace_kernel(const char *prefix, lvaddr_t pc, lvaddr_t fp)
{
    const lvaddr_t text = (lvaddr_t)__text_start;
    lvaddr_t lo, hi;
    arch_kernel_stack(&lo, &hi);
    unsigned n = 0;
    if (pc != 0)
        print_frame(prefix, n++, pc, in_kernel_text(pc) ? "cpudriver" : NULL, text);
    while (n < BACKTRACE_MAX && on_stack(fp, lo, hi)) {
        lvaddr_t ra = *(const lvaddr_t *)(fp + ARCH_FRAME_RA);
        lvaddr_t next = *(const lvaddr_t *)(fp + ARCH_FRAME_LINK);
        if (!in_kernel_text(ra))
            break;
        print_frame(prefix, n++, ra, "cpudriver", text);
        if (next <= fp) /* callers' frames lie above: anything else is not a frame */
            break;
        fp = next;
    }
}

void backtrace_user(const char *prefix, struct dispatcher *d, uvaddr_t pc, uvaddr_t fp)
{
    unsigned n = 0;
    bool in_image = pc >= d->image_base && pc < d->image_end;
    print_frame(prefix, n++, pc, in_image ? d->name : NULL, d->image_base);
    while (n < BACKTRACE_MAX && fp != 0 && fp % 8 == 0) {
        uint64_t ra, next;
        if (uaccess_copy_in(d, &ra, fp + ARCH_FRAME_RA, sizeof ra) != OK ||
            uaccess_copy_in(d, &next, fp + ARCH_FRAME_LINK, sizeof next) != OK)
            break;
        if (ra < d->image_base || ra >= d->image_end)
            break;
        print_frame(prefix, n++, ra, d->name, d->image_base);
        if (next <= fp)
            break;
        fp = next;
    }
}
