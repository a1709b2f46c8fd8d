/* fault_kaddr.c — a domain that reads a kernel address. The CPU driver must
 * report the page fault and end this domain alone. */
#include <sys.h>
#include <sys/arch.h>

int main(void)
{
    sys_printf("fault_kaddr: reading kernel address 0x%llx\n", SYS_KERNEL_ADDRESS);
    volatile const uint64_t *p = (const uint64_t *)SYS_KERNEL_ADDRESS;
    uint64_t v = *p;
    sys_printf("fault_kaddr: read 0x%llx and was not stopped\n", (unsigned long long)v);
    return 1;
}
