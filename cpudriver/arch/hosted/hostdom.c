/* hostdom.c — the loader of a hosted domain: one Linux process per domain,
 * running the domain's x86-64 program unchanged.
 *
 *     hostdom RAM_FD PAGE_PHYS DOORBELL_PHYS PARENT_PID [stop]   (argv[0]: NAME@CORE)
 *     hostdom --check-confinement   (ends with SIGSYS if confine.c's filter works)
 *
 * It maps the domain's page and its core's doorbell, and turns on Linux's
 * syscall user dispatch: from then on every system call made outside this
 * loader's own code raises SIGSYS, and the handler takes it to the core's
 * kernel as a request (arch/hosted_abi.h). Page faults in user space ask the
 * kernel where the page is and map it from the machine's memory file; any
 * other fault is reported, and the kernel ends the domain. Nothing here
 * trusts the program: it runs in the same process, so this is isolation
 * against bugs, not against an attacker (docs/hosted.md). With "stop" it
 * waits before the program's first instruction until gdb has attached. */
#include "confine.h"

#include <arch/hosted_abi.h>
#include <arch/layout.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <sanitize.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <ucontext.h>
#include <unistd.h>

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#define PR_SYS_DISPATCH_ON           1
#endif
#define SELECTOR_BLOCK 1

#define USER_BOTTOM 0x10000ull /* Linux's mmap_min_addr: nothing of a program is below */

extern char __executable_start[], etext[];

static struct hosted_dompage *page;
static struct hosted_doorbell *bell;
static int ram_fd;
static volatile char selector = SELECTOR_BLOCK;
static uint32_t flushes_done;
static char signal_stack[1 << 16] __attribute__((aligned(16)));

static long futex(uint32_t *word, int op, uint32_t val)
{
    return syscall(SYS_futex, word, op, val, NULL, NULL, 0);
}

static void say(const char *what)
{
    (void)!write(STDERR_FILENO, "hostdom: ", 9);
    (void)!write(STDERR_FILENO, what, strlen(what));
    (void)!write(STDERR_FILENO, "\n", 1);
}

/* Hands the filled request to the kernel and waits for its answer. A request
 * that ends the domain is never answered: the kernel kills this process. */
static void request(uint32_t kind, const greg_t *g)
{
    page->kind = kind;
    page->rip = (uint64_t)g[REG_RIP];
    page->rsp = (uint64_t)g[REG_RSP];
    page->rbp = (uint64_t)g[REG_RBP];
    uint32_t seq = page->req + 1;
    __atomic_store_n(&page->req, seq, __ATOMIC_RELEASE);
    __atomic_fetch_add(&bell->ring, 1, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&bell->sleeping, __ATOMIC_SEQ_CST))
        futex(&bell->ring, FUTEX_WAKE, 1);
    uint32_t ans;
    while ((ans = __atomic_load_n(&page->ans, __ATOMIC_ACQUIRE)) != seq)
        futex(&page->ans, FUTEX_WAIT, ans);
}

/* Drops what the kernel unmapped since the program last ran. */
static void apply_unmaps(void)
{
    uint32_t flush = __atomic_load_n(&page->flush, __ATOMIC_ACQUIRE);
    uint32_t head = __atomic_load_n(&page->unmap_head, __ATOMIC_ACQUIRE);
    if (flush != flushes_done) {
        munmap((void *)USER_BOTTOM, USER_TOP - USER_BOTTOM);
        flushes_done = flush;
    } else {
        for (uint32_t t = page->unmap_tail; t != head; t++) {
            uint64_t va = page->unmap[t % HOSTED_UNMAPS].va;
            uint64_t bytes = page->unmap[t % HOSTED_UNMAPS].bytes;
            if (va >= USER_BOTTOM && va < USER_TOP && bytes <= USER_TOP - va)
                munmap((void *)va, bytes);
        }
    }
    __atomic_store_n(&page->unmap_tail, head, __ATOMIC_RELEASE);
}

static bool in_loader(uint64_t pc)
{
    return pc >= (uint64_t)__executable_start && pc < (uint64_t)etext;
}

