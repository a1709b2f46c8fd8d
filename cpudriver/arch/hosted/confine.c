/* confine.c — what the loader itself may still ask of Linux once the program
 * runs. Syscall user dispatch sends the program's system calls to its core's
 * kernel, but a program that jumps into the loader's own code (a corrupted
 * pointer, an injected fault) would reach Linux directly, as root. A seccomp
 * filter leaves the loader the few calls it makes after start-up, and ends
 * the process on any other (SIGSYS, which its kernel reports as a death).
 * Linux checks syscall user dispatch before seccomp, so the program's own
 * calls still become SIGSYS and requests. */
#include "confine.h"

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define LOAD(field) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, field))
#define ARG_LOW(n)  BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[n]))
#define ALLOW       BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)
#define KILL        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS)
/* If the loaded word is nr, the next instruction; else skip it. */
#define IF_IS(nr) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1)

bool hostdom_confine(void)
{
    /* Calls checked on an argument are taken as 32-bit words: the low half
     * of a file descriptor or a pid, whose high half Linux ignores too. */
    uint32_t self = (uint32_t)getpid();
    struct sock_filter code[] = {
        LOAD(arch),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
        KILL,
        LOAD(nr),
        BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1), /* the x32 calls */
        KILL,
        IF_IS(SYS_futex),
        ALLOW,
        IF_IS(SYS_mmap),
        ALLOW,
        IF_IS(SYS_munmap),
        ALLOW,
        IF_IS(SYS_rt_sigreturn),
        ALLOW,
        IF_IS(SYS_rt_sigaction),
        ALLOW,
        IF_IS(SYS_rt_sigprocmask),
        ALLOW,
        IF_IS(SYS_getpid),
        ALLOW,
        IF_IS(SYS_gettid),
        ALLOW,
        IF_IS(SYS_exit),
        ALLOW,
        IF_IS(SYS_exit_group),
        ALLOW,
        /* write: only the loader's reports, to standard error. */
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_write, 0, 4),
        ARG_LOW(0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, STDERR_FILENO, 0, 1),
        ALLOW,
        KILL,
        /* process_vm_readv (reading a faulting instruction) and tgkill
         * (abort): only of this process. */
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_process_vm_readv, 1, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_tgkill, 0, 3),
        ARG_LOW(0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, self, 0, 1),
        ALLOW,
        KILL,
    };
    struct sock_fprog prog = {.len = sizeof code / sizeof code[0], .filter = code};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return false;
    return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0;
}
