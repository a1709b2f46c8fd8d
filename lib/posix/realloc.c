/* realloc.c — realloc over newlib's small malloc (nano-malloc). Its own
 * realloc (newlib 3.3.0) copies the new size out of the old block, reading
 * past the old block's end: when that block ends the heap, the read runs
 * into memory nobody mapped and the program faults. This one copies what
 * the old block holds. Defining both names keeps newlib's out of the link. */
#include <malloc.h>
#include <reent.h>
#include <stdlib.h>
#include <string.h>

void *_realloc_r(struct _reent *r, void *ptr, size_t size)
{
    if (ptr == NULL)
        return _malloc_r(r, size);
    if (size == 0) {
        _free_r(r, ptr);
        return NULL;
    }
    size_t old = _malloc_usable_size_r(r, ptr);
    if (old >= size)
        return ptr;
    void *mem = _malloc_r(r, size);
    if (mem != NULL) {
        memcpy(mem, ptr, old);
        _free_r(r, ptr);
    }
    return mem;
}

void *realloc(void *ptr, size_t size) { return _realloc_r(_REENT, ptr, size); }
