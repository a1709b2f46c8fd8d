/* crt0.S — a domain's first instruction: align the stack and go to C with the
 * kernel's argc (rdi) and argv (rsi); the environment follows argv's NULL. */
    .text
    .global _start
_start:
    and $-16, %rsp
    xor %ebp, %ebp
    call __crt_start
    ud2
