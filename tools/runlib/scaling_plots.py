"""The plots of tools/bench scaling, run as a script by Debian's python3 (which
has python3-matplotlib): scaling_plots.py RESULTS.json IMG_DIR draws
scaling-<arch>-<plot>.png for each architecture in the results
({"degree": D, "arches": {arch: [{"cores", "records", "problem"}]}}, as
scaling_bench.py writes them) and prints each file's path."""

import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402

TIME = "emulated time (µs, QEMU TCG)"


def series(runs, record, name):
    """The cores and values of the runs that have record's field."""
    points = [(run["cores"], run["records"][record][name]) for run in runs
              if name in run["records"].get(record, {})]
    return [n for n, _ in points], [v for _, v in points]


def draw(path, runs, title, ylabel, lines, ylog=False):
    """One plot against the cores (log2 axis): lines are (label, record,
    field) or (label, record, field, {matplotlib line style})."""
    fig, ax = plt.subplots(figsize=(6, 3.5), dpi=100)
    for label, record, name, *style in lines:
        cores, ys = series(runs, record, name)
        if cores:
            ax.plot(cores, ys, label=label, **({"marker": "o"} | (style[0] if style else {})))
    cores = [run["cores"] for run in runs]
    ax.set_xscale("log", base=2)
    ax.set_xticks(cores)
    ax.set_xticklabels([str(n) for n in cores])
    ax.minorticks_off()
    if ylog:
        ax.set_yscale("symlog", base=2, linthresh=1)
        ax.set_ylim(bottom=0)  # counts: no negative ticks
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
    ax.set_xlabel("cores")
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    ax.grid(True, alpha=0.3)
    if len(lines) > 1:
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    print(path)


def plot_arch(img_dir, arch, runs, degree):
    def path(plot):
        return os.path.join(img_dir, f"scaling-{arch}-{plot}.png")

    draw(path("boot"), runs, f"{arch}: boot until the last monitor is up",
         "emulated time (ms, QEMU TCG)", [("boot", "boot", "up_ms")])
    draw(path("bcast"), runs, f"{arch}: broadcast to every core, acknowledged", TIME,
         [("unicast", "bcast/unicast", "mean_us"),
          (f"tree, degree {degree}", "bcast/tree", "mean_us")])
    draw(path("counts"), runs, f"{arch}: broadcast counts (exact)", "count",
         [(f"{mode} {what}", f"bcast/{mode}", key, {"color": color, "linestyle": line,
                                                     "marker": marker})
          for mode, line, marker in (("unicast", "-", "o"), ("tree", "--", "s"))
          for what, key, color in (("messages", "messages", "C0"), ("rounds", "rounds", "C1"),
                                   ("root sends", "root_sends", "C2"))], ylog=True)
    draw(path("names"), runs, f"{arch}: names (the home monitor answers)", TIME,
         [("register", "name/register", "mean_us"), ("lookup (miss)", "name/lookup", "mean_us")])
    draw(path("spawn"), runs, f"{arch}: spawn 'true' on every core, wait for all", TIME,
         [("spawn on every core", "spawn", "mean_us")])


def main(argv):
    results_path, img_dir = argv
    with open(results_path) as f:
        results = json.load(f)
    os.makedirs(img_dir, exist_ok=True)
    for arch, runs in results["arches"].items():
        if runs:
            plot_arch(img_dir, arch, runs, results["degree"])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
