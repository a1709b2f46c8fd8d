/* loop.c — a hosted core's CPU driver at work. Its domains are Linux
 * processes that run concurrently; what the hardware kernel does on a trap,
 * this loop does on a request in a domain's page (a system call, a page
 * fault, a fault). A request is handled by the same common code, which ends
 * as it always does, by resuming a dispatcher (arch_resume) or waiting
 * (arch_wait_for_interrupt): here both come back to the loop, which answers
 * every dispatcher that is runnable again and sleeps on the core's doorbell
 * when nothing is left to do. A domain blocked in the kernel (a receive, a
 * sleep) is a process waiting for its answer. */
#include <arch.h>
#include <arch/layout.h>
#include <backtrace.h>
#include <boot.h>
#include <bootinfo.h>
#include <errno.h>
#include <kchan.h>
#include <linux/futex.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <syscall.h>
#include <time.h>
#include <unistd.h>

#include "hosted.h"

#define TICK_NS 10000000ull /* the timer tick: sleepers, alarms, interrupt deadlines */

extern char **environ;

static jmp_buf loop_top;
static volatile sig_atomic_t children_ended;
static struct dispatcher *last_served;

static long futex(uint32_t *word, int op, uint32_t val, const struct timespec *timeout)
{
    return syscall(SYS_futex, word, op, val, timeout, NULL, 0);
}

static struct hosted_dompage *page_of(struct dispatcher *d)
{
    return arch_phys_to_virt(d->arch.page);
}

void hosted_ring(coreid_t core)
{
    struct hosted_doorbell *b = hosted_doorbell(core);
    __atomic_fetch_add(&b->ring, 1, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&b->sleeping, __ATOMIC_SEQ_CST))
        futex(&b->ring, FUTEX_WAKE, 1, NULL);
}

void hosted_child_ended(void)
{
    children_ended = 1;
    hosted_ring(boot_self()->id);
}

static void on_sigchld(int sig)
{
    (void)sig;
    int saved = errno;
    hosted_child_ended();
    errno = saved;
}

/* Starts d's process: the loader, which maps its page and its core's doorbell
 * and jumps to its program's first instruction. */
static void start_process(struct dispatcher *d)
{
    struct hosted_dompage *p = page_of(d);
    p->start_rip = d->regs.rip;
    p->start_rsp = d->regs.rsp;
    p->start_rdi = d->regs.rdi;
    p->start_rsi = d->regs.rsi;
    p->image_base = d->image_base;
    p->image_end = d->image_end;
    char fd[16], page[24], bell[24], parent[16], name[DISPATCHER_NAME_MAX + 8];
    snprintf(fd, sizeof fd, "%d", hosted_ram_fd);
    snprintf(page, sizeof page, "0x%lx", (unsigned long)d->arch.page);
    snprintf(bell, sizeof bell, "0x%lx", (unsigned long)HOSTED_DOORBELL_PHYS(boot_self()->id));
    snprintf(parent, sizeof parent, "%d", (int)getpid());
    snprintf(name, sizeof name, "%s@%u", d->name, boot_self()->id);
    const char *loader = hosted_sibling("hostdom");
    bool stop = strcmp(d->name, boot_info()->arch.gdb_domain) == 0 &&
                !__atomic_exchange_n(&hosted_machine()->gdb_taken, 1, __ATOMIC_ACQ_REL);
    char *argv[] = {name, fd, page, bell, parent, stop ? "stop" : NULL, NULL};
    pid_t pid;
    int err = posix_spawn(&pid, loader, NULL, NULL, argv, environ);
    if (err != 0) {
        dispatcher_kill(d, SIG_KILL, DEATH_KILLED, 0, "its process could not be started");
        return;
    }
    d->arch.pid = pid;
    if (stop)
        kprintf("hosted: domain %s (core %u) is process %d, waiting for gdb before its "
                "first instruction; attach with: tools/gdb --pid %d --domain %s\n",
                d->name, boot_self()->id, (int)pid, (int)pid, d->name);
}

/* d's system call is done: its process gets the results. */
static void answer(struct dispatcher *d)
{
    struct hosted_dompage *p = page_of(d);
    p->err = d->regs.rax;
    p->value = d->regs.rdx;
    d->arch.in_call = false;
    __atomic_store_n(&p->ans, d->arch.seen, __ATOMIC_RELEASE);
    futex(&p->ans, FUTEX_WAKE, 1, NULL);
}

/* Every runnable dispatcher runs: a new one's process starts, and one that
 * waits for its answer gets it. */
static void run_runnable(void)
{
    for (struct dispatcher *d = dispatch_first(); d != NULL; d = dispatch_next(d)) {
        if (d->state != D_RUNNABLE)
            continue;
        if (d->arch.pid == 0)
            start_process(d);
        else if (d->arch.in_call)
            answer(d);
    }
}

NORETURN void arch_resume(struct dispatcher *d)
{
    (void)d; /* every runnable one is answered on the way round the loop */
    _longjmp(loop_top, 1);
}

