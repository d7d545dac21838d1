"""The document as a Word file, for agencies that edit and sign the final text in Word.

Built with python-docx from the document's parts (`blocks.document_parts` of the executed notebook), one
function for each kind of part: what the notebook shows, in its order, markdown cells an analyst wrote
included. Charts are the PNG the notebook drew beside their SVG.

The document font is Sarabun, set for Latin and for complex script (`w:cs`: Word and LibreOffice lay
Thai out with the complex-script font, size and bold), with Thai as the complex-script language, in the
document defaults and every style. The four Sarabun faces are embedded in the file as Word embeds
fonts, so the document shows in Sarabun on a machine that has no Thai font at all. A4, margins of an
official Thai document: 2.5 cm left, 2 cm elsewhere. It ends with a place to sign."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime
from functools import cache, singledispatch

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from fontTools.ttLib import TTFont
from lxml import etree

from .. import __version__
from ..core import thai
from ..core.errors import ITADataError
from ..core.fonts import FACES, FAMILY, font_path
from ..core.i18n import _
from ..core.thai import Digits
from ..document import parts as model
from ..document.html import is_web_link

MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PAGE_WIDTH, PAGE_HEIGHT = Cm(21), Cm(29.7)  # A4
MARGIN_LEFT, MARGIN = Cm(2.5), Cm(2)
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN

BODY, TABLE_TEXT, SMALL = 13, 12, 11  # points: the size of the PDF's print CSS
HEADINGS = {"Title": 18, "Heading 1": 15, "Heading 2": 13}  # the HTML's h1, h2 (parts), h3 (charts)
SPACE_BEFORE = {"Title": 0, "Heading 1": 12, "Heading 2": 4}  # points; a chart's title sits close to it
INDENT = Pt(2.5 * BODY)  # a paragraph's first line, as the HTML's `text-indent: 2.5em`
LIST_INDENT = Cm(0.9)  # where a numbered item's text starts
HEADER_FILL, WEAK_FILL, TOTAL_FILL = "E8EEF4", "FBEAEA", "F4F6F8"  # report.css
NOTICE_LINE, FLAG_LINE, FLAG_FILL = "E67E22", "C0392B", "FDECEA"
GREY = RGBColor(0x55, 0x55, 0x55)
LINK_COLOUR = "0563C1"  # Word's own colour of a hyperlink

ROW_FILLS = {"weak": WEAK_FILL, "tool": TOTAL_FILL, "total": TOTAL_FILL}
# Column widths as shares of the text width (the action table's are report.css's).
ACTION_WIDTHS = (0.19, 0.33, 0.14, 0.34)

# Where a child element goes among its siblings: the schema's order up to it (ECMA-376 part 1).
RPR = ("w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike", "w:dstrike",
       "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden",
       "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
       "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang")
PPR = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl", "w:numPr",
       "w:suppressLineNumbers", "w:pBdr", "w:shd")
TCPR = ("w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd")
TRPR = ("w:cnfStyle", "w:divId", "w:gridBefore", "w:gridAfter", "w:wBefore", "w:wAfter", "w:cantSplit",
        "w:trHeight", "w:tblHeader")
SECTPR = ("w:headerReference", "w:footerReference", "w:footnotePr", "w:endnotePr", "w:type", "w:pgSz", "w:pgMar",
          "w:paperSrc", "w:pgBorders", "w:lnNumType", "w:pgNumType")
SETTINGS = ("w:writeProtection", "w:view", "w:zoom", "w:removePersonalInformation", "w:removeDateAndTime",
            "w:doNotDisplayPageBoundaries", "w:displayBackgroundShape", "w:printPostScriptOverText",
            "w:printFractionalCharacterWidth", "w:printFormsData", "w:embedTrueTypeFonts")
FONT = ("w:altName", "w:panose1", "w:charset", "w:family", "w:notTrueType", "w:pitch", "w:sig", "w:embedRegular",
        "w:embedBold", "w:embedItalic", "w:embedBoldItalic")
EMBED = {"Sarabun-Regular": "w:embedRegular", "Sarabun-Bold": "w:embedBold", "Sarabun-Italic": "w:embedItalic",
         "Sarabun-BoldItalic": "w:embedBoldItalic"}
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CUSTOM_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # user-defined properties
THEME_FONTS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
THEME_COLOURS = ("w:themeColor", "w:themeShade", "w:themeTint")



# ---- the document -----------------------------------------------------------------------------------

def build(parts: list[model.Part], style: Digits = "thai", properties: dict[str, str] | None = None,
          footer: list[str] | None = None) -> DocxDocument:
    """The document whose parts are `parts` (`blocks.document_parts` of an executed notebook), as a
    python-docx Document, ending with the `footer`'s sentences for its readers (render.colophon);
    `properties` (name -> text) are noted in the file's custom properties."""
    document = Document()
    _set_up(document, style)
    for part in parts:
        add_part(part, document)
    for position, sentence in enumerate(footer or []):
        paragraph = document.add_paragraph(sentence, style="ITA Colophon")
        paragraph.paragraph_format.space_before = Pt(BODY if position == 0 else 0)
    _properties(document, parts, properties or {})
    return document


