"""The identity rules behind literal gates and anchors still read their sentences.

Each gate skips a regex when the page lacks a piece every match holds, and each anchor
set lists where a match can start; the registry test of the scans (tests/test_scans.py)
pins anchored scans to full ones. These rows pin what the gated rules find, end to end
through ``extract_page``, on invented pages: the field, its value and the named method.
"""

from __future__ import annotations

import pytest

from pipeline.api import extract_page

_FUNDED = " Projekt je spolufinancován z dotace Evropské unie."

# (page text, field, value, evidence method).
GATED_RULES = [
    pytest.param("Projekt Centrum podpory náhradní péče (CP NRP) je v běhu." + _FUNDED,
                 "title", "Centrum podpory náhradní péče", "acronym-name", id="name-with-acronym"),
    pytest.param("Obec Lhotka realizuje projekt Místní akční plán Lhotka." + _FUNDED,
                 "title", "Místní akční plán Lhotka", "started-project", id="started-project"),
    pytest.param("Naše škola se zapojila. Projektem „Zelená zahrada“ pomáháme." + _FUNDED,
                 "title", "Zelená zahrada", "quoted-name", id="quoted-name"),
    pytest.param("Škola získala dotaci na projekt s celým názvem Zelená zahrada pro všechny." + _FUNDED,
                 "title", "Zelená zahrada pro všechny", "named-as", id="full-name"),
    pytest.param("Jsme spolek Modrý kruh. Pomáháme rodinám a realizujeme projekt Zelená zahrada." + _FUNDED,
                 "beneficiary", "Modrý kruh", "self-named", id="classified-organisation"),
    pytest.param("Mezi námi, o. p. s. pomáhá rodinám." + _FUNDED,
                 "beneficiary", "Mezi námi, o. p. s.", "only-ngo", id="legal-form"),
]


@pytest.mark.parametrize(("page", "field", "value", "method"), GATED_RULES)
def test_gated_rules_on_examples(page: str, field: str, value: str, method: str) -> None:
    record = extract_page(page)
    found = getattr(record, field)
    assert (found if isinstance(found, str) else found.name) == value
    assert record.evidence[field].method == method
