/* crt0.S — a domain's first instruction: align the stack, run main, exit with
 * its status. The kernel passes the core number in rdi (main may ignore it). */
    .text
    .global _start
_start:
    and $-16, %rsp
    xor %ebp, %ebp
    call main
    mov %eax, %edi
    call __crt_exit
    ud2
