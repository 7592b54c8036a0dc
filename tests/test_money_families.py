"""Subsidy and total cost across the phrasing families of Czech project pages (issue 16).

Each row is one family, in invented words: ``LABELS`` label vocabularies of cards and
portals (Czech and English), ``TOTALS`` which of several totals is the total cost
(corpus README: the total costs over the total eligible costs), ``PROSE`` sentences that state the amount, ``FORMATS`` how
Czech pages print numbers and units, ``TABLES`` amounts under a unit header, and
``MUST_STAY_NULL`` amounts that are someone else's or not stated exactly.
"""

from __future__ import annotations

import pytest
from helpers import Case, value_of

from pipeline.core import extract_bytes

CARD = "Projekt Zelená zahrada\nRegistrační číslo: CZ.06.2.56/0.0/0.0/16_072/0001234\n"
PROSE_HEAD = "Projekt Zelená zahrada je spolufinancován z IROP. "
ENGLISH_CARD = "Project Green garden\nRegistration number: CZ.06.2.56/0.0/0.0/16_072/0001234\n"

LABELS = [
    Case("vyse-dotace", CARD + "Výše dotace: 1 234 567,89 Kč", "subsidy.amount", "1234567.89"),
    Case("vyse-podpory", CARD + "Výše podpory: 640 000 Kč", "subsidy.amount", "640000"),
    Case("vyse-prispevku", CARD + "Výše příspěvku: 640 000 Kč", "subsidy.amount", "640000"),
    Case("prispevek-unie", CARD + "Příspěvek Unie: 640 000,00 Kč", "subsidy.amount", "640000.00"),
    Case("pridelena-dotace", CARD + "Přidělená dotace: 640 000 Kč", "subsidy.amount", "640000"),
    Case("schvalena-vyse", CARD + "Schválená výše dotace: 640 000 Kč", "subsidy.amount", "640000"),
    Case("maximalni-vyse", CARD + "Maximální výše dotace: 640 000 Kč", "subsidy.amount", "640000"),
    Case("poskytnuta-dotace", CARD + "Výše poskytnuté dotace: 640 000 Kč", "subsidy.amount", "640000"),
    Case("dotace-celkem", CARD + "Dotace celkem: 640 000 Kč", "subsidy.amount", "640000"),
    Case("financni-podpora-z-eu", CARD + "Výše finanční podpory z EU: 640 000 Kč", "subsidy.amount", "640000"),
    Case("grant-amount", ENGLISH_CARD + "Grant amount: 640 000 CZK", "subsidy.amount", "640000"),
    Case("eu-contribution", ENGLISH_CARD + "EU contribution: 640 000 CZK", "subsidy.amount", "640000"),
    Case("total-eligible-costs", ENGLISH_CARD + "Total eligible costs: 800 000 CZK", "total_cost.amount", "800000"),
    Case("total-budget", ENGLISH_CARD + "Total budget: 800 000 CZK", "total_cost.amount", "800000"),
    Case("celkove-naklady", CARD + "Celkové náklady: 800 000 Kč", "total_cost.amount", "800000"),
    Case("celkovy-rozpocet", CARD + "Celkový rozpočet: 800 000 Kč", "total_cost.amount", "800000"),
    Case("rozpocet-alone", CARD + "Rozpočet: 800 000 Kč", "total_cost.amount", "800000"),
    Case("hodnota-projektu", CARD + "Hodnota projektu: 800 000 Kč", "total_cost.amount", "800000"),
    Case("zpusobile-vydaje-projektu", CARD + "Způsobilé výdaje projektu: 800 000 Kč", "total_cost.amount", "800000"),
]

ELIGIBLE_THEN_TOTAL = CARD + "Celkové způsobilé výdaje: 800 000 Kč\nCelkové výdaje projektu: 1 000 000 Kč\nDotace: 680 000 Kč"

TOTALS = [
    Case("total-costs-beat-eligible-after", ELIGIBLE_THEN_TOTAL, "total_cost.amount", "1000000"),
    Case("total-costs-beat-eligible-before", CARD + "Celkové výdaje projektu: 1 000 000 Kč\n"
         "Celkové způsobilé výdaje: 800 000 Kč", "total_cost.amount", "1000000"),
    Case("total-costs-beat-eligible-english", ENGLISH_CARD + "Total eligible costs: 800 000 CZK\n"
         "Total costs: 1 000 000 CZK", "total_cost.amount", "1000000"),
    Case("total-costs-beat-eligible-in-prose", PROSE_HEAD + "Celkové způsobilé výdaje projektu činí 800 000 Kč, "
         "celkové výdaje projektu 1 000 000 Kč.", "total_cost.amount", "1000000"),
    Case("ineligible-costs-are-no-total", CARD + "Celkové způsobilé výdaje: 800 000 Kč\n"
         "Celkové nezpůsobilé výdaje: 50 000 Kč", "total_cost.amount", "800000"),
    Case("ineligible-costs-first-are-no-total", CARD + "Nezpůsobilé výdaje celkem: 50 000 Kč\n"
         "Celkové způsobilé výdaje: 800 000 Kč", "total_cost.amount", "800000"),
]

