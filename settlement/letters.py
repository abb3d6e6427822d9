"""The request letter (anmodningsbrev) as a PDF (reportlab), addressed to the municipality's chief executive.

The evaluation (lines 2377-2397): IMDi asks for three years at a time, by April, in a letter to the rådmann rather
than the caseworker, and for somewhat more places than the need. The letter is made once, when it is sent, and
kept as it was attached (RequestLetter.pdf).
"""

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core.formatting import number
from core.pdf import fonts as _fonts





def addressee(letter) -> str:
    """"kommunedirektør Kari Nordmann", or just "Kommunedirektøren" where the register holds the role, not a name."""
    title, name = letter.recipient_title.lower(), letter.recipient_name
    return name if name.lower().startswith(title[:6]) else f"{title} {name}"


def letter_filename(letter) -> str:
    request = letter.request
    years = [y.year for y in request.years.all()]
    span = f"{min(years)}-{max(years)}" if years else str(request.sent_on.year)
    return f"anmodning-bosetting-{request.municipality.number}-{span}.pdf"


def request_letter_pdf(letter) -> bytes:
    """The letter for `letter` (a RequestLetter with its request): recipient, the places per year, the reply deadline."""
    request = letter.request
    municipality = request.municipality
    years = list(request.years.all())
    font, bold = _fonts()
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontName=font, fontSize=10.5, leading=14)
    heading = ParagraphStyle("heading", parent=base["Heading2"], fontName=bold, fontSize=13, leading=17)
    small = ParagraphStyle("small", parent=body, fontSize=9, textColor=colors.HexColor("#444444"))
    span = f"{years[0].year}–{years[-1].year}" if len(years) > 1 else (str(years[0].year) if years else "")
    region = municipality.region.name if municipality.region_id else ""

    story = [
        Paragraph("Integrerings- og mangfoldsdirektoratet (IMDi)" + (f", regionkontor {escape(region)}" if region else ""), small),
        Spacer(1, 8 * mm),
        Paragraph(escape(f"{municipality.name} kommune"), body),
        Paragraph(escape(f"v/ {addressee(letter)}"), body),
        Paragraph(escape(letter.recipient_email), small),
        Spacer(1, 6 * mm),
        Paragraph(f"Dato: {request.sent_on:%d.%m.%Y}", body),
        Spacer(1, 4 * mm),
        Paragraph(escape(f"Anmodning om bosetting av flyktninger {span}"), heading),
        Paragraph(escape(
            f"Integrerings- og mangfoldsdirektoratet anmoder med dette {municipality.name} kommune om å bosette "
            f"flyktninger i årene {span}, etter det nasjonale behovet som Nasjonalt utvalg har fastsatt og IMDis "
            "prognose for de neste årene. Anmodningen er sendt til kommunens administrative ledelse for å sikre "
            "strategisk forankring."), body),
        Spacer(1, 4 * mm),
    ]
    rows = [["År", "Personer", "Herav enslige mindreårige"]]
    rows += [[str(y.year), number(y.persons), number(y.unaccompanied_minors)] for y in years]
    table = Table(rows, colWidths=[30 * mm, 35 * mm, 55 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font), ("FONTNAME", (0, 0), (-1, 0), bold), ("FONTSIZE", (0, 0), (-1, -1), 10),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"), ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDE6EF")),
    ]))
    story += [
        table,
        Spacer(1, 4 * mm),
        Paragraph(escape(
            f"Vi ber om at kommunestyret fatter vedtak om antall personer kommunen vil bosette, og at vedtaket "
            f"registreres hos IMDi innen {request.reply_deadline:%d.%m.%Y}. Vedtaket kan registreres i IMDis "
            "bosettingsløsning, eller sendes til IMDi, som registrerer det på kommunens vegne."), body),
    ]
    if request.note:
        story += [Spacer(1, 3 * mm), Paragraph(escape(request.note), body)]
    story += [Spacer(1, 10 * mm), Paragraph("Med hilsen", body), Paragraph("Integrerings- og mangfoldsdirektoratet", body)]

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, topMargin=20 * mm,
                            bottomMargin=20 * mm, title=f"Anmodning om bosetting {span} – {municipality.name}",
                            author="IMDi")
    doc.build(story)
    return buffer.getvalue()
