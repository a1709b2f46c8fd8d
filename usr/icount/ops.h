/* ops.h — the operations tools/bench icount counts, each a function of one
 * argument that count_op runs (count.h), and what they need set up. */
#ifndef ICOUNT_OPS_H
#define ICOUNT_OPS_H

#include <chan.h>

/* System calls (syscalls.c): slots and an address of their own. */
struct sys_ops {
    capaddr_t frame, copy, fresh;
    uintptr_t va;
};
int sys_ops_init(struct sys_ops *s);
void op_nops(void *arg); /* 400 nops: the count is exact if this counts 400 */
void op_core_id(void *arg);
void op_yield(void *arg);
void op_cap_identify(void *arg);
void op_copy_delete(void *arg);
void op_copy_map_delete(void *arg);
void op_retype_delete(void *arg);

/* Channels (channels.c). */
void op_chan_call(void *chan); /* a ping to a benchsrv: LMP on this core, UMP on another */
/* Both ends of a UMP channel in this domain: one send and its receive. */
struct ump_pair {
    struct ump_chan a, b;
};
int ump_pair_init(struct ump_pair *p);
void op_ump_send_recv(void *pair);
/* A benchsrv on core, reached through c; its pid. */
int server_start(unsigned core, struct chan *c);
void server_stop(struct chan *c, int pid);

/* Processes (processes.c). */
void op_getpid(void *arg);
void op_spawn_wait(void *prog); /* prog: a module name or a path */

#endif
