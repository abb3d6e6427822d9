"""The decision letter (vedtaksbrev) for an approved per-capita claim, as a PDF (reportlab).

The evaluation (lines 2950-2956): a letter with the grant amount and type of grant goes to the municipality, while the
payment file goes to DFØ. The letter is made when it is sent and kept (DecisionLetter.pdf with its SHA-256); it is
built with reportlab's invariant mode, so the same claim on the same day gives the same bytes.
"""

import hashlib
import io
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core.formatting import number
from core.pdf import fonts as _fonts





def checksum(pdf: bytes) -> str:
    return hashlib.sha256(pdf).hexdigest()


def reference(claim) -> str:
    return f"IMDI-{claim.year}{claim.quarter}-{claim.pk:06d}"


def letter_filename(claim) -> str:
    version = f"-v{claim.version}" if claim.version > 1 else ""
    return f"vedtaksbrev-{claim.municipality.number}-{claim.year}-K{claim.quarter}{version}.pdf"


def _kr(amount) -> str:
    return f"kr {number(amount, 2)}"


def decision_letter_pdf(claim, summary: list[dict], on: date) -> bytes:
    """The letter for an approved claim: recipient, the amount per scheme and rate (no personal data), the appeal."""
    municipality = claim.municipality
    font, bold = _fonts()
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontName=font, fontSize=10.5, leading=14)
    heading = ParagraphStyle("heading", parent=base["Heading2"], fontName=bold, fontSize=13, leading=17)
    small = ParagraphStyle("small", parent=body, fontSize=9, textColor=colors.HexColor("#444444"))
    region = municipality.region.name if municipality.region_id else ""
    period = f"{claim.quarter}. kvartal {claim.year}"
    story = [
        Paragraph("Integrerings- og mangfoldsdirektoratet (IMDi)" + (f", regionkontor {escape(region)}" if region else ""), small),
        Spacer(1, 8 * mm),
        Paragraph(escape(f"{municipality.name} kommune"), body),
        Paragraph("v/ rådmannen", body),
        Paragraph(escape(municipality.email or ""), small),
        Spacer(1, 6 * mm),
        Paragraph(escape(f"Dato: {on:%d.%m.%Y}   Vår ref.: {reference(claim)}"), body),
        Spacer(1, 4 * mm),
        Paragraph(escape(f"Vedtak om tilskudd for {period}" + (f" (rettet versjon {claim.version})" if claim.version > 1 else "")),
                  heading),
        Paragraph(escape(
            f"IMDi har beregnet kommunens per capita-tilskudd for {period} på grunnlag av bosettinger og deltakelse "
            f"registrert i systemet. Kommunen innvilges {_kr(claim.total)}, fordelt slik:"), body),
        Spacer(1, 3 * mm),
    ]
    rows = [["Ordning", "Sats", "Antall", "Beløp (kr)"]]
    rows += [[Paragraph(escape(r["scheme__name"]), small), Paragraph(escape(r["rate_label"]), small), number(r["persons"]),
              number(r["amount"], 2)] for r in summary]
    rows.append(["Sum", "", "", number(claim.total, 2)])
    table = Table(rows, colWidths=[55 * mm, 60 * mm, 15 * mm, 30 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font), ("FONTNAME", (0, 0), (-1, 0), bold), ("FONTNAME", (0, -1), (-1, -1), bold),
        ("FONTSIZE", (0, 0), (-1, -1), 9.5), ("ALIGN", (2, 0), (-1, -1), "RIGHT"), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black), ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDE6EF")),
    ]))
    story.append(table)
    story.append(Spacer(1, 4 * mm))
    if claim.previously_paid:
        story.append(Paragraph(escape(
            f"Vedtaket erstatter tidligere vedtak for perioden. Tidligere utbetalt: {_kr(claim.previously_paid)}. "
            + (f"Differansen, {_kr(claim.payable)}, utbetales." if claim.payable >= 0
               else f"Differansen, {_kr(-claim.payable)}, kreves tilbakebetalt eller trekkes i neste utbetaling.")), body))
    story += [
        Paragraph(escape(
            "Beløpet utbetales til kommunens konto via Direktoratet for økonomistyring (DFØ). Personopplysningene bak "
            "beregningen ligger i IMDis saksbehandlingssystem og er ikke gjengitt i brevet. Mener kommunen at en "
            "kravlinje er feil, kan den melde en innsigelse i løsningen."), body),
        Paragraph("Vedtaket kan påklages til departementet innen tre uker fra det er mottatt, jf. forvaltningsloven § 28.", body),
        Spacer(1, 10 * mm), Paragraph("Med hilsen", body), Paragraph("Integrerings- og mangfoldsdirektoratet", body),
        Spacer(1, 4 * mm), Paragraph("Brevet er godkjent elektronisk og har ingen signatur.", small),
    ]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, topMargin=20 * mm,
                            bottomMargin=20 * mm, title=f"Vedtak om tilskudd {period} – {municipality.name}", author="IMDi",
                            invariant=True)
    doc.build(story)
    return buffer.getvalue()
