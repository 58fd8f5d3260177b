"""An appeal's text (Markdown) as the files it is sent as: HTML, PDF, DOCX and Markdown itself.

Nothing here reaches the network: raw HTML and images are switched off in the Markdown parser, so
no address in a text is ever fetched, and the PDF embeds fonts committed with the project
(appeals/fonts, DejaVu Serif: Latin and Cyrillic with every Kazakh letter), so it renders the same
on any machine.
"""

import io
from pathlib import Path

from django.http import FileResponse
from django.utils.text import slugify
from docx import Document
from docx.shared import Pt
from fpdf import FPDF
from fpdf.fonts import FontFace
from markdown_it import MarkdownIt

FONT_FOLDER = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "DejaVuSerif"
FONT_FILES = {
    "": "DejaVuSerif.ttf",
    "B": "DejaVuSerif-Bold.ttf",
    "I": "DejaVuSerif-Italic.ttf",
    "BI": "DejaVuSerif-BoldItalic.ttf",
}
HEADING_SIZES = {"h1": 16, "h2": 13, "h3": 12}


def markdown_parser() -> MarkdownIt:
    """CommonMark without raw HTML or images: a text is shown, never run or fetched."""
    return MarkdownIt("commonmark", {"html": False}).disable("image")


def html_of(text: str) -> str:
    return markdown_parser().render(text)


def file_stem(appeal) -> str:
    return f"appeal-{appeal.pk}-{slugify(appeal.title, allow_unicode=False)[:60] or appeal.pk}"


class AppealPDF(FPDF):
    def footer(self):
        self.set_y(-15)
        self.set_font(FONT_FAMILY, size=8)
        self.cell(0, 10, str(self.page_no()), align="C")


def pdf_document(appeal) -> AppealPDF:
    """The laid-out PDF, before it is written out: its fonts tell which characters had no glyph."""
    pdf = AppealPDF(format="A4")
    pdf.set_creator("Vigil")
    pdf.set_title(appeal.title)
    pdf.set_lang(appeal.language)
    pdf.set_creation_date(appeal.finalised_at or appeal.created_at)
    for style, file_name in FONT_FILES.items():
        pdf.add_font(FONT_FAMILY, style, FONT_FOLDER / file_name)
    pdf.set_font(FONT_FAMILY, size=11)
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    tag_styles = {tag: FontFace(family=FONT_FAMILY, emphasis="B", size_pt=size) for tag, size in HEADING_SIZES.items()}
    tag_styles["code"] = FontFace(family=FONT_FAMILY)
    tag_styles["pre"] = FontFace(family=FONT_FAMILY)
    pdf.write_html(html_of(appeal.text), tag_styles=tag_styles, li_prefix_color=(0, 0, 0))
    return pdf


def missing_glyphs(pdf: FPDF) -> list[str]:
    """The characters the PDF's fonts had no glyph for, which it would print as empty boxes."""
    return [chr(code) for font in pdf.fonts.values() for code in getattr(font, "missing_glyphs", [])]


def pdf_of(appeal) -> bytes:
    return bytes(pdf_document(appeal).output())


def docx_of(appeal) -> bytes:
    """A Word document of the text: headings, paragraphs, lists (numbered as written), bold, italic."""
    document = Document()
    document.core_properties.title = appeal.title
    document.core_properties.language = appeal.language
    document.styles["Normal"].font.size = Pt(11)
    lists: list[bool] = []  # one entry per open list: is it numbered?
    paragraph = None
    item_paragraph = None  # a list item's first paragraph, begun with its number or bullet
    for token in markdown_parser().parse(appeal.text):
        if token.type == "heading_open":
            paragraph = document.add_heading(level=int(token.tag[1]))
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            lists.append(token.type == "ordered_list_open")
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "list_item_open":
            item_paragraph = document.add_paragraph(f"{token.info}.\t" if lists[-1] else "•\t")
            item_paragraph.paragraph_format.left_indent = Pt(18 * len(lists))
            item_paragraph.paragraph_format.first_line_indent = Pt(-18)
        elif token.type == "paragraph_open":
            paragraph, item_paragraph = item_paragraph or document.add_paragraph(), None
            if lists:
                paragraph.paragraph_format.left_indent = Pt(18 * len(lists))
        elif token.type == "inline" and paragraph is not None:
            write_inline(paragraph, token.children or [])
        elif token.type in ("code_block", "fence"):
            document.add_paragraph(token.content.rstrip("\n"))
        elif token.type == "hr":
            document.add_paragraph("—" * 10)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def write_inline(paragraph, children) -> None:
    bold = italic = False
    for child in children:
        if child.type == "strong_open":
            bold = True
        elif child.type == "strong_close":
            bold = False
        elif child.type == "em_open":
            italic = True
        elif child.type == "em_close":
            italic = False
        elif child.type in ("text", "code_inline"):
            run = paragraph.add_run(child.content)
            run.bold, run.italic = bold or None, italic or None
        elif child.type == "softbreak":
            paragraph.add_run(" ")
        elif child.type == "hardbreak":
            paragraph.add_run().add_break()


def file_response(field_file) -> FileResponse:
    """A stored file as a download, under its own name."""
    return FileResponse(field_file.open("rb"), as_attachment=True, filename=Path(field_file.name).name)