def docx_bytes(parts: list[model.Part], style: Digits = "thai", properties: dict[str, str] | None = None,
               footer: list[str] | None = None) -> bytes:
    """The document's .docx file (see `build`)."""
    buffer = io.BytesIO()
    build(parts, style, properties, footer).save(buffer)
    return buffer.getvalue()


@singledispatch
def add_part(part: model.Part, document: DocxDocument) -> None:
    raise TypeError(f"no Word form for {type(part).__name__}")


@add_part.register
def _add_title(part: model.Title, document: DocxDocument) -> None:
    document.add_paragraph(part.text, style="Title")


@add_part.register
def _add_contents(part: model.Contents, document: DocxDocument) -> None:
    document.add_paragraph(part.label, style="ITA Contents Heading")
    for entry in part.entries:
        document.add_paragraph(entry.text, style="ITA Contents")


@add_part.register
def _add_heading(part: model.Heading, document: DocxDocument) -> None:
    document.add_heading(part.text, level=max(1, part.level - 1))  # h2 (a part) is Word's Heading 1


@add_part.register
def _add_paragraph(part: model.Paragraph, document: DocxDocument) -> None:
    document.add_paragraph(part.text, style="ITA Body")


@add_part.register
def _add_notice(part: model.Notice, document: DocxDocument) -> None:
    document.add_paragraph(part.text, style="ITA Flag" if part.tone == "flag" else "ITA Notice")


@add_part.register
def _add_numbered_list(part: model.NumberedList, document: DocxDocument) -> None:
    for item in part.items:
        _item(document.add_paragraph(style="ITA List"), item)


@add_part.register
def _add_chart(part: model.Chart, document: DocxDocument) -> None:
    """The chart's title as its heading, then the picture as wide as the text, centred, the title as its
    alternative text."""
    document.add_heading(part.title, level=2)
    if not part.png:
        raise ITADataError(_("the chart “{title}” has no picture for Word: run the notebook again, or make the "
                             "report with docx among its formats").format(title=part.title))
    paragraph = document.add_paragraph(style="ITA Figure")
    shape = paragraph.add_run().add_picture(io.BytesIO(part.png_bytes), width=TEXT_WIDTH)
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", part.title)
    doc_pr.set("title", part.title)


@add_part.register
def _add_table(part: model.Table, document: DocxDocument) -> None:
    """A bordered table: marked rows shaded (weak indicators red, tools' and the total bold and grey)."""
    widths = [c.width for c in part.columns]
    if not all(widths):
        widths = [1 / len(part.columns)] * len(part.columns)
    table = _table(document, part.caption, [c.label for c in part.columns], widths)
    numeric = tuple(position for position, column in enumerate(part.columns) if column.numeric)
    for row in part.rows:
        _row(table, row.cells, ROW_FILLS.get(row.kind), bold=row.kind in ("tool", "total"), numeric=numeric)


@add_part.register
def _add_action_table(part: model.ActionTable, document: DocxDocument) -> None:
    """Part 3: issue (with the indicators it covers), measures, responsible unit and steps, numbered."""
    table = _table(document, "", part.columns, ACTION_WIDTHS)
    for issue in part.issues:
        row = table.add_row()
        issue_cell, measures_cell, responsible_cell, steps_cell = row.cells
        _item(_first(issue_cell, "ITA Table List"), model.Item(issue.number, issue.title))
        issue_cell.add_paragraph(issue.covers, style="ITA Covers")
        for cell, items in ((measures_cell, issue.measures), (steps_cell, issue.steps)):
            for position, item in enumerate(items):
                paragraph = cell.paragraphs[0] if position == 0 else cell.add_paragraph()
                paragraph.style = "ITA Table List"
                _item(paragraph, item)
        first, *more = issue.responsible.split("\n")  # one unit a line
        _first(responsible_cell, "ITA Table Text").add_run(first)
        for unit in more:
            responsible_cell.add_paragraph(unit, style="ITA Table Text")