PROSE = [
    Case("ziskalo-dotaci", "Město Lipník získalo dotaci ve výši 2 400 000 Kč na projekt Zelená zahrada z IROP.",
         "subsidy.amount", "2400000"),
    Case("byla-prizna", "Projektu Zelená zahrada byla přiznána dotace 1 500 000 Kč z Operačního programu "
         "Životní prostředí.", "subsidy.amount", "1500000"),
    Case("financni-podpora-ve-vysi", "Projekt Zelená zahrada z IROP získal finanční podporu ve výši 640 000 Kč.",
         "subsidy.amount", "640000"),
    Case("podporen-castkou", "Projekt Zelená zahrada je podpořen částkou 640 000 Kč z Evropského fondu pro "
         "regionální rozvoj.", "subsidy.amount", "640000"),
    Case("celkova-vyse-cini", PROSE_HEAD + "Celková výše dotace činí 640 000 Kč.", "subsidy.amount", "640000"),
    Case("z-toho-dotace", PROSE_HEAD + "Celkové náklady projektu činí 1 000 000 Kč, z toho dotace 850 000 Kč.",
         "subsidy.amount", "850000"),
    Case("z-toho-dotace-total", PROSE_HEAD + "Celkové náklady projektu činí 1 000 000 Kč, z toho dotace 850 000 Kč.",
         "total_cost.amount", "1000000"),
    Case("sfzp-basis-subsidy", "Obec Lhota obdržela rozhodnutí o poskytnutí podpory na projekt Zelená zahrada.\n"
         "Podpora formou dotace ve výši 1 250 000,50 Kč tj. 60 % ze základu pro stanovení podpory ve výši "
         "2 083 334,17 Kč.", "subsidy.amount", "1250000.50"),
    Case("v-celkove-hodnote", "Obec Lhota realizovala projekt Zelená zahrada v celkové hodnotě 800 000 Kč, "
         "spolufinancovaný z IROP.", "total_cost.amount", "800000"),
    Case("percentage-restated-as-amount", PROSE_HEAD + "Dotace byla poskytnuta ve výši 85 % celkových "
         "způsobilých výdajů, tj. 640 000 Kč.", "subsidy.amount", "640000"),
    Case("percentage-restated-after-total", PROSE_HEAD + "Celkové náklady jsou 1 mil. Kč, dotace činí 85 %, "
         "tj. 850 000 Kč.", "subsidy.amount", "850000"),
    Case("subsidy-then-total-in-one-sentence", "Projekt Zelená zahrada z IROP.\nDotace činila 680 000 Kč, "
         "celkové náklady 800 000 Kč.", "total_cost.amount", "800000"),
    Case("part-of-whole-subsidy", "Spolek Lípa zahájil projekt Zelená zahrada. Grant z Fondů EHP pokryje 80 % "
         "celkových nákladů projektu, tedy 640 000 z 800 000 korun.", "subsidy.amount", "640000"),
    Case("part-of-whole-total", "Spolek Lípa zahájil projekt Zelená zahrada. Grant z Fondů EHP pokryje 80 % "
         "celkových nákladů projektu, tedy 640 000 z 800 000 korun.", "total_cost.amount", "800000"),
    Case("project-with-budget", PROSE_HEAD + "Jde o projekt s rozpočtem 1,2 mil. Kč.", "total_cost.amount", "1200000"),
    Case("project-with-budget-and-subsidy", PROSE_HEAD + "Projekt s rozpočtem 1,2 mil. Kč získal dotaci 1 mil. Kč.",
         "subsidy.amount", "1000000"),
    Case("set-aside-for-the-project", "Projekt Zelená zahrada.\nNa realizaci projektu bylo z Operačního programu "
         "Zaměstnanost vyčleněno 1 200 000 Kč.", "subsidy.amount", "1200000"),
    Case("naklady-na-realizaci", PROSE_HEAD + "Náklady na realizaci projektu činily 800 000 Kč.",
         "total_cost.amount", "800000"),
]