NORETURN void arch_wait_for_interrupt(void) { _longjmp(loop_top, 1); }

void hosted_domain_end(struct dispatcher *d)
{
    if (d->arch.pid > 0)
        kill(d->arch.pid, SIGKILL); /* reaped in reap_children */
    d->arch.pid = 0;
    d->arch.in_call = false;
}

void hosted_domain_unmapped(struct dispatcher *d, uvaddr_t va, uint64_t bytes)
{
    if (d->arch.pid <= 0 || d->arch.page == 0)
        return; /* nothing is mapped in a process not yet started */
    struct hosted_dompage *p = page_of(d);
    uint32_t head = d->arch.unmap_head;
    uint32_t tail = __atomic_load_n(&p->unmap_tail, __ATOMIC_ACQUIRE);
    if (head - tail >= HOSTED_UNMAPS) {
        __atomic_fetch_add(&p->flush, 1, __ATOMIC_RELEASE); /* all of it goes */
    } else {
        p->unmap[head % HOSTED_UNMAPS].va = va;
        p->unmap[head % HOSTED_UNMAPS].bytes = bytes;
        d->arch.unmap_head = head + 1;
        __atomic_store_n(&p->unmap_head, head + 1, __ATOMIC_RELEASE);
    }
    /* A process running its program drops it now; one waiting for an
     * answer drops it before it runs on. */
    if (!d->arch.in_call)
        kill(d->arch.pid, SIGUSR1);
}

/* A process that ended on its own (or was killed from outside the system)
 * ends its dispatcher; one the kernel ended is only reaped. */
static void reap_children(void)
{
    if (!children_ended)
        return;
    children_ended = 0;
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        for (struct dispatcher *d = dispatch_first(); d != NULL; d = dispatch_next(d)) {
            if (d->arch.pid != pid)
                continue;
            d->arch.pid = -1; /* gone: nothing to kill */
            char why[64];
            int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
            snprintf(why, sizeof why, "its process ended (%s %d)", sig ? "signal" : "status",
                     sig ? sig : WEXITSTATUS(status));
            dispatcher_kill(d, SIG_KILL, DEATH_KILLED, 0, why);
            break;
        }
    }
}

/* The POSIX signal and portable cause of a fault the loader reports. */
static void fault_kind(uint64_t linux_sig, unsigned *sig, enum death_cause *cause)
{
    switch (linux_sig) {
    case SIGILL:
        *sig = SIG_ILL, *cause = DEATH_ILLEGAL;
        return;
    case SIGFPE:
        *sig = SIG_FPE, *cause = DEATH_ARITHMETIC;
        return;
    case SIGBUS:
        *sig = SIG_BUS, *cause = DEATH_MISALIGNED;
        return;
    case SIGTRAP:
        *sig = SIG_SEGV, *cause = DEATH_BREAKPOINT;
        return;
    default:
        *sig = SIG_SEGV, *cause = DEATH_PROTECTION;
        return;
    }
}

static NORETURN void fault(struct dispatcher *d, unsigned sig, enum death_cause cause,
                           uint64_t addr, const char *what)
{
    struct hosted_dompage *p = page_of(d);
    kprintf("trap: %s on core %u in domain %s: rip 0x%lx, address 0x%lx\n", what, boot_self()->id,
            d->name, (unsigned long)p->rip, (unsigned long)addr);
    backtrace_user("trap:  ", d, p->rip, p->rbp);
    dispatcher_kill(d, sig, cause, addr, what);
    schedule();
}

/* A page fault: the kernel's tables say where the page is, or it is a fault. */
static NORETURN void page_fault(struct dispatcher *d)
{
    struct hosted_dompage *p = page_of(d);
    uvaddr_t start = 0;
    paddr_t pa = 0;
    uint64_t bytes = 0;
    int prot = 0;
    uint64_t addr = p->addr;
    enum hosted_extent e = hosted_vspace_extent(d, addr, p->write != 0, &start, &pa, &bytes, &prot);
    p->device = e == EXTENT_DEVICE;
    if (e == EXTENT_DEVICE) {
        uint64_t value = p->store_value;
        unsigned size = (unsigned)p->access_bytes;
        if ((size != 1 && size != 2 && size != 4 && size != 8) || (addr & (size - 1)) != 0 ||
            !vdisk_access(pa, size, p->write != 0, &value))
            fault(d, SIG_SEGV, DEATH_PROTECTION, addr, "device register access it cannot make");
        p->value = value;
    } else if (e == EXTENT_NONE) {
        fault(d, SIG_SEGV, DEATH_PAGE_FAULT, addr, "page fault");
    }
    p->map_va = start;
    p->map_pa = pa;
    p->map_bytes = bytes;
    p->map_prot = (uint32_t)prot;
    d->arch.in_call = false;
    __atomic_store_n(&p->ans, d->arch.seen, __ATOMIC_RELEASE);
    futex(&p->ans, FUTEX_WAKE, 1, NULL);
    _longjmp(loop_top, 1);
}