@add_part.register
def _add_signature(part: model.Signature, document: DocxDocument) -> None:
    """The signature block, kept together on one page with the document's last lines, right of the middle."""
    if document.paragraphs:
        document.paragraphs[-1].paragraph_format.keep_with_next = True
    for position, line in enumerate(part.lines):
        paragraph = document.add_paragraph(line, style="ITA Signature")
        paragraph.paragraph_format.keep_with_next = position < len(part.lines) - 1
        if position == 0:
            paragraph.paragraph_format.space_before = Pt(3 * BODY)  # room for the hand


def _item(paragraph: Paragraph, item: model.Item) -> Paragraph:
    """A numbered item as the HTML writes it, `๑.` then the text, the number in the hanging indent."""
    paragraph.add_run(f"{item.number}\t{item.text}")
    return paragraph


# ---- tables ------------------------------------------------------------------------------------------

def _table(document: DocxDocument, caption: str, columns: list[str], widths: list[float] | tuple[float, ...]) -> Table:
    """A bordered table with its caption above and its heading row repeated on every page."""
    if caption:
        document.add_paragraph(caption, style="Caption")
    table = document.add_table(rows=1, cols=len(columns))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    heading = table.rows[0]
    for column, cell, share in zip(table.columns, heading.cells, widths):
        # Word reads the cells' widths, LibreOffice the grid's; add_row gives new cells the grid's.
        column.width = cell.width = int(TEXT_WIDTH * share)
    _set(heading._tr.get_or_add_trPr(), "w:tblHeader", TRPR)
    _set(heading._tr.get_or_add_trPr(), "w:cantSplit", TRPR)
    for cell, text in zip(heading.cells, columns):  # left-aligned, numbers' too, as in the HTML
        _first(cell, "ITA Table Heading").add_run(text)
        _fill(cell, HEADER_FILL)
    return table


def _row(table: Table, cells: list[model.Cell], fill: str | None, bold: bool = False,
         numeric: tuple[int, ...] = ()) -> None:
    row = table.add_row()
    _set(row._tr.get_or_add_trPr(), "w:cantSplit", TRPR)  # a short row never splits across pages
    for position, (cell, given) in enumerate(zip(row.cells, cells)):
        paragraph = _first(cell, "ITA Table Heading" if bold else "ITA Table Text")
        if is_web_link(given.link):
            _hyperlink(paragraph, given.text, given.link)
        else:
            paragraph.add_run(str(given.text))
        if position in numeric:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if fill:
            _fill(cell, fill)


def _hyperlink(paragraph: Paragraph, text: str, link: str) -> None:
    """A link Word opens with Ctrl+click: the text blue and underlined, the address an external relationship."""
    rId = paragraph.part.relate_to(link, RT.HYPERLINK, is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), rId)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    _set(properties, "w:color", RPR, **{"w:val": LINK_COLOUR})
    _set(properties, "w:u", RPR, **{"w:val": "single"})
    run.append(properties)
    words = OxmlElement("w:t")
    words.text = text
    words.set(qn("xml:space"), "preserve")
    run.append(words)
    hyperlink.append(run)
    paragraph._p.append(hyperlink)


def _first(cell: _Cell, style: str) -> Paragraph:
    """A new cell's one empty paragraph, in `style`."""
    paragraph = cell.paragraphs[0]
    paragraph.style = style
    return paragraph


def _fill(cell: _Cell, colour: str) -> None:
    _set(cell._tc.get_or_add_tcPr(), "w:shd", TCPR, **{"w:val": "clear", "w:color": "auto", "w:fill": colour})


# ---- page, styles, fonts, properties --------------------------------------------------------------

