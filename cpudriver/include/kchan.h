/* kchan.h — the kernel channel from each core's CPU driver to the boot core's:
 * one UMP ring per core, in a frame the boot core allocates before starting the
 * core. It carries console lines (the boot core alone writes the UART), the
 * "core ready" report, and panics. It is a message channel, not shared state:
 * each end touches only its own side of the ring. */
#ifndef KCHAN_H
#define KCHAN_H

#include "kernel.h"

#define KCHAN_SLOTS 64

enum kchan_type {
    KCHAN_TEXT = 1, /* payload: length, last-chunk flag, text */
    KCHAN_READY,    /* the core's monitor is up and its boot domains are done */
    KCHAN_PANIC,    /* the core panicked; its report came before as text */
};

/* Boot core: a channel for core id; returns its frame, or 0. */
paddr_t kchan_create_for(coreid_t id);
/* Boot core: core id has started and will use its channel. */
void kchan_core_started(coreid_t id);
/* Boot core: handles whatever the other cores have sent. */
void kchan_poll(void);

/* Other cores: attach to the channel the boot core made. */
void kchan_attach(paddr_t frame);
/* Other cores: send one console line (any length; sent in chunks). */
void kchan_send_line(const char *text, size_t len);
void kchan_send(enum kchan_type type);
/* Other cores: wait (bounded) until the boot core has taken everything. */
bool kchan_flush(uint64_t timeout_ns);

#endif
