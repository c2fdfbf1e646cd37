"""One module per report section; ORDER is the page's order. Each module has
ID, TITLE and build(ctx, section) that fills a Section with blocks."""
