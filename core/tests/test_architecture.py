"""The apps depend one way (core <- settlement <- {grants, agreements, reporting} <- demo <- imdi).

`lint-imports` runs these contracts in CI. This test shows that they would catch each backward import the
codebase once had, by adding it to the real import graph and checking the contracts again.
"""

import copy

import grimp
import pytest
from importlinter.api import read_configuration
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.layers import LayersContract

KINDS = {"layers": LayersContract, "forbidden": ForbiddenContract}

# The seven backward imports found in the review of the old layout, by importer and imported module.
BACKWARD_IMPORTS = [
    ("core.api.views", "settlement.selectors"),  # the aggregates endpoint lived in core
    ("core.api.views", "reporting.services"),  # and read the small-count policy from reporting
    ("grants.views", "settlement.views"),  # apply_service
    ("agreements.views", "settlement.views"),
    ("reporting.views", "settlement.views"),
    ("settlement.views", "reporting.services"),  # the overview page's suppression
    ("settlement.services", "grants.models"),  # seed_demo and clear_demo reaching into every app
]


@pytest.fixture(scope="module")
def config():
    return read_configuration(config_filename="pyproject.toml")


@pytest.fixture(scope="module")
def graph(config):
    return grimp.build_graph(*config["session_options"]["root_packages"])


def broken(config, graph):
    names = []
    for options in config["contracts_options"]:
        options = dict(options)
        kind = KINDS[options["type"]]
        contract = kind(options["name"], config["session_options"], options)
        if not contract.check(graph, verbose=False).kept:
            names.append(options["id"])
    return names


def test_todays_code_keeps_every_contract(config, graph):
    assert broken(config, graph) == []


@pytest.mark.parametrize("importer, imported", BACKWARD_IMPORTS)
def test_a_backward_import_breaks_a_contract(config, graph, importer, imported):
    changed = copy.deepcopy(graph)
    changed.add_import(importer=importer, imported=imported, line_number=1, line_contents=f"import {imported}")
    assert broken(config, changed), f"{importer} -> {imported} was not caught"
    assert broken(config, graph) == []  # the real graph is untouched
