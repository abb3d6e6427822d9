"""CSV with Norwegian conventions: read back with Python's csv module as Norwegian Excel would (";" between
cells, "," as the decimal sign), every figure comes back as the number written."""

import csv
import io
from datetime import date
from decimal import Decimal

from core.csv import csv_response, csv_value


def norwegian_number(text: str) -> Decimal:
    """How Excel with Norwegian settings reads a cell: digits with a decimal comma, nothing else."""
    assert "." not in text and " " not in text and "\u00a0" not in text, text
    return Decimal(text.replace(",", "."))


def test_decimals_are_written_with_a_decimal_comma_and_read_back_as_numbers():
    response, writer = csv_response("x.csv")
    writer.writerow(["Kommune", "Andel (%)", "Snitt (mnd)", "Personer", "Beløp (kr)"])
    writer.writerow(["Oslo", Decimal("61.5"), 4.25, 1330, Decimal("130000000.00")])
    writer.writerow(["Bergen", -0.1, Decimal("-1.50"), 0, Decimal("1234567.89")])
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0][1] == "Andel (%)"
    values = [[norwegian_number(c) for c in row[1:]] for row in rows[1:]]
    assert values == [[Decimal("61.5"), Decimal("4.25"), 1330, Decimal("130000000.00")],
                      [Decimal("-0.1"), Decimal("-1.50"), 0, Decimal("1234567.89")]]
    assert rows[1][1:] == ["61,5", "4,25", "1330", "130000000,00"]


def test_dates_empty_cells_and_formulas():
    assert csv_value(date(2025, 10, 3)) == "03.10.2025"
    assert csv_value(None) == ""
    response, writer = csv_response("x.csv")
    writer.writerow(["=1+1", -5, None, True])
    assert response.content.decode("utf-8-sig").strip() == "'=1+1;-5;;ja"
