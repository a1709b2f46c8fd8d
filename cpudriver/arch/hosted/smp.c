/* smp.c — starting a hosted core: a process of its own, running this same
 * program with the place of its struct core_boot in the machine's memory.
 * From then on the two share what cores share on hardware: the boot info,
 * their kernel channel and the RAM, all in the memory file. */
#include <arch.h>
#include <bootinfo.h>
#include <kchan.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hosted.h"

#define START_TIMEOUT_NS 10000000000ull

extern char **environ;

/* A page: the struct core_boot the new process reads. Its kernel data is
 * the process's own. */
uint64_t arch_core_region_bytes(void) { return PAGE_SIZE; }

paddr_t arch_core_region_build(paddr_t base, struct core_boot *cb)
{
    cb->region_base = base;
    cb->region_end = base + PAGE_SIZE;
    cb->data_phys = base;
    return base + PAGE_SIZE;
}

err_t arch_start_core(const struct core_boot *cb)
{
    memcpy(arch_phys_to_virt(cb->region_base), cb, sizeof *cb);
    char phys[24], fd[16], bytes[24];
    snprintf(phys, sizeof phys, "0x%lx", (unsigned long)cb->region_base);
    snprintf(fd, sizeof fd, "%d", hosted_ram_fd);
    snprintf(bytes, sizeof bytes, "%lu", (unsigned long)hosted_ram_bytes);
    char name[24];
    snprintf(name, sizeof name, "cpu%u", cb->id);
    char *argv[] = {name, "--core-boot", phys, "--ram-fd", fd, "--ram-bytes", bytes, NULL};
    pid_t pid;
    if (posix_spawn(&pid, hosted_sibling("cpudriver"), NULL, NULL, argv, environ) != 0) {
        kprintf("cpu %u: its process could not be started\n", cb->id);
        return ERR_DEAD;
    }
    hosted_alive_core(cb->id, pid);
    uint32_t *started = &hosted_doorbell(cb->id)->started;
    uint64_t deadline = arch_now_ns() + START_TIMEOUT_NS;
    while (!__atomic_load_n(started, __ATOMIC_ACQUIRE)) {
        if (arch_now_ns() > deadline) {
            kprintf("cpu %u: its process did not start\n", cb->id);
            return ERR_DEAD;
        }
        kchan_poll();
        usleep(100);
    }
    return OK;
}

void arch_send_wake(coreid_t core)
{
    __atomic_store_n(&hosted_doorbell(core)->wake, 1, __ATOMIC_RELEASE);
    hosted_ring(core);
}
