"""The HTML report: reads one run directory (reports/RUN_LAYOUT.md) and writes
its index.html, a single self-contained page. Entry point: page.render(run_dir)."""