static void on_syscall(int sig, siginfo_t *si, void *ctx)
{
    (void)sig, (void)si;
    greg_t *g = ((ucontext_t *)ctx)->uc_mcontext.gregs;
    page->num = (uint64_t)g[REG_RAX];
    page->arg[0] = (uint64_t)g[REG_RDI];
    page->arg[1] = (uint64_t)g[REG_RSI];
    page->arg[2] = (uint64_t)g[REG_RDX];
    page->arg[3] = (uint64_t)g[REG_R10];
    page->arg[4] = (uint64_t)g[REG_R8];
    page->arg[5] = (uint64_t)g[REG_R9];
    request(HOSTED_SYSCALL, g);
    g[REG_RAX] = (greg_t)page->err;
    g[REG_RDX] = (greg_t)page->value;
    apply_unmaps();
}

static void report_fault(int sig, uint64_t addr, const greg_t *g)
{
    page->num = (uint64_t)sig;
    page->addr = addr;
    request(HOSTED_FAULT, g);
    for (;;)
        pause(); /* the kernel ends this process */
}

/* A mov between a register and memory, or of an immediate to memory: what a
 * device register access compiles to. Decoded far enough to complete it
 * here: its size, its register and the instruction's length (the address is
 * the fault's). */
struct access {
    unsigned bytes; /* 1, 2, 4 or 8 */
    unsigned into;  /* a load's destination size: movzx widens */
    bool store, immediate, high_byte;
    unsigned reg; /* 0-15 in x86 order; high_byte: ah, ch, dh, bh of reg */
    uint64_t imm;
    unsigned length;
};

static const int greg_of[16] = {REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP,
                                REG_RSI, REG_RDI, REG_R8,  REG_R9,  REG_R10, REG_R11,
                                REG_R12, REG_R13, REG_R14, REG_R15};

#define INSN_MAX 15

/* The instruction bytes at pc that can be read (up to INSN_MAX), without
 * faulting: the next page may not be mapped here yet. */
static unsigned code_at(uint64_t pc, uint8_t *buf)
{
    uint64_t split = (pc | (HOSTED_PAGE - 1)) + 1;
    size_t first = split - pc < INSN_MAX ? split - pc : INSN_MAX;
    struct iovec local = {buf, INSN_MAX};
    struct iovec remote[2] = {{(void *)pc, first}, {(void *)split, INSN_MAX - first}};
    ssize_t n = process_vm_readv(getpid(), &local, 1, remote, first < INSN_MAX ? 2 : 1, 0);
    return n > 0 ? (unsigned)n : 0;
}

static bool decode(const uint8_t *c, unsigned len, struct access *a)
{
    unsigned i = 0, rex = 0;
    bool word = false;
    for (; c[i] == 0x66 || c[i] == 0x2e || c[i] == 0x3e; i++) /* operand size, segment hints */
        word |= c[i] == 0x66;
    if ((c[i] & 0xf0) == 0x40)
        rex = c[i++];
    uint8_t op = c[i++];
    bool two = op == 0x0f;
    if (two)
        op = c[i++];
    uint8_t modrm = c[i++];
    unsigned mod = modrm >> 6, rm = modrm & 7;
    if (mod == 3)
        return false; /* a register operand: not a memory access */
    if (rm == 4 && (c[i++] & 7) == 5 && mod == 0)
        i += 4; /* SIB with no base: a 32-bit displacement */
    else if (rm == 5 && mod == 0)
        i += 4; /* rip-relative */
    i += mod == 1 ? 1 : mod == 2 ? 4 : 0;
    unsigned wide = rex & 8 ? 8 : word ? 2 : 4;
    *a = (struct access){.reg = ((modrm >> 3) & 7) | (rex & 4 ? 8 : 0)};
    if (!two && (op == 0x88 || op == 0x8a)) { /* mov r/m8, r8 and back */
        a->bytes = a->into = 1;
        a->store = op == 0x88;
        a->high_byte = rex == 0 && a->reg >= 4;
    } else if (!two && (op == 0x89 || op == 0x8b)) {
        a->bytes = a->into = wide;
        a->store = op == 0x89;
    } else if (two && (op == 0xb6 || op == 0xb7)) { /* movzx */
        a->bytes = op == 0xb6 ? 1 : 2;
        a->into = wide;
    } else if (!two && (op == 0xc6 || op == 0xc7) && ((modrm >> 3) & 7) == 0) {
        a->store = a->immediate = true;
        a->bytes = op == 0xc6 ? 1 : wide;
        unsigned n = a->bytes == 8 ? 4 : a->bytes;
        int64_t v = 0;
        memcpy(&v, c + i, n); /* little-endian; the 8-byte form sign-extends 4 */
        if (n == 4)
            v = (int32_t)v;
        a->imm = (uint64_t)v;
        i += n;
    } else {
        return false;
    }
    if (a->high_byte)
        a->reg -= 4;
    a->length = i;
    return i <= len;
}