FORMATS = [
    Case("dots-and-dash", CARD + "Výše dotace: 1.234.567,- Kč", "subsidy.amount", "1234567"),
    Case("czk-after", CARD + "Výše dotace: 1 234 567 CZK", "subsidy.amount", "1234567"),
    Case("kc-before-number", CARD + "Výše dotace: Kč 1 234 567", "subsidy.amount", "1234567"),
    Case("kc-before-number-dash", CARD + "Výše dotace: Kč 640.000,-", "subsidy.amount", "640000"),
    Case("no-break-spaces", CARD + "Výše dotace: 1\u00a0234\u00a0567\u00a0Kč", "subsidy.amount", "1234567"),
    Case("narrow-spaces", CARD + "Výše dotace: 1\u202f234\u202f567,00\u00a0Kč", "subsidy.amount", "1234567.00"),
    Case("thousands-in-words", "Obec Lhota získala na projekt Zelená zahrada dotaci ve výši 850 tis. Kč.",
         "subsidy.amount", "850000"),
    Case("millions-of-crowns", PROSE_HEAD + "Dotace ve výši 1,5 milionu korun pokryje 80 % nákladů.",
         "subsidy.amount", "1500000"),
    Case("scale-dot-then-currency", PROSE_HEAD + "Dotace ve výši 2,4 mil.Kč pokryje 80 % nákladů.",
         "subsidy.amount", "2400000"),
    Case("decimal-point", CARD + "Výše dotace: 1 234 567.50 Kč", "subsidy.amount", "1234567.50"),
    Case("millions-and-thousands-in-words", PROSE_HEAD + "Projekt získal dotaci 12 milionů 500 tisíc korun.",
         "subsidy.amount", "12500000"),
    Case("unit-thousands-in-label", CARD + "Výše dotace (tis. Kč): 1 234", "subsidy.amount", "1234000"),
    Case("unit-thousands-with-decimals", CARD + "Celkové výdaje v tis. Kč: 1 234,5", "total_cost.amount", "1234500"),
    Case("unit-millions-in-label", CARD + "Celkové náklady projektu (mil. Kč): 12,4", "total_cost.amount", "12400000"),
]

SOURCES_TABLE = """<html><body><h1>Zelená zahrada</h1>
<p>Registrační číslo: CZ.06.2.56/0.0/0.0/16_072/0001234</p>
<table><tr><th>Zdroj financování</th><th>Částka (Kč)</th><th>Podíl</th></tr>
<tr><td>Celkové způsobilé výdaje</td><td>800 000</td><td>100 %</td></tr>
<tr><td>Dotace EU</td><td>680 000</td><td>85 %</td></tr>
<tr><td>Vlastní zdroje</td><td>120 000</td><td>15 %</td></tr></table>
</body></html>"""

TWO_COLUMN_TABLE = """<html><body><h1>Zelená zahrada</h1>
<p>Registrační číslo: CZ.06.2.56/0.0/0.0/16_072/0001234</p>
<table><tr><th>Položka</th><th>v tis. Kč</th></tr>
<tr><td>Celkové náklady projektu</td><td>1 250</td></tr>
<tr><td>Výše dotace</td><td>1 062,5</td></tr></table>
</body></html>"""

NO_UNIT_TABLE = """<html><body><h1>Zelená zahrada</h1>
<p>Registrační číslo: CZ.06.2.56/0.0/0.0/16_072/0001234</p>
<table><tr><th>Zdroj financování</th><th>Částka</th><th>Podíl</th></tr>
<tr><td>Celkové způsobilé výdaje</td><td>800 000</td><td>100 %</td></tr>
<tr><td>Dotace EU</td><td>680 000</td><td>85 %</td></tr></table>
</body></html>"""

UNIT_HEADING = """<html><body><h1>Zelená zahrada</h1>
<p>Registrační číslo: CZ.06.2.56/0.0/0.0/16_072/0001234</p>
<h3>Financování projektu (v Kč)</h3>
<dl><dt>Celkové výdaje projektu</dt><dd>1 250 000</dd><dt>Dotace EU</dt><dd>1 062 500</dd></dl>
</body></html>"""

TABLES = [
    Case("unit-heading-subsidy", UNIT_HEADING, "subsidy.amount", "1062500"),
    Case("unit-heading-total", UNIT_HEADING, "total_cost.amount", "1250000"),
    Case("unit-column-subsidy", SOURCES_TABLE, "subsidy.amount", "680000"),
    Case("unit-column-total", SOURCES_TABLE, "total_cost.amount", "800000"),
    Case("unit-header-thousands-subsidy", TWO_COLUMN_TABLE, "subsidy.amount", "1062500"),
    Case("unit-header-thousands-total", TWO_COLUMN_TABLE, "total_cost.amount", "1250000"),
]

