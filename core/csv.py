"""CSV downloads that Norwegian Excel opens as intended: UTF-8 with a byte-order mark (else Excel reads the file
as Windows-1252), semicolons between cells (the comma is the decimal sign), decimal commas and no thousands
separator in numbers (Excel with Norwegian settings then reads "1234,5" as a number, where "1234.5" became a
date or text), dates as dd.mm.åååå."""

import csv
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone

DELIMITER = ";"
BOM = "\ufeff"

# A cell starting with one of these is read as a formula by spreadsheet programs (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text that would start a formula gets a leading apostrophe; numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_value(value):
    """A cell as Norwegian Excel reads it: 1234.5 -> "1234,5", a date -> "25.11.2026", None -> ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, float):
        value = Decimal(str(value))  # str() first: no binary noise such as 0.1000000000000000055
    if isinstance(value, Decimal):
        return f"{value:f}".replace(".", ",")
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d.%m.%Y %H:%M") if timezone.is_aware(value) else value.strftime(
            "%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return value


class _SafeWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row):
        return self._writer.writerow([csv_value(safe_cell(v)) for v in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(fileobj):
    """A writer with Norwegian conventions that escapes formulas (the caller writes the BOM)."""
    return _SafeWriter(csv.writer(fileobj, delimiter=DELIMITER))


def csv_response(filename: str):
    """A CSV download (UTF-8 with a byte-order mark, semicolons, decimal commas), and a writer that escapes formulas."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    response.write(BOM)
    return response, writer(response)
