/* regs.h — what the hosted kernel keeps of a domain's registers: the system
 * call's arguments and results travel in its struct hosted_dompage, and the
 * rest stays in its Linux process. These are the start registers and, after a
 * system call or a fault, where it was (for reports and backtraces). */
#ifndef ARCH_REGS_H
#define ARCH_REGS_H

#include <stdbool.h>
#include <stdint.h>

struct regs {
    uint64_t rip, rsp, rbp, rdi, rsi; /* rdi, rsi: main's argc and argv at start */
    uint64_t rax, rdx;                /* a system call's results: err_t and value */
};

struct arch_dispatcher {
    int pid;             /* its Linux process; 0 before it starts */
    bool in_call;        /* it waits for the answer to a request */
    uint32_t seen;       /* the last request sequence number taken */
    uint64_t page;       /* physical address of its struct hosted_dompage */
    uint32_t unmap_head; /* the kernel's own count of unmaps it queued there */
};

#endif
