/* ubsan.c — UndefinedBehaviorSanitizer's handlers. Each check the compiler
 * put in calls __ubsan_handle_KIND (or its _abort form) with a description
 * whose first member is where in the source it is; the handler reports that
 * and ends the domain: the sanitizer build treats every report as fatal. */
#include <sanitize.h>

struct source_location {
    const char *file;
    uint32_t line, column;
};

#define HANDLER(kind, what)                                                                        \
    void __ubsan_handle_##kind(const struct source_location *at)                                   \
    {                                                                                              \
        san_report_at(what, at->file, at->line, at->column, 0);                                    \
    }                                                                                              \
    void __ubsan_handle_##kind##_abort(const struct source_location *at)                           \
    {                                                                                              \
        san_report_at(what, at->file, at->line, at->column, 0);                                    \
    }

HANDLER(alignment_assumption, "alignment assumption violated")
HANDLER(add_overflow, "signed addition overflow")
HANDLER(sub_overflow, "signed subtraction overflow")
HANDLER(mul_overflow, "signed multiplication overflow")
HANDLER(negate_overflow, "signed negation overflow")
HANDLER(divrem_overflow, "division by zero or overflow")
HANDLER(shift_out_of_bounds, "shift out of bounds")
HANDLER(out_of_bounds, "index out of bounds")
HANDLER(builtin_unreachable, "unreachable code reached")
HANDLER(missing_return, "missing return")
HANDLER(vla_bound_not_positive, "variable-length array bound not positive")
HANDLER(float_cast_overflow, "float cast overflow")
HANDLER(load_invalid_value, "load of an invalid value")
HANDLER(invalid_builtin, "invalid builtin use")
HANDLER(implicit_conversion, "implicit conversion changed the value")
HANDLER(nonnull_arg, "null passed as a nonnull argument")
HANDLER(nonnull_return_v1, "null returned from a nonnull function")
HANDLER(nullability_arg, "null passed as a _Nonnull argument")
HANDLER(nullability_return_v1, "null returned from a _Nonnull function")
HANDLER(pointer_overflow, "pointer arithmetic overflow")
HANDLER(function_type_mismatch, "call through a function pointer of the wrong type")

/* A pointer used where it may not be: its description says which check. */
struct type_mismatch {
    struct source_location at;
    const void *type;
    uint8_t log_alignment;
    uint8_t kind;
};

static void type_mismatch(const struct type_mismatch *d, uintptr_t ptr)
{
    const char *what = ptr == 0                                        ? "null pointer used"
                       : (ptr & ((1ull << d->log_alignment) - 1)) != 0 ? "misaligned pointer used"
                                                                       : "object too small";
    san_report_at(what, d->at.file, d->at.line, d->at.column, ptr);
}

void __ubsan_handle_type_mismatch_v1(const struct type_mismatch *d, uintptr_t ptr)
{
    type_mismatch(d, ptr);
}

void __ubsan_handle_type_mismatch_v1_abort(const struct type_mismatch *d, uintptr_t ptr)
{
    type_mismatch(d, ptr);
}