static uint64_t mask_of(unsigned bytes) { return bytes == 8 ? ~0ull : (1ull << (bytes * 8)) - 1; }

/* The load's value, into its register as the instruction would have put it. */
static void complete_load(greg_t *g, const struct access *a, uint64_t v)
{
    uint64_t *r = (uint64_t *)&g[greg_of[a->reg]];
    v &= mask_of(a->bytes);
    if (a->high_byte)
        *r = (*r & ~0xff00ull) | v << 8;
    else if (a->into >= 4) /* a 32-bit destination clears the upper half */
        *r = v;
    else
        *r = (*r & ~mask_of(a->into)) | v;
}

/* Maps the run of pages the kernel answered a HOSTED_MAP with. What the
 * program may not write is mapped private: the same pages until someone
 * writes them, and the one writer there can be is a debugger's breakpoint,
 * which Linux allows only in a private mapping. */
static bool map_answer(void)
{
    int prot = (int)page->map_prot;
    int shared = prot & PROT_WRITE ? MAP_SHARED : MAP_PRIVATE;
    return mmap((void *)page->map_va, page->map_bytes, prot, shared | MAP_FIXED, ram_fd,
                (off_t)page->map_pa) != MAP_FAILED;
}

static void on_fault(int sig, siginfo_t *si, void *ctx)
{
    greg_t *g = ((ucontext_t *)ctx)->uc_mcontext.gregs;
    uint64_t addr = (uint64_t)si->si_addr;
    if (in_loader((uint64_t)g[REG_RIP])) {
        say("a fault in the loader itself");
        signal(sig, SIG_DFL);
        return; /* runs again, and ends the process with the signal */
    }
    /* A page fault (not a protection fault, si_code SI_KERNEL) may be a page
     * of the domain not yet mapped here; the kernel says, or ends it. */
    if (sig == SIGSEGV && si->si_code != SI_KERNEL) {
        struct access a;
        uint8_t code[INSN_MAX + 8] = {0}; /* decode may look a few bytes past len */
        bool fetch = g[REG_ERR] & 0x10;   /* an instruction fetch: no data access */
        bool known = !fetch && decode(code, code_at((uint64_t)g[REG_RIP], code), &a);
        page->addr = addr;
        page->write = (g[REG_ERR] & 2) != 0;
        page->access_bytes = known ? a.bytes : 0;
        if (known && a.store)
            page->store_value = (a.immediate   ? a.imm
                                 : a.high_byte ? (uint64_t)g[greg_of[a.reg]] >> 8
                                               : (uint64_t)g[greg_of[a.reg]]) &
                                mask_of(a.bytes);
        request(HOSTED_MAP, g);
        if (page->device) { /* the kernel did it: a device register */
            if (!a.store)
                complete_load(g, &a, page->value);
            g[REG_RIP] += a.length;
            return;
        }
        if (map_answer())
            return;
    }
    report_fault(sig, sig == SIGBUS ? addr : (uint64_t)g[REG_RIP], g);
}

static void on_unmapped(int sig, siginfo_t *si, void *ctx)
{
    (void)sig, (void)si, (void)ctx;
    apply_unmaps();
}

