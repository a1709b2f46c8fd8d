/* cap_probe.c — what a domain without the capabilities cannot do, and what it
 * can do with the ones it has. Each check prints one line; the exit status is
 * the number of failed checks. */
#include <lmp.h>
#include <ns_calls.h>
#include <slot_alloc.h>
#include <string.h>
#include <sys.h>
#include <va_layout.h>

#include "probe.h"

/* Slots and addresses of its own to work with; empty is never filled (every
 * check that uses it fails before anything lands in it). */
static capaddr_t frame, copy, readonly, empty;
static uintptr_t va_a, va_b, va_c;

/* What the monitor answers a request for a device's first capability. */
static err_t device_request(const char *device)
{
    struct ns_device q = {.index = 0};
    struct ns_device_cap got;
    strcpy(q.name, device);
    return ns_device(&q, &got, 0, empty);
}

int main(void)
{
    probe_name = "cap_probe";
    if (slot_alloc(&frame) != OK || slot_alloc(&copy) != OK || slot_alloc(&readonly) != OK ||
        slot_alloc(&empty) != OK || va_alloc(VA_PAGE, &va_a) != OK ||
        va_alloc(VA_PAGE, &va_b) != OK || va_alloc(VA_PAGE, &va_c) != OK) {
        sys_printf("cap_probe: no slots or addresses to work with\n");
        return 1;
    }
    struct cap_info info;
    /* What it was not given. */
    expect("no Kernel capability: cannot start a core", kernel_start_core(CAP_SLOT_KERNEL, 1),
           ERR_NOENT);
    expect("a RAM capability is no Kernel capability", kernel_start_core(CAP_SLOT_RAM, 1),
           ERR_PERM);
    expect("no Kernel capability: cannot make a frame of any memory",
           kernel_mint_frame(CAP_SLOT_KERNEL, empty, 0x100000, 4096), ERR_NOENT);
    expect("no Kernel capability: cannot send a wake-up", kernel_wake(CAP_SLOT_KERNEL, 0),
           ERR_NOENT);
    uint64_t phys;
    char name[16];
    expect("no Kernel capability: cannot learn device pages",
           kernel_device(CAP_SLOT_KERNEL, 0, &phys, name, sizeof name), ERR_NOENT);
    expect("no Kernel capability: cannot make device or IRQ capabilities",
           kernel_mint_irq(CAP_SLOT_KERNEL, empty, 1), ERR_NOENT);
    expect("cannot name a monitor's channel frame", cap_identify(CAP_SLOT_BOOT_FRAME, &info),
           ERR_NOENT);
    expect("cannot map an empty slot", frame_map(empty, va_a, 1), ERR_NOENT);
    expect("cannot map RAM without retyping it", frame_map(CAP_SLOT_RAM, va_a, 1), ERR_PERM);
    expect("slot numbers past the space are refused", cap_identify(100000, &info), ERR_INVAL);

    /* Devices: their drivers get these capabilities from the monitor, no one else. */
    uint32_t v;
    size_t got;
    expect("no IRQ capability: cannot bind an interrupt", irq_bind(CAP_SLOT_RAM, CAP_SLOT_SELF, 1),
           ERR_PERM);
    expect("no IRQ capability: cannot acknowledge one", irq_ack(empty), ERR_NOENT);
    expect("no I/O-port capability: cannot read a port", io_in(CAP_SLOT_RAM, 0x3f8, 1, &v),
           ERR_PERM);
    expect("no I/O-port capability: cannot write one", io_out(empty, 0x3f8, 1, 0), ERR_NOENT);
    expect("no console-log capability: cannot take the console over",
           klog_bind(CAP_SLOT_RAM, CAP_SLOT_SELF, 1), ERR_PERM);
    expect("no console-log capability: cannot read the kernel's lines",
           klog_read(empty, name, sizeof name, &got), ERR_NOENT);
    expect("the monitor gives the console only to its driver", device_request("console"), ERR_PERM);
    expect("the monitor knows no device nosuch", device_request("nosuch"), ERR_NOENT);

    /* What it can do with its own RAM. */
    expect("no DMA right: where a new frame is stays unknown",
           cap_retype(CAP_SLOT_RAM, frame, CAP_FRAME, 4096, &phys), ERR_PERM);
    expect("retype a page of RAM into a frame",
           cap_retype(CAP_SLOT_RAM, frame, CAP_FRAME, 4096, NULL), OK);
    expect("no DMA right: identify shows no physical address",
           cap_identify(frame, &info) == OK && info.base == 0 && info.size == 4096 ? OK : ERR_PERM,
           OK);
    expect("rights only go: a restricted frame cannot be mapped writable",
           cap_copy(frame, readonly, CAP_RIGHTS_ALL) == OK &&
                   cap_restrict(readonly, CAP_RIGHT_READ) == OK
               ? frame_map(readonly, va_c, 1)
               : ERR_INVAL,
           ERR_PERM);
    expect("rights only go: restricting cannot add the DMA right",
           cap_restrict(readonly, CAP_RIGHTS_ALL | CAP_RIGHT_PHYS) == OK &&
                   cap_identify(readonly, &info) == OK && info.rights == CAP_RIGHT_READ
               ? OK
               : ERR_INVAL,
           OK);
    expect("drop the restricted copy", cap_delete(readonly), OK);
    expect("a retype into a used slot is refused",
           cap_retype(CAP_SLOT_RAM, frame, CAP_FRAME, 4096, NULL), ERR_NOSPACE);
    expect("a retype of an odd size is refused",
           cap_retype(CAP_SLOT_RAM, empty, CAP_FRAME, 100, NULL), ERR_INVAL);
    expect("a retype beyond the RAM is refused",
           cap_retype(CAP_SLOT_RAM, empty, CAP_FRAME, 1ul << 30, NULL), ERR_NOMEM);
    expect("map the frame", frame_map(frame, va_a, 1), OK);
    expect("map the frame in kernel space is refused", frame_map(frame, 0xffffffff80000000ul, 1),
           ERR_INVAL);
    volatile uint32_t *a = (volatile uint32_t *)va_a;
    *a = 0x600dcafe;
    expect("copy the frame capability", cap_copy(frame, copy, CAP_RIGHTS_ALL), OK);
    expect("map the copy elsewhere", frame_map(copy, va_b, 0), OK);
    volatile uint32_t *b = (volatile uint32_t *)va_b;
    expect("both mappings show the same memory", *b == 0x600dcafe ? OK : ERR_INVAL, OK);
    expect("a read-only copy of it", cap_copy(copy, readonly, CAP_RIGHT_READ), OK);
    expect("a read-only copy cannot be mapped writable", frame_map(readonly, va_c, 1), ERR_PERM);
    expect("a copy without the grant right cannot be copied",
           cap_copy(readonly, empty, CAP_RIGHTS_ALL), ERR_PERM);
    expect("revoke the RAM: frames made from it go", cap_revoke(CAP_SLOT_RAM), OK);
    expect("the revoked frame is gone", cap_identify(frame, &info), ERR_NOENT);
    expect("its copy is gone too", cap_identify(copy, &info), ERR_NOENT);
    expect("the RAM can be retyped again", cap_retype(CAP_SLOT_RAM, frame, CAP_FRAME, 4096, NULL),
           OK);
    return probe_done();
}
