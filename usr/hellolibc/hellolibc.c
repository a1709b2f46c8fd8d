/* hellolibc — an ordinary C program on newlib: stdio, malloc, strtol, qsort,
 * snprintf, libm. Exits with the number given as its argument. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

int main(int argc, char **argv)
{
    int n = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 0;
    int *v = malloc(20000 * sizeof *v);
    if (v == NULL) {
        fprintf(stderr, "hellolibc: malloc failed\n");
        return 2;
    }
    for (int i = 0; i < 20000; i++)
        v[i] = (i * 7919) % 20011;
    qsort(v, 20000, sizeof *v, cmp);
    char buf[64];
    snprintf(buf, sizeof buf, "%s|%5d|%-4x|%c", "fmt", 42, 0xab, 'z');
    printf("hellolibc: argc=%d, sorted %d..%d, \"%s\"\n", argc, v[0], v[19999], buf);
    /* Floating point through libm, printed without printf's float support. */
    volatile double two = 2.0;
    long micro = lround(sqrt(two) * 1e6) + lround(exp(0.0) - 1.0);
    printf("hellolibc: sqrt(2) = %ld.%06ld\n", micro / 1000000, micro % 1000000);
    free(v);
    return n;
}
