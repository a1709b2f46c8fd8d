/* syscalls.c — the system calls tools/bench icount counts (ops.h), each
 * leaving the domain as it found it. */
#include <slot_alloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys.h>
#include <va_layout.h>

#include "ops.h"

#define PAGE 4096u

int sys_ops_init(struct sys_ops *s)
{
    if (slot_alloc(&s->frame) != OK || slot_alloc(&s->copy) != OK || slot_alloc(&s->fresh) != OK ||
        va_alloc(PAGE, &s->va) != OK ||
        cap_retype(CAP_SLOT_RAM, s->frame, CAP_FRAME, PAGE, NULL) != OK)
        return -1;
    return 0;
}

/* Fails the run: a figure of a call that failed would count its error path. */
static void check(err_t err, const char *what)
{
    if (err != OK) {
        printf("icount: %s: %s\n", what, err_str(err));
        exit(1);
    }
}

void op_nops(void *arg)
{
    (void)arg;
    __asm__ volatile(".rept 400\n nop\n .endr");
}

void op_core_id(void *arg)
{
    (void)arg;
    (void)sys_core_id();
}

void op_yield(void *arg)
{
    (void)arg;
    sys_yield();
}

void op_cap_identify(void *arg)
{
    struct sys_ops *s = arg;
    struct cap_info info;
    check(cap_identify(s->frame, &info), "cap_identify");
}

void op_copy_delete(void *arg)
{
    struct sys_ops *s = arg;
    check(cap_copy(s->frame, s->copy, CAP_RIGHTS_ALL), "cap_copy");
    check(cap_delete(s->copy), "cap_delete");
}

/* A frame is mapped once per capability, and deleting it unmaps it. */
void op_copy_map_delete(void *arg)
{
    struct sys_ops *s = arg;
    check(cap_copy(s->frame, s->copy, CAP_RIGHTS_ALL), "cap_copy");
    check(frame_map(s->copy, s->va, 1), "frame_map");
    check(cap_delete(s->copy), "cap_delete");
}

void op_retype_delete(void *arg)
{
    struct sys_ops *s = arg;
    check(cap_retype(CAP_SLOT_RAM, s->fresh, CAP_FRAME, PAGE, NULL), "cap_retype");
    check(cap_delete(s->fresh), "cap_delete");
}
