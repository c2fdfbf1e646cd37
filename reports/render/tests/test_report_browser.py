"""The page in a real browser: Debian's headless Chromium opens the rendered
fixture run, saves a screenshot (build/report-test/*.png, to look at), and the
test fails on console errors, requests leaving the file, plots missing or laid
out with zero size, in-page links to anchors that do not exist, and links to
raw files that are not beside the page."""
import os
import shutil

import pytest

from reports.render import page
from reports.render.tests.chromium import CHROMIUM, inspect_page
from reports.render.tests.conftest import ROOT

SHOTS = os.path.join(ROOT, "build", "report-test")

# Runs in the page: what a reader would see, measured by the layout engine.
PROBE = r"""(() => {
  const ids = new Set([...document.querySelectorAll('[id]')].map(e => e.id));
  const links = [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'));
  const svgRefs = [...document.querySelectorAll('svg [*|href]')].map(
      e => e.getAttribute('xlink:href') || e.getAttribute('href'));
  const urlRefs = [...document.querySelectorAll('svg [clip-path]')].map(
      e => e.getAttribute('clip-path').replace(/^url\(#(.*)\)$/, '#$1'));
  return {
    sections: [...document.querySelectorAll('main > section')].map(s => s.id),
    plots: [...document.querySelectorAll('svg.plot')].map(s => {
      const r = s.getBoundingClientRect();
      return {label: s.getAttribute('aria-label'), w: r.width, h: r.height,
              shapes: s.querySelectorAll('path, use, rect, text').length};
    }),
    allSvgs: document.querySelectorAll('svg').length,
    brokenAnchors: links.concat(svgRefs, urlRefs)
        .filter(h => h && h.startsWith('#') && !ids.has(decodeURIComponent(h.slice(1)))),
    relativeLinks: links.filter(h => h && !h.startsWith('#')),
    scripts: document.querySelectorAll('script').length,
    title: document.title,
    heatmap: (() => {
      const svg = document.querySelector('#matrix svg[aria-label^="Heatmap"]');
      const table = document.querySelector('#matrix details table');
      if (!svg || !table) return null;
      const r = svg.getBoundingClientRect();
      return {
        w: r.width, h: r.height,
        before_table: !!(svg.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING),
        table_folded: !table.closest('details').open,
        cells: [...svg.querySelectorAll('g[id^="matrix-heatmap-cell-"]')].map(g => {
          const box = g.getBoundingClientRect();
          return {id: g.id, text: g.textContent.trim(), w: box.width};
        }),
        rows: [...table.querySelectorAll('tbody tr')].map(tr =>
          [...tr.querySelectorAll('td')].slice(1).map(td => td.childNodes[0].textContent.trim())),
      };
    })(),
  };
})()"""


def open_in_chromium(html_path, shot_name):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run `scripts/slotlab setup` (Debian package chromium)")
    os.makedirs(SHOTS, exist_ok=True)
    shot = os.path.join(SHOTS, shot_name)
    found, messages, requests = inspect_page(html_path, shot, PROBE)
    assert os.path.getsize(shot) > 10_000, "the screenshot is (nearly) empty"
    return found, messages, requests


def check_common(run_dir, found, messages, requests):
    problems = [f"{level}: {text}" for level, text in messages if level in ("error", "warning", "assert")]
    assert not problems, "console: " + "; ".join(problems)
    page_url = "file://" + os.path.join(run_dir, "index.html")
    assert requests == [page_url], f"requests beyond the page itself: {requests}"
    assert not found["brokenAnchors"], f"links to anchors that do not exist: {found['brokenAnchors']}"
    for href in found["relativeLinks"]:
        assert "//" not in href, f"external link {href}"
        assert os.path.isfile(os.path.join(run_dir, href)), f"link to a file not beside the page: {href}"
    assert found["scripts"] == 0, "the page must read without JavaScript"
    assert found["sections"] == [m.ID for m in page.ORDER]


def test_full_report_in_chromium(full_run_rendered):
    run_dir, _, _ = full_run_rendered
    found, messages, requests = open_in_chromium(os.path.join(run_dir, "index.html"), "full.png")
    check_common(run_dir, found, messages, requests)
    plots = found["plots"]
    assert len(plots) >= 8 and found["allSvgs"] == len(plots)
    for p in plots:
        assert p["w"] > 200 and p["h"] > 100, f"plot laid out too small: {p}"
        assert p["shapes"] > 20, f"plot with (almost) nothing drawn: {p}"
    shutil.copy(os.path.join(run_dir, "index.html"), os.path.join(SHOTS, "full.html"))
    check_heatmap(found["heatmap"])


def check_heatmap(hm):
    """The matrix heatmap: drawn before its table, which is folded, and every cell of
    the table has a heatmap cell saying the same number (or stop / –)."""
    assert hm, "no heatmap (or no folded table) in the matrix section"
    assert hm["w"] > 200 and hm["h"] > 100, f"heatmap laid out too small: {hm['w']}x{hm['h']}"
    assert hm["before_table"] and hm["table_folded"]
    cells = {c["id"].removeprefix("matrix-heatmap-cell-"): c for c in hm["cells"]}
    table = hm["rows"]
    assert table and sum(map(len, table)) == len(cells) > 0
    as_heatmap = {"stopped": "stop", "not measured": "–"}
    for i, row in enumerate(table):
        for j, text in enumerate(row):
            cell = cells[f"{i}-{j}"]
            assert cell["w"] > 0, f"heatmap cell {i}-{j} is not drawn"
            assert cell["text"] == as_heatmap.get(text, text.removesuffix("×")), (i, j, cell, text)


def test_empty_report_in_chromium(tmp_path):
    path, _, _ = page.render(str(tmp_path))
    found, messages, requests = open_in_chromium(path, "empty.png")
    check_common(str(tmp_path), found, messages, requests)
    assert found["plots"] == []
