"""The summary's blocks written as HTML (one self-contained page), DOCX (python-docx) or PDF (the HTML printed
by headless Chromium, offline). Every text is escaped: a comment is never read as markup."""

from __future__ import annotations

import base64
import html
import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import kaleido
import plotly.io as pio

from lisdash.heard.document import Block, Chart, Heading, Paragraph, Quote, SideBySide, Table

FORMATS = ("html", "docx", "pdf")
CHART_WIDTH = 900
STYLE = """
body { font-family: Arial, Helvetica, sans-serif; color: #222; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.45; }
h1 { font-size: 1.8rem; } h2 { border-top: 1px solid #ccc; padding-top: 1rem; margin-top: 2rem; }
table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.92rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
blockquote { border-left: 4px solid #0571b0; margin: 0.6rem 0; padding: 0.2rem 0.8rem; background: #f4f8fb; }
img { max-width: 100%; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 1.5rem; background: #f6f6f6; padding: 0.4rem 1rem; }
.pair h3 { margin: 0.4rem 0; }
@media print { h2 { break-after: avoid; } table, img, blockquote { break-inside: avoid; } }
"""


class ReportUnavailable(RuntimeError):
    """A format that cannot be made on this machine (our own words)."""


def _png(chart: Chart) -> bytes:
    return pio.to_image(chart.figure, format="png", width=CHART_WIDTH, height=chart.figure.layout.height)


def to_html(blocks: list[Block], title: str) -> str:
    """One page, its charts inlined as PNG (no script, nothing fetched)."""
    parts = [f"<!doctype html><html lang='en-GB'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
             f"<style>{STYLE}</style></head><body>"]
    with _charts():
        for block in blocks:
            parts.append(_html_block(block))
    parts.append("</body></html>")
    return "".join(parts)


def _html_block(block: Block) -> str:
    e = html.escape
    if isinstance(block, Heading):
        return f"<h{block.level}>{e(block.text)}</h{block.level}>"
    if isinstance(block, Paragraph):
        return f"<p>{e(block.text)}</p>"
    if isinstance(block, Quote):
        return f"<blockquote>{e(block.text)}</blockquote>"
    if isinstance(block, SideBySide):
        halves = ((block.left_title, block.left), (block.right_title, block.right))
        return "<div class='pair'>" + "".join(
            f"<div><h3>{e(title)}</h3>" + "".join(f"<p>{e(line)}</p>" for line in lines) + "</div>"
            for title, lines in halves) + "</div>"
    if isinstance(block, Table):
        numeric = set(block.numeric)
        head = "".join(f"<th class='{'n' * (c in numeric)}'>{e(str(c))}</th>" for c in block.frame.columns)
        body = "".join("<tr>" + "".join(f"<td class='{'n' * (c in numeric)}'>{e(str(v))}</td>"
                                        for c, v in row.items()) + "</tr>" for _, row in block.frame.iterrows())
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    data = base64.b64encode(_png(block)).decode()
    return f"<p><img alt='{e(block.alt)}' src='data:image/png;base64,{data}'></p>"


def to_docx(blocks: list[Block], title: str) -> bytes:
    """A Word document: headings, paragraphs, tables, quotes and the charts as pictures."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    document = Document()
    document.core_properties.title = title
    with _charts():
        for block in blocks:
            if isinstance(block, Heading):
                document.add_heading(block.text, level=block.level - 1 if block.level > 1 else 0)
            elif isinstance(block, Paragraph):
                document.add_paragraph(block.text)
            elif isinstance(block, Quote):
                document.add_paragraph(block.text, style="Quote")
            elif isinstance(block, SideBySide):
                pair = document.add_table(rows=1, cols=2, style="Table Grid")
                for cell, (title, lines) in zip(pair.rows[0].cells, ((block.left_title, block.left),
                                                                     (block.right_title, block.right)), strict=True):
                    cell.paragraphs[0].add_run(title).bold = True
                    for line in lines:
                        cell.add_paragraph(line)
            elif isinstance(block, Table):
                table = document.add_table(rows=1, cols=len(block.frame.columns), style="Light List")
                for cell, column in zip(table.rows[0].cells, block.frame.columns, strict=True):
                    cell.text = str(column)
                for _, row in block.frame.iterrows():
                    cells = table.add_row().cells
                    for cell, (column, value) in zip(cells, row.items(), strict=True):
                        cell.text = str(value)
                        if column in block.numeric:
                            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            else:
                document.add_picture(io.BytesIO(_png(block)), width=Cm(16))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def chromium() -> str | None:
    """The Chromium that prints the PDF, if installed."""
    return next((found for name in ("chromium", "chromium-browser", "google-chrome") if (found := shutil.which(name))),
                None)


def to_pdf(blocks: list[Block], title: str) -> bytes:
    """The HTML page printed to PDF by headless Chromium, offline (A4)."""
    browser = chromium()
    if browser is None:
        raise ReportUnavailable("The PDF is printed by Chromium, which is not installed here: "
                                "install it (apt-get install chromium), or choose HTML or DOCX.")
    with tempfile.TemporaryDirectory() as folder:
        page, pdf = Path(folder) / "report.html", Path(folder) / "report.pdf"
        page.write_text(to_html(blocks, title), encoding="utf-8")
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                        f"--user-data-dir={folder}/profile", f"--print-to-pdf={pdf}", page.as_uri()],
                       check=True, capture_output=True, timeout=300)
        return pdf.read_bytes()


def render(blocks: list[Block], title: str, fmt: str) -> bytes:
    """The report in `fmt`: html, docx or pdf."""
    if fmt == "html":
        return to_html(blocks, title).encode("utf-8")
    if fmt == "docx":
        return to_docx(blocks, title)
    if fmt == "pdf":
        return to_pdf(blocks, title)
    raise ReportUnavailable(f"Choose a format among {', '.join(FORMATS)}.")


class _charts:
    """One Chromium for every chart of a document."""

    def __enter__(self):
        kaleido.start_sync_server(silence_warnings=True)

    def __exit__(self, *exc):
        kaleido.stop_sync_server(silence_warnings=True)
