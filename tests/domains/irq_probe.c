/* irq_probe.c — a driver on any core takes the console UART's interrupt line:
 * binds it (routed to this core through monitor 0, the only one whose CPU
 * driver programs the shared interrupt controller), makes the UART raise it
 * (transmitter empty), and says whether the interrupt came, then lets go of
 * the line. The boot test runs it on a core other than 0 with no console
 * driver, so the line is free. */
#include <lmp.h>
#include <ns_calls.h>
#include <slot_alloc.h>
#include <string.h>
#include <sys.h>
#include <va_layout.h>

#define UART_IER   1
#define IER_THRI   0x02 /* interrupt when the transmitter holding register is empty */
#define TIMEOUT_NS 10000000000ull

static struct ns_device_cap regs;
static capaddr_t irq_slot, regs_slot, notify_ep;
static uintptr_t uart_va; /* where the UART's page is mapped, if it is MMIO */

static err_t device_cap(uint32_t index, capaddr_t slot, struct ns_device_cap *got)
{
    struct ns_device q = {.index = index};
    strcpy(q.name, "console");
    return ns_device(&q, got, 0, slot);
}

static err_t set_ier(uint8_t v)
{
    if (regs.cap_type == CAP_IOPORT)
        return io_out(regs_slot, (unsigned)regs.dev.base + UART_IER, 1, v);
    volatile uint8_t *u = (volatile uint8_t *)(uart_va + (regs.dev.base & 0xfff));
    u[UART_IER << regs.dev.reg_shift] = v;
    return OK;
}

/* Waits, boundedly, for the interrupt's notification. */
static bool interrupted(void)
{
    uint64_t deadline = sys_now_ns() + TIMEOUT_NS;
    while (sys_now_ns() < deadline) {
        msg_t m;
        if (lmp_recv(&m, 0, LMP_ANY, LMP_NONBLOCK, NULL) == OK && m.type == LMP_NOTIFY_TYPE &&
            (*msg_payload_const(&m, uint64_t) & 1))
            return true;
        sys_yield();
    }
    return false;
}

int main(void)
{
    unsigned core = sys_core_id();
    struct ns_device_cap irq;
    err_t err = OK;
    if (slot_alloc(&irq_slot) != OK || slot_alloc(&regs_slot) != OK ||
        slot_alloc(&notify_ep) != OK || va_alloc(4096, &uart_va) != OK)
        err = ERR_NOSPACE;
    if (err == OK)
        err = device_cap(0, irq_slot, &irq);
    if (err == OK)
        err = device_cap(1, regs_slot, &regs);
    if (err == OK && regs.cap_type != CAP_IOPORT)
        err = frame_map(regs_slot, uart_va, 1);
    if (err == OK)
        err = ep_mint(1, notify_ep);
    if (err == OK)
        err = irq_bind(irq_slot, notify_ep, 1);
    if (err != OK) {
        sys_printf("irq_probe: FAIL: cannot bind the UART's line on core %u: %s\n", core,
                   err_str(err));
        return 1;
    }
    err = set_ier(IER_THRI);
    bool got = err == OK && interrupted();
    (void)set_ier(0);
    (void)irq_ack(irq_slot);
    err_t unbound = irq_bind(irq_slot, notify_ep, 0);
    if (!got || unbound != OK) {
        sys_printf("irq_probe: FAIL: line %u on core %u: %s\n", irq.dev.irq, core,
                   got ? "cannot unbind it" : "no interrupt came");
        return 1;
    }
    sys_printf("irq_probe: line %u interrupted core %u, and was let go\n", irq.dev.irq, core);
    return 0;
}
