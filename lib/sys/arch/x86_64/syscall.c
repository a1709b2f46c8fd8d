/* syscall.c — the x86-64 system call: number in rax, arguments in rdi, rsi, rdx,
 * r10, r8, r9; err_t back in rax and the value in rdx. The syscall instruction
 * clobbers rcx and r11. */
#include <sys.h>

struct sys_result sys_call(uint64_t num, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                           uint64_t a4, uint64_t a5)
{
    register uint64_t r10 __asm__("r10") = a3;
    register uint64_t r8 __asm__("r8") = a4;
    register uint64_t r9 __asm__("r9") = a5;
    uint64_t err, value;
    __asm__ volatile("syscall"
                     : "=a"(err), "=d"(value)
                     : "a"(num), "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return (struct sys_result){(err_t)err, value};
}