def _set(parent, tag: str, order: tuple[str, ...], **attributes: str):
    """`parent`'s child `tag`, made where the schema puts it if missing (before the first sibling that
    `order`, the schema's sequence up to `tag`, does not place before it), with `attributes` set."""
    child = parent.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        before = {qn(name) for name in order[:order.index(tag)]}
        successor = next((sibling for sibling in parent if sibling.tag not in before), None)
        if successor is None:
            parent.append(child)
        else:
            successor.addprevious(child)
    for name, value in attributes.items():
        child.set(qn(name), value)
    return child


def _set_up(document: DocxDocument, style: Digits) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN
    section.top_margin = section.bottom_margin = MARGIN
    section.header_distance = section.footer_distance = Cm(1)
    _styles(document)
    _page_numbers(document, style)
    _embed_fonts(document)
    settings = document.settings.element
    _set(settings, "w:embedTrueTypeFonts", SETTINGS)
    for language in settings.findall(qn("w:themeFontLang")):
        language.set(qn("w:bidi"), "th-TH")
    # Parts of python-docx's template that would contradict this document: its preview picture, and the
    # Word 2010 copy of its styles (in Calibri and Cambria).
    for rels, reltype in ((document.part.package.rels, RT.THUMBNAIL), (document.part.rels, STYLES_WITH_EFFECTS)):
        for rId in [rId for rId, rel in rels.items() if rel.reltype == reltype]:
            rels.pop(rId)


def _fonts(rpr, size: float | None = None, bold: bool | None = None, colour: str | None = None) -> None:
    """Sarabun for every script, Thai as the complex-script language; size and bold for complex script
    too (Word and LibreOffice set Thai with `szCs` and `bCs`, not `sz` and `b`)."""
    fonts = _set(rpr, "w:rFonts", RPR, **{f"w:{script}": FAMILY for script in ("ascii", "hAnsi", "eastAsia", "cs")})
    for theme in THEME_FONTS:
        fonts.attrib.pop(qn(theme), None)
    if bold is not None:
        for tag in ("w:b", "w:bCs"):
            _set(rpr, tag, RPR, **{"w:val": "1" if bold else "0"})
    if colour is not None:
        element = _set(rpr, "w:color", RPR, **{"w:val": colour})
        for theme in THEME_COLOURS:
            element.attrib.pop(qn(theme), None)
    if size is not None:
        for tag in ("w:sz", "w:szCs"):
            _set(rpr, tag, RPR, **{"w:val": str(round(size * 2))})


