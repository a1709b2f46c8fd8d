"""A tiny writer for ninja files. Output depends only on the calls made."""


def escape_path(p):
    return p.replace("$", "$$").replace(" ", "$ ").replace(":", "$:")


class Writer:
    def __init__(self):
        self.lines = []

    def comment(self, text):
        self.lines.append(f"# {text}")

    def blank(self):
        self.lines.append("")

    def variable(self, key, value, indent=0):
        if isinstance(value, (list, tuple)):
            value = " ".join(value)
        self.lines.append(f"{'  ' * indent}{key} = {value}")

    def rule(self, name, command, **kw):
        self.lines.append(f"rule {name}")
        self.variable("command", command, 1)
        for key in sorted(kw):
            self.variable(key, kw[key], 1)

    def build(self, outputs, rule, inputs=(), implicit=(), order_only=(),
              implicit_outputs=(), variables=None):
        line = "build " + " ".join(escape_path(o) for o in outputs)
        if implicit_outputs:
            line += " | " + " ".join(escape_path(o) for o in implicit_outputs)
        line += f": {rule}"
        if inputs:
            line += " " + " ".join(escape_path(i) for i in inputs)
        if implicit:
            line += " | " + " ".join(escape_path(i) for i in implicit)
        if order_only:
            line += " || " + " ".join(escape_path(i) for i in order_only)
        self.lines.append(line)
        for key, value in (variables or {}).items():
            self.variable(key, value, 1)

    def default(self, targets):
        self.lines.append("default " + " ".join(escape_path(t) for t in targets))

    def text(self):
        return "\n".join(self.lines) + "\n"
