/* spawn_args.c — a new domain's argv and environment: read from the blob a
 * monitor passes (struct spawn_blob), then laid out on the domain's stack the
 * way crt0 expects: the strings at the top, below them argv[] and envp[], each
 * ending with NULL, with argc and argv in the first two argument registers. */
#include <arch.h>
#include <arch/layout.h>
#include <dispatch.h>
#include <string.h>
#include <syscall.h>

err_t spawn_args_parse(const void *blob, uint64_t len, struct spawn_args *args)
{
    const struct spawn_blob *b = blob;
    if (len < sizeof *b || len > SPAWN_BLOB_MAX || b->bytes != len - sizeof *b)
        return ERR_INVAL;
    if (b->argc == 0 || b->argc > SPAWN_ARGS_MAX || b->envc > SPAWN_ENV_MAX)
        return ERR_RANGE;
    args->argc = b->argc;
    args->envc = b->envc;
    const char *p = b->strings, *end = b->strings + b->bytes;
    for (unsigned i = 0; i < (unsigned)b->argc + b->envc; i++) {
        const char *nul = memchr(p, '\0', (size_t)(end - p));
        if (nul == NULL)
            return ERR_INVAL;
        if (i < b->argc)
            args->argv[i] = p;
        else
            args->envp[i - b->argc] = p;
        p = nul + 1;
    }
    return p == end ? OK : ERR_INVAL; /* nothing may trail the last string */
}

/* Copies one string below *sp; its user address goes to *at. */
static err_t push_string(struct dispatcher *d, uvaddr_t *sp, const char *s, uint64_t *at)
{
    size_t len = strlen(s) + 1;
    if (USER_STACK_TOP - *sp + len > SPAWN_STACK_MAX)
        return ERR_RANGE;
    *sp -= len;
    *at = *sp;
    return uaccess_copy_out(d, *sp, s, len);
}

err_t spawn_args_put(struct dispatcher *d, uvaddr_t entry, const struct spawn_args *args)
{
    /* argv[0..argc-1], NULL, envp[0..envc-1], NULL */
    uint64_t ptrs[SPAWN_ARGS_MAX + SPAWN_ENV_MAX + 2];
    unsigned argc = args->argc, envc = args->envc;
    if (argc == 0 || argc > SPAWN_ARGS_MAX || envc > SPAWN_ENV_MAX)
        return ERR_RANGE;
    uvaddr_t sp = USER_STACK_TOP;
    err_t err = OK;
    for (unsigned i = 0; i < argc && err == OK; i++)
        err = push_string(d, &sp, args->argv[i], &ptrs[i]);
    for (unsigned i = 0; i < envc && err == OK; i++)
        err = push_string(d, &sp, args->envp[i], &ptrs[argc + 1 + i]);
    if (err != OK)
        return err;
    ptrs[argc] = 0;
    ptrs[argc + 1 + envc] = 0;
    uint64_t bytes = (argc + envc + 2) * sizeof ptrs[0];
    sp = ALIGN_DOWN(sp - bytes, 16);
    if (USER_STACK_TOP - sp > SPAWN_STACK_MAX)
        return ERR_RANGE;
    if ((err = uaccess_copy_out(d, sp, ptrs, bytes)) != OK)
        return err;
    arch_regs_init(&d->regs, entry, sp, argc, sp);
    return OK;
}
