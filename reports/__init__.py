"""reports/: the HTML report's code (render/) and templates; runs/ hold generated data."""
