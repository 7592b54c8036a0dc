"""Beneficiary rules of running text (pipeline/extract/beneficiary.py), as tables of invented pages.

Each row is a short page in invented Czech words and the beneficiary its record must hold;
the rows are named by the phrasing family they stand for and, for the families first seen
on real pages, by where that was (the corpus or the unseen pages' failure classes).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest

from pipeline.core import extract_bytes
from pipeline.extract.beneficiary import municipalities, organisation_span
from pipeline.normalise.morph import municipality_nominative
from pipeline.records import Record


@dataclass(frozen=True)
class Case:
    """A page and the beneficiary name (or None) with the evidence method that must find it."""

    id: str
    page: str
    expected: str | None = None
    method: str | None = None


# One registration number makes every page a project page; the rows differ in their prose.
_REG = "\nRegistrační číslo projektu: CZ.03.2.63/0.0/0.0/15_007/0001234\n"

EXAMPLES = [
    # Predicate-first role sentences: the role noun in the instrumental, then the copula.
    Case("role-noun-then-copula", _REG + "Realizátorem projektu je statutární město Kolín.", "statutární město Kolín", "role-predicate"),
    Case("role-noun-with-words-before-copula", _REG + "Realizátorem MAP II je statutární město Kolín a projekt je financován z OP VVV.", "statutární město Kolín", "role-predicate"),
    Case("recipient-of-subsidy-became", _REG + "Příjemcem dotace z programu se stala obec Lhota.", "obec Lhota", "role-predicate"),
    Case("lead-partner-of-cross-border-project", _REG + "Vedoucím partnerem česko-polského projektu je město Horní Lipová.", "město Horní Lipová", "role-predicate"),
    # The subject-first family, with a partner named after it in the same sentence.
    Case("subject-first-then-partner", _REG + "Obec Lhota je příjemcem dotace a partnerem je Spolek Lípa, z. s.", "Obec Lhota", "role-sentence"),
    # The subject-first family in lower case or after a phrase of time.
    Case("subject-in-lower-case", _REG + "statutární město Kolín je příjemcem dotace z IROP.", "statutární město Kolín", "role-subject"),
    Case("subject-after-time-phrase", _REG + "V roce 2019 se statutární město Kolín stalo příjemcem dotace.", "statutární město Kolín", "role-subject"),
    # A verb of carrying out a project with its subject before it.
    Case("town-finished-the-action", _REG + "Na jaře roku 2023 město Rokycany dokončilo realizaci akce „Nové hřiště“.", "město Rokycany", "verb-subject"),
    Case("charity-carries-out-project", _REG + "Oblastní charita Lipník realizuje projekt Domov v bezpečí.", "Oblastní charita Lipník", "verb-subject"),
    Case("proper-adjective-and-head", _REG + "Lipnická diakonie realizuje projekt s názvem Nový domov.", "Lipnická diakonie", "verb-subject"),
    Case("village-with-time-between", _REG + "Obec Vysoká Lhota v roce 2021 realizovala projekt Komunitní dům.", "Obec Vysoká Lhota", "verb-subject"),
    Case("ministry-with-genitive-complement", _REG + "Ministerstvo práce a sociálních věcí prostřednictvím programu realizuje projekt Pomoc.", "Ministerstvo práce a sociálních věcí", "verb-subject"),
    Case("school-with-street-name", _REG + "Základní škola Lipová Zálesí realizuje projekt v rámci výzvy 63.", "Základní škola Lipová Zálesí", "verb-subject"),
    Case("company-with-legal-form", _REG + "Strojírna Kovák, spol. s r.o. získala dotaci na projekt Nová linka.", "Strojírna Kovák, spol. s r.o.", "verb-subject"),
    Case("office-with-see-below-note", _REG + "V roce 2020 Kancelář zemského ombudsmana (dále jen KZO) realizovala aktivity projektu.", "Kancelář zemského ombudsmana", "verb-subject"),
    # ... and with its subject after it.
    Case("project-carried-out-by-region", _REG + "Projekt Krajský plán vzdělávání II (KPV II) realizuje Lipnický kraj v rámci OP VVV.", "Lipnický kraj", "verb-subject"),
    Case("month-then-verb-then-school", _REG + "V únoru 2011 zahájilo Horní gymnázium Karla Lipky realizaci projektu.", "Horní gymnázium Karla Lipky", "verb-subject"),
    # A village not in the municipality list (a partner abroad) still reads as one.
    Case("foreign-village-by-its-capitalised-name", _REG + "Obec Lipowice Wielkie realizovala v roce 2024 projekt.", "Obec Lipowice Wielkie", "verb-subject"),
    # A role noun in the nominative before the name, in a sentence that goes on.
    Case("applicant-apposition", _REG + "Žadatel Kancelář zemského ombudsmana hradí všechny nezpůsobilé výdaje.", "Kancelář zemského ombudsmana", "role-apposition"),
    Case("realiser-apposition-in-commas", _REG + "Realizátor projektu, Charita Lipník, nabízí poradenství rodinám.", "Charita Lipník", "role-apposition"),
    # Cards: labels of the funding portals, Czech and English.
    Case("card-label-runs-into-value", _REG + "Příjemce podpory Vodárny Lipnicko\nCelkové výdaje 1 000 000 Kč", "Vodárny Lipnicko", "label-line"),
    Case("card-name-of-recipient", _REG + "Název příjemce: Lipnický kraj\n", "Lipnický kraj", "label"),
    Case("english-beneficiary-label", _REG + "Beneficiary: Obec Lhota\n", "Obec Lhota", "label"),
    Case("role-cue-with-address", _REG + "Realizátorem projektu je Obec Lhota, Náměstí 5, 123 45 Lhota.", "Obec Lhota", "role-cue"),
    Case("label-value-with-address", _REG + "Příjemce: Obec Lhota, Náměstí 5, 123 45 Lhota\n", "Obec Lhota", "label"),
    Case("english-lead-partner-label", _REG + "Lead partner: Město Lipová\n", "Město Lipová", "label"),
    Case("label-department-with-its-office", _REG + "Realizátor: Odbor prevence Úřadu vlády Lipnicka\n", "Odbor prevence Úřadu vlády Lipnicka", "label"),
    # A list of partners that marks the lead one (cross-border projects; first round's misses).
    Case("lead-partner-in-a-partner-list", _REG + "Partneři projektu:\n• Województwo Lipnickie (Instytut Rozwoju) – vedoucí partner,\n• Obec Lhota – partner\n", "Województwo Lipnickie (Instytut Rozwoju)", "lead-partner-item"),
    Case("english-lead-partner-in-brackets", _REG + "Partneři:\nMěsto Lipová (Lead Partner)\nSpolek Lípa\n", "Město Lipová", "lead-partner-item"),
    Case("label-value-on-the-next-line", _REG + "Příjemce dotace\nStatutární město Lipník\n", "Statutární město Lipník", "label"),
    # School template projects name their school.
    Case("school-opens-template-name", _REG + "Naše škola je zapojena do projektu s názvem MŠ Lipová Šablony I v programu OP JAK.", "MŠ Lipová", "name-school"),
    Case("school-and-call-number", _REG + "Projekt má název ZŠ Horka výzva 80 a je financován z OP VVV.", "ZŠ Horka", "name-school"),
    Case("template-name-without-name-intro", _REG + "Projekt Šablony pro ZŠ Horka je financován z OP VVV.", "ZŠ Horka", "name-school"),
    # A town or village in the instrumental or the genitive, confirmed by the municipality list.
    Case("realised-by-village-nominative-name", _REG + "Projekt je realizován obcí Lhota.", "obec Lhota", "realised-by-town"),
    Case("realised-by-town-declined-name", _REG + "Projekt byl realizován statutárním městem Českými Budějovicemi.", "statutární město České Budějovice", "realised-by-town"),
    Case("site-of-a-town-in-genitive", "Nacházíte se na stránkách města Kadaně." + _REG, "Město Kadaň", "site-owner"),
    Case("site-of-a-village-with-u", "Jste na stránkách obce Lhoty u Příbramě." + _REG, "Obec Lhota u Příbramě", "site-owner"),
    # Families met on no corpus page, written from how Czech pages say it (session 7).
    Case("two-school-kinds-joined-by-a", _REG + "Základní škola a mateřská škola Lhota realizuje projekt.", "Základní škola a mateřská škola Lhota", "verb-subject"),
    Case("kind-noun-before-company-name", _REG + "Příjemcem podpory se stala společnost Lipa CZ a.s.", "Lipa CZ a.s.", "role-predicate"),
    Case("project-realised-by-company", _REG + "Projekt je realizován společností Modrotisk s.r.o.", "Modrotisk s.r.o.", "realised-by-company"),
    Case("object-first-subsidy-sentence", _REG + "Dotaci získal Spolek rodičů Lipník, z. s.", "Spolek rodičů Lipník, z. s.", "verb-subject"),
    Case("investor-of-the-action", _REG + "Investorem akce je město Lipník.", "město Lipník", "role-predicate"),
    Case("label-with-spaced-slash", _REG + "Žadatel / příjemce: Jihomoravský kraj\n", "Jihomoravský kraj", "label"),
    Case("investor-label", _REG + "Investor: Obec Lhota\n", "Obec Lhota", "label"),
    Case("school-spelled-in-full-elsewhere", _REG + "Projekt s názvem ZŠ Horka výzva 80.\nZákladní škola Horka, příspěvková organizace, Dlouhá 5", "Základní škola Horka, příspěvková organizace", "name-school"),
]

# Sentences that look like the families above but name no beneficiary: each stays null.
STAYS_NULL = [
    Case("partner-organisation-in-relative-clause", _REG + "Partnerská organizace zajišťuje odborný tým, který realizuje aktivity projektu."),
    Case("relative-clause-between-subject-and-verb", _REG + "Obec Lhota, která získala dotaci loni, chystá další projekt." ),
    Case("verb-without-project", _REG + "Město Lipová dokončilo opravu chodníku v Dlouhé ulici."),
    Case("kind-without-name", _REG + "Základní škola realizuje projekt pro žáky."),
    Case("service-kind-is-no-organisation", _REG + "Dětská skupina realizuje projekt pro rodiče malých dětí."),
    Case("facility-with-adjective-is-no-organisation", _REG + "Azylový dům získal dotaci na projekt."),
    Case("partner-named-as-subject", _REG + "Partner projektu Spolek Lípa, z. s. realizuje část aktivit projektu."),
    Case("school-in-an-investment-title", _REG + "Projekt s názvem Rekonstrukce učeben ZŠ Horka byl podpořen z IROP."),
    Case("name-does-not-cross-lines", "Jan Novák\nČeský vodák\nNaše škola je příjemcem dotace z ESF." + _REG),
    Case("realised-by-unknown-town", _REG + "Projekt byl realizován městem Lomnovem."),
    Case("site-of-a-town-another-body's-project", "Nacházíte se na stránkách města Kadaně. Projekt kraje Ústeckého." + _REG),
    Case("call-name-with-school-kinds", _REG + "Výzva Podpora škol formou projektů – Šablony pro MŠ a ZŠ III."),
    Case("recipients-are-people", _REG + "Příjemci podpory jsou žáci školy a jejich rodiče."),
    Case("role-cue-names-a-person", _REG + "Realizátorem projektu je Mgr. Jana Lipová, ředitelka školy."),
    Case("label-gives-a-contact-person", _REG + "Realizátor: Mgr. Jana Lipová\n"),
    Case("contractor-finished-works-of-a-project", _REG + "Firma Kovák s.r.o. dokončila stavbu v rámci projektu obce Lhota."),
    Case("award-for-a-project", _REG + "Obec Lhota získala ocenění Vesnice roku za projekt."),
    Case("funder-after-verb", _REG + "Dotaci na projekt získala od Lipnického kraje."),
    Case("construction-realised-by-contractor", _REG + "Stavba byla realizována společností Kovák s.r.o. v termínu."),
    Case("project-realised-by-company-without-legal-form", _REG + "Projekt je realizován společností, která má zkušenosti."),
    # Labelled values that are no beneficiary's name (the label rule's failure classes on unseen pages).
    Case("label-gives-a-department-alone", _REG + "Realizátor: Odbor školství a kultury\n"),
    Case("label-gives-person-and-function", _REG + "Příjemce: Jan Lipový, starosta\n"),
    Case("label-gives-a-street-address", _REG + "Příjemce: Dlouhá 15, Lhota\n"),
    Case("label-gives-a-phone-line", _REG + "Žadatel: Tel. 777 123 456\n"),
    Case("label-gives-the-funder", _REG + "Příjemce: Evropská unie\n"),
    Case("label-gives-the-managing-authority", _REG + "Příjemce: Řídicí orgán OP Lipnicko\n"),
    Case("label-gives-an-answer", _REG + "Realizátor: Ano\n"),
    Case("label-gives-a-bare-kind", _REG + "Realizátor: Obec\n"),
    Case("label-gives-an-amount", _REG + "Příjemce: 1 234 567 Kč\n"),
    Case("label-gives-the-team", _REG + "Realizátor: Projektový tým\n"),
    Case("lead-partner-item-without-a-name", _REG + "Partneři:\nProjekt – vedoucí partner\nObec Lhota – partner\n"),
    Case("lead-partner-item-is-a-contact-person", _REG + "Partneři:\nIng. Jan Lipový – vedoucí partner\n"),
    Case("final-recipient-label-lists-people", _REG + "Konečný příjemce: Děti a mládež z Lipnicka\n"),
    Case("heading-label-over-a-paragraph", _REG + "Příjemce podpory\nProjekt byl podpořen z Lipnického fondu.\n"),
]


def _record_of(page: str) -> Record:
    """The record of an invented text page."""
    return extract_bytes(page.encode("utf-8"), "page.txt")


@pytest.mark.parametrize("case", EXAMPLES, ids=lambda c: c.id)
def test_phrasing_families(case: Case) -> None:
    """Each phrasing family gives its organisation, found by its own method."""
    record = _record_of(case.page)
    assert record.beneficiary is not None, case.id
    assert record.beneficiary.name == case.expected
    assert record.evidence["beneficiary"].method == case.method


@pytest.mark.parametrize("case", STAYS_NULL, ids=lambda c: c.id)
def test_look_alikes_stay_null(case: Case) -> None:
    """Sentences that name no beneficiary leave it null."""
    assert _record_of(case.page).beneficiary is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Obec Lhota realizuje", "Obec Lhota"),
        ("město Mnichovo Hradiště a okolí", "město Mnichovo Hradiště"),
        ("obec Petrovice u Karviné.", "obec Petrovice u Karviné"),
        ("Statutární město Kolín, IČO 123", "Statutární město Kolín"),
        ("ZŠ a MŠ Lipová realizuje", "ZŠ a MŠ Lipová"),
        ("Modrá síť, z. s. pořádá", "Modrá síť, z. s."),
        ("Lipnický kraj v rámci", "Lipnický kraj"),
        ("Úřad práce a sociálních věcí", "Úřad práce a sociálních věcí"),
        ("Obec dokončila", None),
        ("Naše mateřská škola", None),
        ("Evropský sociální fond", None),
        ("Projekt Zelená škola", None),
    ],
)
def test_organisation_span(text: str, expected: str | None) -> None:
    """A name reads as an organisation by its kind, head noun or legal form."""
    span = organisation_span(text, 0, len(text))
    assert (text[span[0] : span[1]] if span else None) == expected


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["Kolínem", "v"], ("Kolín", 1)),
        (["Lhoty", "u", "Příbramě"], ("Lhota u Příbramě", 3)),
        (["Uherským", "Hradištěm"], ("Uherské Hradiště", 2)),
        (["Brnem"], ("Brno", 1)),
        (["Lomnovem"], None),
    ],
)
def test_municipality_nominative(words: list[str], expected: tuple[str, int] | None) -> None:
    """A town's name in the genitive or instrumental reads back to one listed municipality."""
    assert municipality_nominative(words, municipalities()) == expected


def test_municipality_list_holds_towns_and_villages() -> None:
    """The list from the Czech Statistical Office figures holds towns, villages and two-word names."""
    names = municipalities()
    assert len(names) > 5000
    assert {"Praha", "Mnichovo Hradiště", "Lhota"} <= names
    assert all(name == name.strip() and name[0].isupper() for name in names)


@pytest.mark.parametrize(
    "body",
    ["realizován obcí " * 20000, "Obec realizuje projekt a " * 20000, "Šablony pro ZŠ " * 20000],
    ids=["passive-town", "verb-subject", "template-name"],
)
def test_repeated_rule_words_stay_fast(body: str) -> None:
    """A page of one rule's words repeated (hostile or generated) is read in bounded time, and gives nothing."""
    started = time.perf_counter()
    record = _record_of(_REG + body)
    assert record.beneficiary is None
    assert time.perf_counter() - started < 10