static NORETURN void serve(struct dispatcher *d)
{
    struct hosted_dompage *p = page_of(d);
    d->arch.seen = __atomic_load_n(&p->req, __ATOMIC_ACQUIRE);
    d->arch.in_call = true;
    hosted_alive_served();
    d->regs.rip = p->rip;
    d->regs.rsp = p->rsp;
    d->regs.rbp = p->rbp;
    last_served = d;
    switch (p->kind) {
    case HOSTED_SYSCALL: {
        uint64_t a[6];
        memcpy(a, p->arg, sizeof a);
        syscall_dispatch(d, p->num, a);
    }
    case HOSTED_MAP:
        page_fault(d);
    default: {
        unsigned sig;
        enum death_cause cause;
        fault_kind(p->num, &sig, &cause);
        fault(d, sig, cause, p->addr, death_cause_str(cause));
    }
    }
}

/* The next dispatcher with a request, round-robin from the last served. */
static struct dispatcher *next_request(void)
{
    struct dispatcher *start =
        last_served && last_served->state != D_FREE ? dispatch_next(last_served) : NULL;
    for (int pass = 0; pass < 2; pass++) {
        for (struct dispatcher *d = pass ? dispatch_first() : start; d != NULL;
             d = dispatch_next(d)) {
            if (d->arch.pid <= 0 || d->arch.in_call)
                continue;
            if (__atomic_load_n(&page_of(d)->req, __ATOMIC_ACQUIRE) != d->arch.seen)
                return d;
        }
    }
    return NULL;
}

/* Nanoseconds until the next sleeper, alarm or tick is due. */
static uint64_t idle_for(uint64_t now, uint64_t next_tick)
{
    uint64_t until = next_tick;
    for (struct dispatcher *d = dispatch_first(); d != NULL; d = dispatch_next(d)) {
        if ((d->state == D_SLEEPING || d->state == D_WAITING) && d->wake_ns < until)
            until = d->wake_ns;
        if (d->alarm_ns != 0 && d->alarm_ns < until)
            until = d->alarm_ns;
    }
    return until > now ? until - now : 0;
}

static void sleep_on_doorbell(uint32_t seen, uint64_t ns)
{
    struct hosted_doorbell *b = hosted_doorbell(boot_self()->id);
    __atomic_store_n(&b->sleeping, 1, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&b->ring, __ATOMIC_SEQ_CST) == seen) {
        struct timespec t = {(time_t)(ns / 1000000000ull), (long)(ns % 1000000000ull)};
        futex(&b->ring, FUTEX_WAIT, seen, &t);
    }
    __atomic_store_n(&b->sleeping, 0, __ATOMIC_SEQ_CST);
}

static NORETURN void loop(void)
{
    static uint64_t next_tick;
    coreid_t self = boot_self()->id;
    struct hosted_doorbell *bell = hosted_doorbell(self);
    for (;;) {
        uint32_t seen = __atomic_load_n(&bell->ring, __ATOMIC_SEQ_CST);
        if (self == 0) {
            struct hosted_machine *m = hosted_machine();
            if (__atomic_load_n(&m->exit_requested, __ATOMIC_ACQUIRE))
                boot_poweroff(m->exit_status);
            kchan_poll();
            uart_poll();
        }
        vdisk_poll();
        if (__atomic_exchange_n(&bell->wake, 0, __ATOMIC_ACQ_REL))
            dispatch_wake_all();
        reap_children();
        hosted_alive_poll();
        uint64_t now = arch_now_ns();
        dispatch_tick(); /* sleepers and alarms due, interrupt deadlines */
        if (now >= next_tick)
            next_tick = now + TICK_NS;
        run_runnable();
        struct dispatcher *d = next_request();
        if (d != NULL)
            serve(d);
        if (self == 0)
            uart_flush();
        sleep_on_doorbell(seen, idle_for(now, next_tick));
    }
}

/* Core K's process, and the domains it starts, run on the K-th (mod their
 * number) of the host CPUs this program may use. */
static void pin(coreid_t core)
{
    cpu_set_t allowed, one;
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0 || CPU_COUNT(&allowed) == 0)
        return;
    unsigned want = core % (unsigned)CPU_COUNT(&allowed), seen = 0;
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
        if (!CPU_ISSET(cpu, &allowed) || seen++ != want)
            continue;
        CPU_ZERO(&one);
        CPU_SET(cpu, &one);
        (void)sched_setaffinity(0, sizeof one, &one);
        return;
    }
}

NORETURN void hosted_run(const struct core_boot *cb)
{
    pin(cb->id);
    struct sigaction sa = {.sa_handler = on_sigchld, .sa_flags = SA_RESTART | SA_NOCLDSTOP};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGCHLD, &sa, NULL);
    hosted_alive_start();
    if (_setjmp(loop_top) == 0)
        kernel_main(cb);
    loop();
}
