/* hosted_abi.h — what a hosted core's kernel and the loader of each of its
 * domains (hostdom) share. The machine's memory is one memory file (memfd);
 * a physical address is an offset in it. Below HOSTED_RAM_BASE are the
 * machine's own pages; the rest is RAM the CPU drivers share out.
 *
 * A domain's process runs its program unchanged: every system call it makes
 * traps (Linux's syscall user dispatch) into the loader, which writes the call
 * into the domain's page, rings its core's doorbell and waits for the answer.
 * Its memory is mapped lazily: a page fault asks the kernel where the page is,
 * and an address the kernel has not mapped is a fault that ends the domain. */
#ifndef ARCH_HOSTED_ABI_H
#define ARCH_HOSTED_ABI_H

#include <stdint.h>

#define HOSTED_PAGE                4096ull
#define HOSTED_MACHINE_PHYS        0x1000ull   /* struct hosted_machine: the kernels' only */
#define HOSTED_DEVICE_STATE        0x2000ull   /* the devices' state, shared by the cores */
#define HOSTED_DEVICES             0x40000ull  /* device registers: a page each, never mapped */
#define HOSTED_DOORBELLS           0x100000ull /* a page per core: struct hosted_doorbell */
#define HOSTED_RAM_BASE            (HOSTED_DOORBELLS + 256 * HOSTED_PAGE)
#define HOSTED_DOORBELL_PHYS(core) (HOSTED_DOORBELLS + (uint64_t)(core)*HOSTED_PAGE)

/* What every core's kernel sees: a request to end the system. */
struct hosted_machine {
    uint32_t exit_requested; /* set once, by any core; core 0 ends the system */
    int32_t exit_status;
    uint32_t gdb_taken; /* the domain --gdb named has started (stopped) */
};

/* A core's kernel sleeps on ring (a futex) when it has nothing to do; a domain
 * with a request, another core or a device adds one and wakes it if it
 * sleeps. */
struct hosted_doorbell {
    uint32_t ring;
    uint32_t sleeping;
    uint32_t wake;    /* another core's wake-up (the IPI of the hardware) */
    uint32_t started; /* the core's process runs (set once, at its start) */
};

enum hosted_request {
    HOSTED_SYSCALL = 1, /* num, arg[]: a system call of the program */
    HOSTED_MAP = 2,     /* addr, write: a page fault in user space */
    HOSTED_FAULT = 3,   /* signal, addr: any other fault (the domain ends) */
};

#define HOSTED_UNMAPS 64

/* One page per domain, mapped in its process at VA_HOSTED_DOMPAGE. Its
 * program can write it too: the kernel trusts nothing it reads here. */
struct hosted_dompage {
    /* The request: the loader fills it, then bumps req (release). */
    uint32_t req;
    uint32_t kind;   /* enum hosted_request */
    uint64_t num;    /* HOSTED_SYSCALL: the number; HOSTED_FAULT: the signal */
    uint64_t arg[6]; /* HOSTED_SYSCALL: its arguments */
    uint64_t addr;   /* HOSTED_MAP, HOSTED_FAULT: the address */
    uint64_t write;  /* HOSTED_MAP: the access was a write */
    /* HOSTED_MAP: the faulting instruction as a device register access, if
     * it is one the loader can complete (a mov of 1, 2, 4 or 8 bytes): its
     * size (0: not one) and, for a store, the value. */
    uint64_t access_bytes, store_value;
    uint64_t rip, rsp, rbp;

    /* The answer: the kernel fills it, then sets ans to req (release). */
    uint32_t ans;
    uint32_t map_prot; /* HOSTED_MAP: PROT_* of [map_va, map_va + map_bytes) */
    uint32_t device;   /* HOSTED_MAP: the kernel did the device access; a load's */
    uint32_t pad0;     /* value is in value */
    uint64_t err, value;
    uint64_t map_va, map_pa, map_bytes;

    /* Mappings the kernel has taken away: a ring the kernel fills (head) and
     * the loader empties (tail) before it next runs the program. When the
     * ring is full the kernel bumps flush instead: everything goes. */
    uint32_t unmap_head, unmap_tail, flush;
    uint32_t pad;
    struct {
        uint64_t va, bytes;
    } unmap[HOSTED_UNMAPS];

    /* Where the program starts, and where its image lies. */
    uint64_t start_rip, start_rsp, start_rdi, start_rsi;
    uint64_t image_base, image_end;
};

_Static_assert(sizeof(struct hosted_dompage) <= HOSTED_PAGE, "one page");

#endif