def _styles(document: DocxDocument) -> None:
    styles = document.styles
    for fonts in styles.element.iter(qn("w:rFonts")):  # no theme font (Calibri, Cambria) anywhere
        for theme in THEME_FONTS:
            fonts.attrib.pop(qn(theme), None)
    defaults = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(defaults, BODY)
    _set(defaults, "w:lang", RPR, **{"w:val": "en-US", "w:eastAsia": "en-US", "w:bidi": "th-TH"})
    normal = styles["Normal"]
    _fonts(normal.element.get_or_add_rPr(), BODY)
    _set(normal.element.get_or_add_rPr(), "w:lang", RPR, **{"w:val": "en-US", "w:eastAsia": "en-US",
                                                             "w:bidi": "th-TH"})
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE

    for name, size in HEADINGS.items():
        heading = styles[name]
        _fonts(heading.element.get_or_add_rPr(), size, bold=True, colour="000000")
        for tag in ("w:spacing", "w:kern"):  # the template's Title is letter-spaced and kerned
            for element in heading.element.get_or_add_rPr().findall(qn(tag)):
                heading.element.get_or_add_rPr().remove(element)
        ppr = heading.element.get_or_add_pPr()
        for border in ppr.findall(qn("w:pBdr")):  # the template's Title is underlined in blue
            ppr.remove(border)
        heading.paragraph_format.space_before = Pt(SPACE_BEFORE[name])
        heading.paragraph_format.space_after = Pt(6 if name != "Title" else 12)
        heading.paragraph_format.keep_with_next = True
    styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption = styles["Caption"]
    _fonts(caption.element.get_or_add_rPr(), BODY, bold=True, colour="000000")
    caption.paragraph_format.keep_with_next = True
    caption.paragraph_format.space_before = Pt(6)
    caption.paragraph_format.space_after = Pt(3)

    body = _paragraph_style(document, "ITA Body")
    body.paragraph_format.first_line_indent = INDENT
    figure = _paragraph_style(document, "ITA Figure")
    figure.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    figure.paragraph_format.keep_lines_together = True
    notice = _paragraph_style(document, "ITA Notice")
    _border(notice, {"left": NOTICE_LINE}, size=24)
    notice.paragraph_format.left_indent = Cm(0.3)
    flag = _paragraph_style(document, "ITA Flag")
    _fonts(flag.element.get_or_add_rPr(), bold=True)
    _border(flag, dict.fromkeys(("top", "left", "bottom", "right"), FLAG_LINE), size=12)
    _set(flag.element.get_or_add_pPr(), "w:shd", PPR, **{"w:val": "clear", "w:color": "auto", "w:fill": FLAG_FILL})
    contents_heading = _paragraph_style(document, "ITA Contents Heading")
    _fonts(contents_heading.element.get_or_add_rPr(), bold=True)
    contents_heading.paragraph_format.keep_with_next = True
    contents = _paragraph_style(document, "ITA Contents")
    contents.paragraph_format.left_indent = Cm(0.6)
    contents.paragraph_format.space_after = Pt(2)
    signature = _paragraph_style(document, "ITA Signature")
    signature.paragraph_format.left_indent = Cm(8)
    signature.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    signature.paragraph_format.keep_together = True
    about = _paragraph_style(document, "ITA Colophon")
    _fonts(about.element.get_or_add_rPr(), SMALL, colour=str(GREY))
    about.paragraph_format.space_after = Pt(0)
    _border(about, {"top": "999999"}, size=6)  # one rule above the footer: Word joins a run of bordered lines
    numbered = _paragraph_style(document, "ITA List")
    _hanging(numbered, LIST_INDENT)

    cell_text = _paragraph_style(document, "ITA Table Text")
    _fonts(cell_text.element.get_or_add_rPr(), TABLE_TEXT)
    cell_text.paragraph_format.space_after = Pt(2)
    cell_heading = _paragraph_style(document, "ITA Table Heading", base="ITA Table Text")
    _fonts(cell_heading.element.get_or_add_rPr(), bold=True)
    cell_list = _paragraph_style(document, "ITA Table List", base="ITA Table Text")
    _hanging(cell_list, Cm(0.6))
    covers = _paragraph_style(document, "ITA Covers", base="ITA Table Text")
    _fonts(covers.element.get_or_add_rPr(), SMALL, colour=str(GREY))


def _paragraph_style(document: DocxDocument, name: str, base: str = "Normal"):
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles[base]
    style.quick_style = True
    return style


def _hanging(style, indent) -> None:
    """Numbered items: the number in a hanging indent, the text aligned after it."""
    style.paragraph_format.left_indent = indent
    style.paragraph_format.first_line_indent = -indent
    style.paragraph_format.tab_stops.add_tab_stop(indent)


def _border(style, sides: dict[str, str], size: int) -> None:
    borders = _set(style.element.get_or_add_pPr(), "w:pBdr", PPR)
    for side, colour in sides.items():  # top, left, bottom, right: the schema's order
        line = OxmlElement(f"w:{side}")
        for name, value in {"w:val": "single", "w:sz": str(size), "w:space": "4", "w:color": colour}.items():
            line.set(qn(name), value)
        borders.append(line)


def _page_numbers(document: DocxDocument, style: Digits) -> None:
    """A page number centred at the foot of every page, in Thai digits unless `style` is arabic (in Word:
    LibreOffice 7.4 shows Arabic digits, and it would show Thai letters for Word's `\\* ThaiArabic`)."""
    footer = document.sections[0].footer.paragraphs[0]
    footer.style = "Footer"
    _fonts(document.styles["Footer"].element.get_or_add_rPr(), SMALL)
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = thai.digits(1, style)
    run.append(text)
    field.append(run)
    footer._p.append(field)
    if style == "thai":
        sect_pr = document.element.body.get_or_add_sectPr()
        _set(sect_pr, "w:pgNumType", SECTPR, **{"w:fmt": "thaiNumbers"})


@cache
def _font_file(stem: str) -> tuple[str, bytes]:
    """A face as Word embeds it: a key of its own (fixed per file, so the same report gives the same
    document) and the TrueType file with its first 32 bytes XORed with the key (ECMA-376 §17.8.1)."""
    data = bytearray(font_path(stem).read_bytes())
    key = uuid.uuid5(uuid.NAMESPACE_URL, f"ita-helpers/fonts/{stem}/{len(data)}/{bytes(data[:64]).hex()}")
    mask = key.bytes[::-1]
    for position in range(32):
        data[position] ^= mask[position % 16]
    return "{" + str(key).upper() + "}", bytes(data)


