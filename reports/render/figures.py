"""Figures as inline SVG, byte-identical for the same data: Agg backend, a fixed
svg.hashsalt, no date in the metadata, text kept as text (no glyph defs), and
every id prefixed by the figure's name so several SVGs can share one page."""
import io
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

matplotlib.rcParams.update({
    "svg.hashsalt": "slotlab-report",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 100,
    "legend.frameon": False,
})

# One fixed colour per built-in map in every figure, whatever the registry order
# (tab20's dark hues; the ordered linear-probing maps take the light hue of their
# unordered twin); a user's map hashes into the palette.
PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
           "#17becf", "#7f7f7f", "#bcbd22", "#c49c94", "#f7b6d2", "#9edae5"]
KNOWN = ["absl", "boost", "robin", "std", "go", "backshift", "tombstone", "graveyard", "goswiss",
         "dense", "ordered_backshift", "ordered_tombstone", "ordered_graveyard"]


def colour(map_name):
    if map_name in KNOWN:
        return PALETTE[KNOWN.index(map_name)]
    return PALETTE[(len(KNOWN) + sum(map_name.encode())) % len(PALETTE)]


def new(width=6.4, height=3.2, ncols=1, nrows=1, **kw):
    return plt.subplots(nrows, ncols, figsize=(width, height), **kw)


_ID = re.compile(r'id="([^"]+)"')


def to_svg(fig, name, title):
    """The figure as an <svg> element for inline use; closes the figure.
    name: a page-unique slug; title: the accessible name (role=img)."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]
    ids = set(_ID.findall(svg))
    for i in sorted(ids, key=len, reverse=True):
        new_id = f"{name}-{i}"
        svg = (svg.replace(f'id="{i}"', f'id="{new_id}"')
                  .replace(f"url(#{i})", f"url(#{new_id})")
                  .replace(f'href="#{i}"', f'href="#{new_id}"'))
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{_attr(title)}" class="plot" ', 1)
    return svg


def _attr(text):
    return (text.replace("&", "&amp;").replace('"', "&quot;")
                .replace("<", "&lt;").replace(">", "&gt;"))


def legend_outside(ax, **kw):
    """Legend to the right of the axes, off the data."""
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, borderaxespad=0, **kw)
