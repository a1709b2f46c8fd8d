/* free — the RAM each core's monitor shares out: total, used by domains, and
 * free, per core and for the machine (in KiB). The CPU drivers' own memory
 * (program images, stacks, page tables) is not in these figures. */
#include <ram.h>
#include <stdio.h>
#include <sys.h>

int main(void)
{
    unsigned cores = sys_core_count();
    uint64_t total = 0, free_sum = 0;
    printf("core     total KiB      used KiB      free KiB\n");
    for (unsigned c = 0; c < cores; c++) {
        struct ns_meminfo info;
        err_t err = ram_info(c, &info);
        if (err != OK) {
            printf("%4u  (no answer: %s)\n", c, err_str(err));
            continue;
        }
        printf("%4u %13lu %13lu %13lu\n", c, (unsigned long)(info.total >> 10),
               (unsigned long)((info.total - info.free) >> 10), (unsigned long)(info.free >> 10));
        total += info.total;
        free_sum += info.free;
    }
    printf(" all %13lu %13lu %13lu\n", (unsigned long)(total >> 10),
           (unsigned long)((total - free_sum) >> 10), (unsigned long)(free_sum >> 10));
    return 0;
}
