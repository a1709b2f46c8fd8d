"""Loaded into gdb-multiarch by tools/gdb --domain NAME (never run by Python
itself). Every user domain is linked at the same address, so a plain
breakpoint in one domain's code stops whichever domain runs that address. This
keeps the page-table roots of the domains with the names given (a kernel
breakpoint at dispatch_start adds one, arch_vspace_destroy takes it away;
neither ever stops) and adds:

  domain NAME        follow domains named NAME too
  $in_domain()       1 while the stopped core is in a followed domain's address space
  dbreak LOCATION    break LOCATION if $in_domain()

Domains started before gdb attached are not known: attach while QEMU waits
(tools/run --gdb starts it stopped)."""

import gdb

names = set()
roots = set()


def dispatcher():
    return gdb.parse_and_eval("d")


class Started(gdb.Breakpoint):
    def stop(self):
        d = dispatcher()
        if d["name"].string() in names:
            roots.add(int(d["vspace_root"]))
        return False


class Ended(gdb.Breakpoint):
    def stop(self):
        roots.discard(int(dispatcher()["vspace_root"]))
        return False


def current_root():
    """The stopped core's page-table root, as the kernel's vspace_root holds it."""
    if gdb.selected_frame().architecture().name().startswith("riscv"):
        satp = int(gdb.parse_and_eval("$satp"))
        return (satp & ((1 << 44) - 1)) << 12  # Sv39: the root's page number
    return int(gdb.parse_and_eval("$cr3")) & ~0xfff & ((1 << 52) - 1)


class InDomain(gdb.Function):
    """$in_domain(): whether the stopped core runs in a followed domain's address space."""

    def __init__(self):
        super().__init__("in_domain")

    def invoke(self):
        return 1 if current_root() in roots else 0


class Domain(gdb.Command):
    """domain NAME: follow the domains named NAME (their page-table roots)."""

    def __init__(self):
        super().__init__("domain", gdb.COMMAND_BREAKPOINTS)

    def invoke(self, arg, from_tty):
        for name in arg.split():
            names.add(name)


class DBreak(gdb.Command):
    """dbreak LOCATION: a breakpoint that stops only in a followed domain."""

    def __init__(self):
        super().__init__("dbreak", gdb.COMMAND_BREAKPOINTS)

    def invoke(self, arg, from_tty):
        gdb.execute(f"break {arg} if $in_domain()", from_tty)


# At the first instruction the arguments are still where the call put them.
Started("*dispatch_start", internal=True)
Ended("*arch_vspace_destroy", internal=True)
InDomain()
Domain()
DBreak()
