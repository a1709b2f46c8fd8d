"""Reads one Hakefile: a list of rule calls with literal keyword arguments.

A Hakefile is declarative. It is parsed, never executed: every top-level
statement must be a call of a known rule, and every argument a Python literal
(string, number, list, dict). Anything else is an error that names the line.
"""

import ast

RULES = ("library", "host_test", "host_tool", "fuzz_target", "fetch", "external", "kernel",
         "domain", "boot_archive")


class HakefileError(Exception):
    pass


class Rule:
    def __init__(self, kind, args, folder, path, line):
        self.kind = kind
        self.args = args
        self.folder = folder  # folder of the Hakefile, relative to the root ("" at the top)
        self.path = path  # the Hakefile, for error messages
        self.line = line

    def where(self):
        return f"{self.path}:{self.line}"

    def get(self, key, default=None):
        return self.args.get(key, default)

    def need(self, key):
        if key not in self.args:
            raise HakefileError(f"{self.where()}: {self.kind}() needs {key}=")
        return self.args[key]


def parse(text, folder, path):
    try:
        tree = ast.parse(text, filename=path)
    except SyntaxError as e:
        raise HakefileError(f"{path}:{e.lineno}: {e.msg}") from None
    rules = []
    for stmt in tree.body:
        call = stmt.value if isinstance(stmt, ast.Expr) else None
        if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Name):
            raise HakefileError(f"{path}:{stmt.lineno}: expected a rule call such as library(...)")
        kind = call.func.id
        if kind not in RULES:
            raise HakefileError(
                f"{path}:{stmt.lineno}: unknown rule {kind}(); known: {', '.join(RULES)}")
        if call.args:
            raise HakefileError(f"{path}:{stmt.lineno}: {kind}() takes keyword arguments only")
        args = {}
        for kw in call.keywords:
            try:
                args[kw.arg] = ast.literal_eval(kw.value)
            except ValueError:
                raise HakefileError(
                    f"{path}:{kw.value.lineno}: {kw.arg}= must be a literal") from None
        rules.append(Rule(kind, args, folder, path, stmt.lineno))
    return rules