static void handle(int sig, void (*fn)(int, siginfo_t *, void *))
{
    struct sigaction sa = {.sa_sigaction = fn, .sa_flags = SA_SIGINFO | SA_ONSTACK};
    sigfillset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

static void *map_shared(uint64_t va, uint64_t phys)
{
    return mmap((void *)va, HOSTED_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED_NOREPLACE,
                ram_fd, (off_t)phys);
}

/* Maps the program's image now rather than page by page as it runs. */
static void map_image(void)
{
    static const greg_t none[NGREG];
    for (uint64_t at = page->image_base & ~(HOSTED_PAGE - 1); at < page->image_end;) {
        page->addr = at;
        page->write = 0;
        page->access_bytes = 0;
        request(HOSTED_MAP, none);
        if (page->device || !map_answer())
            return;
        at = page->map_va + page->map_bytes;
    }
}

/* Whether a debugger is attached to this process. */
static bool traced(void)
{
    char buf[4096];
    int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
    if (fd >= 0)
        close(fd);
    if (n <= 0)
        return true; /* cannot tell: do not wait for ever */
    buf[n] = '\0';
    const char *t = strstr(buf, "TracerPid:");
    return t == NULL || atoi(t + 10) != 0;
}

/* Jumps to the program with its start registers, the others zero. */
static __attribute__((noreturn)) void enter(uint64_t rip, uint64_t rsp, uint64_t rdi, uint64_t rsi)
{
    register uint64_t r15 __asm__("r15") = rip;
    __asm__ volatile("mov %0, %%rsp\n\t"
                     "xor %%eax, %%eax\n\t"
                     "xor %%ebx, %%ebx\n\t"
                     "xor %%ecx, %%ecx\n\t"
                     "xor %%edx, %%edx\n\t"
                     "xor %%ebp, %%ebp\n\t"
                     "xor %%r8d, %%r8d\n\t"
                     "xor %%r9d, %%r9d\n\t"
                     "xor %%r10d, %%r10d\n\t"
                     "xor %%r11d, %%r11d\n\t"
                     "xor %%r12d, %%r12d\n\t"
                     "xor %%r13d, %%r13d\n\t"
                     "xor %%r14d, %%r14d\n\t"
                     "jmp *%%r15"
                     :
                     : "r"(rsp), "D"(rdi), "S"(rsi), "r"(r15)
                     : "memory");
    __builtin_unreachable();
}

/* The filter on: the calls the loader makes pass, and one it never makes
 * ends the process with SIGSYS. */
static int check_confinement(void)
{
    if (!hostdom_confine())
        return 2;
    uint32_t word = 0;
    uint8_t byte = 0;
    struct iovec here = {&byte, 1}, there = {&word, 1};
    void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (futex(&word, FUTEX_WAKE, 1) < 0 ||
        process_vm_readv(getpid(), &here, 1, &there, 1, 0) != 1 || page == MAP_FAILED ||
        munmap(page, 4096) != 0)
        return 3;
    say("the loader's own calls pass the filter");
    syscall(SYS_getppid); /* not the loader's: the filter must end the process here */
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--check-confinement") == 0)
        return check_confinement();
    bool stop = argc == 6 && strcmp(argv[5], "stop") == 0;
    if (argc != 5 && !stop) {
        say("usage: hostdom RAM_FD PAGE_PHYS DOORBELL_PHYS PARENT_PID [stop] (started by the "
            "hosted CPU driver)");
        return 2;
    }
    prctl(PR_SET_PDEATHSIG, SIGKILL); /* the domain ends with its core */
    if (getppid() != (pid_t)atoi(argv[4]))
        return 1;
    ram_fd = atoi(argv[1]);
    if ((uint64_t)__executable_start < VA_HOSTED_DOORBELL + HOSTED_PAGE) {
        say("the loader lies inside the domain's address space");
        return 1;
    }
    page = map_shared(VA_HOSTED_DOMPAGE, strtoull(argv[2], NULL, 0));
    bell = map_shared(VA_HOSTED_DOORBELL, strtoull(argv[3], NULL, 0));
    if (page == MAP_FAILED || bell == MAP_FAILED) {
        say("cannot map the domain's page");
        return 1;
    }
    if (stop)
        map_image(); /* for gdb's breakpoints to go in */
    while (stop && !traced())
        usleep(10000); /* until gdb attaches: then its breakpoints are in before the program runs */
    /* The sanitizer build's shadow of user space (lib/sanitize), empty: its
     * pages cost nothing until a sanitized program writes them. */
    if (mmap((void *)SAN_SHADOW_OFFSET, SAN_SHADOW_BYTES, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1,
             0) == MAP_FAILED) {
        say("cannot map the sanitizers' shadow memory");
        return 1;
    }
    stack_t ss = {.ss_sp = signal_stack, .ss_size = sizeof signal_stack};
    sigaltstack(&ss, NULL);
    handle(SIGSYS, on_syscall);
    handle(SIGSEGV, on_fault);
    handle(SIGBUS, on_fault);
    handle(SIGILL, on_fault);
    handle(SIGFPE, on_fault);
    handle(SIGTRAP, on_fault);
    handle(SIGUSR1, on_unmapped);
    if (prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, (unsigned long)__executable_start,
              (unsigned long)(etext - __executable_start), &selector) != 0) {
        say("Linux refused syscall user dispatch (it needs Linux 5.11 or later)");
        return 1;
    }
    if (!hostdom_confine()) {
        say("Linux refused the loader's seccomp filter");
        return 1;
    }
    enter(page->start_rip, page->start_rsp, page->start_rdi, page->start_rsi);
}
