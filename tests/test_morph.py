"""Czech nominatives of places and organisations printed in another case (pipeline.normalise.morph)."""

from __future__ import annotations

import pytest

from pipeline.normalise.morph import organisation_nominative, place_nominative

# (words after "v"/"ve", nominative or None). Towns invented where the rule is a suffix rule.
PLACES = [
    pytest.param(["Jihlavě"], "Jihlava", id="lemma-table-proper-name"),
    pytest.param(["Praze"], "Praha", id="lemma-table-irregular-stem"),
    pytest.param(["Liberci"], "Liberec", id="lemma-table-mobile-e"),
    pytest.param(["Lomnově"], "Lomnov", id="suffix-ov"),
    pytest.param(["Lhotkovicích"], "Lhotkovice", id="suffix-ovice"),
    pytest.param(["Zálesanech"], "Zálesany", id="suffix-any"),
    pytest.param(["Borovíně"], "Borovín", id="suffix-in"),
    pytest.param(["Kroměříži"], "Kroměříž", id="suffix-soft-consonant"),
    pytest.param(["Českém", "Lomnově"], "Český Lomnov", id="adjective-agrees-masculine"),
    pytest.param(["Evropě"], None, id="continent-is-no-project-place"),
    pytest.param(["Domově"], None, id="common-noun-capitalised"),
    pytest.param(["Komunitním", "centru"], None, id="common-adjective-and-noun"),
    pytest.param(["Lomnu"], None, id="ambiguous-ending-stays-null"),
]


@pytest.mark.parametrize(("words", "expected"), PLACES)
def test_place_nominative(words: list[str], expected: str | None) -> None:
    """A locative place name gives its nominative, or None when the rules are unsure."""
    assert place_nominative(words) == expected


# (printed words, case, nominative or None).
ORGANISATIONS = [
    pytest.param("Kraje Vysočina", "genitive", "Kraj Vysočina", id="genitive-head-name-stays"),
    pytest.param("Ministerstvem práce a sociálních věcí", "instrumental", "Ministerstvo práce a sociálních věcí", id="genitive-complement-with-a"),
    pytest.param("Ministerstvem pro místní rozvoj", "instrumental", "Ministerstvo pro místní rozvoj", id="pro-is-part-of-the-name"),
    pytest.param("Oblastní charitou Lomnov na náměstí", "instrumental", "Oblastní charita Lomnov", id="soft-adjective-then-head"),
    pytest.param("Mateřskou školou Lomnov", "instrumental", "Mateřská škola Lomnov", id="hard-adjective-feminine"),
    pytest.param("Kanceláří veřejného ochránce práv", "instrumental", "Kancelář veřejného ochránce práv", id="feminine-consonant-stem"),
    pytest.param("Městem Lomnov a Krajem", "instrumental", None, id="two-parties-or-one-name-stays-null"),
    pytest.param("Základní školou a Mateřskou školou Lhota", "instrumental", None, id="coordinated-name-not-cut-short"),
    pytest.param("Evropským sociálním fondem", "instrumental", None, id="a-fund-is-no-organisation-head"),
    pytest.param("Projektu Zdravá škola", "genitive", None, id="a-project-is-no-organisation-head"),
    pytest.param("MAP II", "instrumental", None, id="acronym-is-not-declined"),
    pytest.param("v rámci výzvy", "instrumental", None, id="preposition-is-no-name"),
]


@pytest.mark.parametrize(("words", "case", "expected"), ORGANISATIONS)
def test_organisation_nominative(words: str, case: str, expected: str | None) -> None:
    """The declined head of an organisation name is put back into the nominative."""
    assert organisation_nominative(words.split(), case) == expected
