"""What the batch tells a report's kernel about the forms its charts are drawn in, through its environment:
the worker knows the formats and the PDF engine, the kernel draws the charts."""

SVG_TEXT_ENV = "ITA_SVG_TEXT"  # "1": chart text as SVG <text> (see plots.setup); else glyph outlines
CHART_PNG_ENV = "ITA_CHART_PNG"  # "0": charts without a PNG beside their SVG (no Word file will be made)