@cache
def _font_signature() -> dict[str, str]:
    """What Word reads of a font before it loads it: its PANOSE number and its scripts (Thai among them)."""
    with TTFont(font_path("Sarabun-Regular"), lazy=True) as font:
        os2 = font["OS/2"]
        panose = os2.panose
        digits = (panose.bFamilyType, panose.bSerifStyle, panose.bWeight, panose.bProportion, panose.bContrast,
                  panose.bStrokeVariation, panose.bArmStyle, panose.bLetterForm, panose.bMidline, panose.bXHeight)
        return {"panose1": "".join(f"{d:02X}" for d in digits), "usb0": f"{os2.ulUnicodeRange1:08X}",
                "usb1": f"{os2.ulUnicodeRange2:08X}", "usb2": f"{os2.ulUnicodeRange3:08X}",
                "usb3": f"{os2.ulUnicodeRange4:08X}", "csb0": f"{os2.ulCodePageRange1:08X}",
                "csb1": f"{os2.ulCodePageRange2:08X}"}


def _embed_fonts(document: DocxDocument) -> None:
    """Sarabun's four faces inside the file, listed in the font table (Word and LibreOffice use them)."""
    old = document.part.part_related_by(RT.FONT_TABLE)
    table = XmlPart.load(old.partname, old.content_type, old.blob, document.part.package)
    rId = next(rId for rId, rel in document.part.rels.items() if rel.reltype == RT.FONT_TABLE)
    document.part.rels.add_relationship(RT.FONT_TABLE, table, rId)
    fonts = table.element
    for existing in fonts.findall(qn("w:font")):
        if existing.get(qn("w:name")) == FAMILY:
            fonts.remove(existing)
    entry = OxmlElement("w:font")
    entry.set(qn("w:name"), FAMILY)
    fonts.insert(0, entry)
    signature = _font_signature()
    _set(entry, "w:panose1", FONT, **{"w:val": signature["panose1"]})
    _set(entry, "w:charset", FONT, **{"w:val": "00"})
    _set(entry, "w:family", FONT, **{"w:val": "auto"})
    _set(entry, "w:pitch", FONT, **{"w:val": "variable"})
    _set(entry, "w:sig", FONT, **{f"w:{k}": v for k, v in signature.items() if k != "panose1"})
    for number, stem in enumerate(FACES, start=1):
        key, data = _font_file(stem)
        part = Part(PackURI(f"/word/fonts/font{number}.odttf"), OBFUSCATED_FONT, data, document.part.package)
        _set(entry, EMBED[stem], FONT, **{"r:id": table.relate_to(part, RT.FONT), "w:fontKey": key})


def _properties(document: DocxDocument, parts: list[model.Part], values: dict[str, str]) -> None:
    """Title, author (the unit), language; and what the document was made from (custom properties: a core
    property holds at most 255 characters)."""
    title = next((part for part in parts if isinstance(part, model.Title)), None)
    properties = document.core_properties
    properties.title = title.text if title else ""
    properties.author = properties.last_modified_by = title.author if title else ""
    properties.language = "th-TH"
    properties.keywords = "ITA"
    properties.created = properties.modified = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    properties.revision = 1
    _custom_properties(document, {"ita-helpers": __version__} | values)


def _custom_properties(document: DocxDocument, values: dict[str, str]) -> None:
    """docProps/custom.xml: text properties, which Word lists under File > Properties > Custom."""
    root = etree.Element(f"{{{CUSTOM_NS}}}Properties", nsmap={None: CUSTOM_NS, "vt": VT_NS})
    for pid, (name, value) in enumerate(values.items(), start=2):  # pids 0 and 1 are reserved
        entry = etree.SubElement(root, f"{{{CUSTOM_NS}}}property", fmtid=CUSTOM_FMTID, pid=str(pid), name=name[:255])
        etree.SubElement(entry, f"{{{VT_NS}}}lpwstr").text = value[:255]
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    part = Part(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES, xml, document.part.package)
    document.part.package.relate_to(part, RT.CUSTOM_PROPERTIES)