MUST_STAY_NULL = [
    Case("call-allocation", PROSE_HEAD + "Alokace výzvy činí 500 mil. Kč.", "subsidy", None),
    Case("call-limit-beside-allocation", PROSE_HEAD + "Celková alokace výzvy činí 300 mil. Kč, maximální "
         "výše dotace na projekt 5 mil. Kč.", "subsidy", None),
    Case("partner-gets-a-subsidy", PROSE_HEAD + "Partner projektu obdrží dotaci ve výši 120 000 Kč.", "subsidy", None),
    Case("co-financing-label", CARD + "Spolufinancování obce: 120 000 Kč", "subsidy", None),
    Case("own-resources-label", CARD + "Vlastní zdroje: 160 000 Kč", "total_cost", None),
    Case("percentage-only", PROSE_HEAD + "Dotace činí 85 % způsobilých výdajů.", "subsidy", None),
    Case("nearly-two-million", "Projekt Zelená zahrada z IROP získal dotaci téměř 2 mil. Kč.", "subsidy", None),
    Case("about-two-million", PROSE_HEAD + "Dotace dosáhla výše kolem 2 mil. Kč.", "subsidy", None),
    Case("nearly-total", PROSE_HEAD + "Celkové náklady projektu dosáhly téměř 3 mil. Kč.", "total_cost", None),
    Case("remaining-share-restated", PROSE_HEAD + "Dotace pokryje 85 % nákladů, zbývajících 15 % celkových "
         "nákladů, tj. 150 000 Kč, uhradí obec.", "subsidy", None),
    Case("state-share-restated", PROSE_HEAD + "Dotace ze státního rozpočtu ve výši 10 %, tj. 50 000 Kč.",
         "subsidy", None),
    Case("kc-before-a-year", CARD + "Dotace v Kč 2019", "subsidy", None),
    Case("kc-after-scale-word-without-colon", CARD + "Výše dotace v tis. Kč 1 250", "subsidy", None),
    Case("subsidy-in-total-phrase-after-another", PROSE_HEAD + "Obec získala dotaci 100 000 Kč na studii "
         "a dotaci v celkové částce 640 000 Kč na stavbu.", "total_cost", None),
    Case("project-saves-costs", PROSE_HEAD + "Projekt ušetří náklady 200 000 Kč ročně.", "total_cost", None),
    Case("project-with-subsidy-is-no-total", "Obec Lhota z IROP realizovala projekt s dotací 800 000 Kč.",
         "total_cost", None),
    Case("set-aside-for-a-call", "Projekt Zelená zahrada.\nNa výzvu pro projekty škol bylo vyčleněno 500 mil. Kč.",
         "subsidy", None),
    Case("set-aside-from-own-budget", "Projekt Zelená zahrada.\nZ rozpočtu obce bylo na projekt vyčleněno 200 000 Kč.",
         "subsidy", None),
    Case("ineligible-costs-alone", CARD + "Celkové nezpůsobilé výdaje: 50 000 Kč", "total_cost", None),
    Case("ineligible-costs-in-prose", PROSE_HEAD + "Celkové nezpůsobilé výdaje činí 50 000 Kč.", "total_cost", None),
    Case("table-without-unit", NO_UNIT_TABLE, "subsidy", None),
    Case("sfzp-basis-is-no-total", "Obec Lhota obdržela rozhodnutí o poskytnutí podpory na projekt Zelená zahrada.\n"
         "Podpora formou dotace ve výši 1 250 000,50 Kč tj. 60 % ze základu pro stanovení podpory ve výši "
         "2 083 334,17 Kč.", "total_cost", None),
    Case("label-unit-in-another-currency", CARD + "Výše dotace (EUR): 42 000", "subsidy", None),
]


def _check(case: Case) -> None:
    """Extract the page and compare one field."""
    record = extract_bytes(case.page.encode("utf-8"), "page.html" if case.page.startswith("<") else "page.txt")
    assert value_of(record, case.field) == case.expected


@pytest.mark.parametrize("case", LABELS, ids=lambda c: c.id)
def test_labels(case: Case) -> None:
    """Money labels of cards and portals give the amount after them."""
    _check(case)


@pytest.mark.parametrize("case", TOTALS, ids=lambda c: c.id)
def test_totals(case: Case) -> None:
    """The total costs beat the total eligible costs; ineligible costs are no total."""
    _check(case)


@pytest.mark.parametrize("case", PROSE, ids=lambda c: c.id)
def test_prose(case: Case) -> None:
    """Sentences that state the subsidy or the total cost give the amount."""
    _check(case)


@pytest.mark.parametrize("case", FORMATS, ids=lambda c: c.id)
def test_formats(case: Case) -> None:
    """Czech number formats and units named in the label read as the exact amount."""
    _check(case)


@pytest.mark.parametrize("case", TABLES, ids=lambda c: c.id)
def test_tables(case: Case) -> None:
    """Bare numbers under a header naming the unit are CZK amounts in that unit."""
    _check(case)


@pytest.mark.parametrize("case", MUST_STAY_NULL, ids=lambda c: c.id)
def test_must_stay_null(case: Case) -> None:
    """Other money, shares, percentages and estimates are no subsidy or total cost."""
    _check(case)
