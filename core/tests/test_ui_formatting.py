"""One number format for Norwegian readers: no-break-space thousands, decimal comma, "61,0 %", "kr 1 234"."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from core import formatting

S = "\u00a0"  # the one separator used between thousands and before units


@pytest.mark.parametrize("value, decimals, expected", [
    (0, 0, "0"),
    (999, 0, "999"),
    (3432, 0, f"3{S}432"),
    (1234567, 0, f"1{S}234{S}567"),
    (-1234567, 0, f"-1{S}234{S}567"),
    (1330.0, 0, f"1{S}330"),
    (1234.56, 1, f"1{S}234,6"),
    (Decimal("0.125"), 2, "0,13"),  # halves away from zero, not to even
    (2.5, 0, "3"),
    (0.1 + 0.2, 2, "0,30"),
    ("4600", 0, f"4{S}600"),
    (None, 0, "–"),
    ("", 0, "–"),
    ("ikke et tall", 0, "–"),
])
def test_number(value, decimals, expected):
    assert formatting.number(value, decimals) == expected


def test_percent_kroner_and_ratio():
    assert formatting.percent(61) == f"61,0{S}%"
    assert formatting.percent(Decimal("99.95")) == f"100,0{S}%"
    assert formatting.ratio_percent(0.6104) == f"61,0{S}%"
    assert formatting.percent(None) == "–"
    assert formatting.kroner(1234567) == f"kr{S}1{S}234{S}567"
    assert formatting.kroner(Decimal("130000000.00")) == f"kr{S}130{S}000{S}000"
    assert formatting.kroner(99.5, 2) == f"kr{S}99,50"


@pytest.mark.parametrize("count, expected", [
    (0, f"0{S}personer"), (1, f"1{S}person"), (2, f"2{S}personer"), (1500, f"1{S}500{S}personer"), (-1, f"-1{S}person"),
])
def test_count_noun(count, expected):
    assert formatting.count_noun(count, "person", "personer") == expected


def test_template_filters():
    out = Template(
        "{% load formatting %}{{ n|number }}|{{ d|number:1 }}|{{ p|percent }}|{{ r|ratio_percent }}|"
        "{{ k|kroner }}|{{ one|count_noun:'person,personer' }}|{{ six|count_noun:'person,personer' }}"
    ).render(Context({"n": 3432, "d": 1330, "p": 61, "r": 0.5, "k": 1234567, "one": 1, "six": 6}))
    assert out == (f"3{S}432|1{S}330,0|61,0{S}%|50,0{S}%|kr{S}1{S}234{S}567|1{S}person|6{S}personer")
