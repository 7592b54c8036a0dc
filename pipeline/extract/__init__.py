"""Field extraction: a cleaned Document to a validated Record with evidence.

One module per field family: ``identity`` (title, registration number, programme,
priority axis, beneficiary, partners), ``timing`` (period), ``funding`` (subsidy, total
cost), ``content`` (goals, target groups, activities, locations, results, summary). The
normalisers they use live in ``regnum``, ``dates``, ``money`` and ``programmes``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pipeline.clean.document import Document
from pipeline.clean.segment import Section, segment
from pipeline.extract import content, context, funding, identity, timing
from pipeline.extract import nlp as nlp_module
from pipeline.extract.confidence import confidence_of
from pipeline.extract.projects import ProjectPart, find_projects, project_document
from pipeline.normalise.anchored import anchored_search
from pipeline.normalise.textutil import holds_any
from pipeline.records import PageKind, Record, Source
from pipeline.settings import EXTRACTOR_VERSION
from pipeline.vocab import load_data

__all__ = ["extract_record", "extract_records", "looks_like_project_page"]

# Cheap gate before the NLP stage: a project page names a registration number, or
# speaks of a project together with EU or subsidy funding. Pages without it (news,
# shops, English pages) get an all-null record, which keeps precision on the open web.
_REGNUM_HINT = re.compile(r"\bCZ[.\s]\s?\d")
_PROJECT_HINT = re.compile(r"projekt", re.IGNORECASE)
# The project by its other names ("Název akce", "Operace byla spolufinancována …"), looked
# for only on a page without the word "projekt".
_OTHER_NAME_HINT = re.compile("|".join(load_data("project_page.json")["project_other_names"]))
# Funding words: plain substrings first (found by ``in`` on the lower-cased text, far
# cheaper than the case-insensitive alternation, which tries every word at every
# character), then the patterns; the alternation of both decides when no word is found.
_FUNDING_WORDS: tuple[str, ...] = tuple(load_data("project_page.json")["funding_words"])
_FUNDING_HINT = re.compile(
    "|".join((*_FUNDING_WORDS, *load_data("project_page.json")["funding_patterns"])), re.IGNORECASE
)

# Text beyond this is not read for fields: project facts sit near the top of a page.
_MAX_TEXT = 400_000


# Section keys that only project pages label; two of them and the word "projekt" make a
# project page even without funding words (archived pages often drop the EU footer).
_PROJECT_KEYS = frozenset(
    {"registration_number", "beneficiary", "period", "period_start", "period_end", "subsidy",
     "total_cost", "main_goal", "specific_goals", "target_groups", "activities", "partners",
     "programme", "priority_axis"}
)


def looks_like_project_page(text: str, sections: Sequence[Section] = ()) -> bool:
    """Whether the page may describe a funded project at all."""
    return _project_page(text, sections, _names_project(text))


def _names_project(text: str) -> bool:
    """Whether the page says "projekt", or names the project as an "akce" or "operace"."""
    if _PROJECT_HINT.search(text) is not None:
        return True
    # Every pattern holds "kce" or "perace" in lower case: a plain find spares the regex.
    return ("kce" in text or "perace" in text) and _OTHER_NAME_HINT.search(text) is not None


def _project_page(text: str, sections: Sequence[Section], has_project: bool) -> bool:
    """``looks_like_project_page`` with the "projekt" test already made."""
    if _has_regnum_hint(text):
        return True
    if not _reads_czech(text):
        return False
    if not has_project:
        # An official card says "Příjemce podpory", "Celkové způsobilé výdaje", "Příspěvek
        # EU" without the word "projekt": two project-only labels and funding words make it.
        # (No page of ../shared/web/pages has two such labels.)
        return len({s.key for s in sections} & _PROJECT_KEYS) >= 2 and _has_funding_hint(text)
    if _has_funding_hint(text):
        return True
    return len({s.key for s in sections} & _PROJECT_KEYS) >= 2


# German and Polish pages say "Projekt" and "EU" too ("EU-Förderung", "projekt unijny"):
# a page whose letters are more German or Polish than Czech is not a Czech project page.
# (Czech written without diacritics still passes: only foreign letters count against it.)
_CZECH_LETTERS = "ěřůčšžýáíéúťďňĚŘŮČŠŽÝÁÍÉÚŤĎŇ"
_FOREIGN_LETTERS = "äöüßąęłśźćńżÄÖÜĄĘŁŚŹĆŃŻ"
_LANGUAGE_WINDOW = 50_000
# One scan for all the foreign letters (a count per letter read the page 24 times).
_FOREIGN_LETTER = re.compile(f"[{_FOREIGN_LETTERS}]")


def _reads_czech(text: str) -> bool:
    """False when German or Polish letters outnumber Czech ones near the top of the page."""
    foreign = len(_FOREIGN_LETTER.findall(text, 0, _LANGUAGE_WINDOW))
    if foreign < 3:
        return True
    window = text[:_LANGUAGE_WINDOW]
    # A German page has an umlaut every 30 to 100 letters; a Czech page written
    # without diacritics that names "Müller" or "Großschönau" has far fewer.
    letters = sum(1 for char in window if char.isalpha())
    return foreign * 150 < letters or foreign <= sum(window.count(letter) for letter in _CZECH_LETTERS)


def _has_regnum_hint(text: str) -> bool:
    """Whether ``_REGNUM_HINT`` occurs, tried only where "CZ" is."""
    return anchored_search(_REGNUM_HINT, text, (("CZ", 0),)) is not None


def _has_funding_hint(text: str) -> bool:
    """Whether ``_FUNDING_HINT`` occurs; a plain funding word settles it cheaply.

    ``str.lower`` finds a word only where the case-insensitive pattern does too; a
    page without one goes through the whole pattern. The words are lower-case, so one
    printed in lower case is found without lowering the page first.
    """
    if holds_any(text, _FUNDING_WORDS):
        return True
    return holds_any(text.lower(), _FUNDING_WORDS) or _FUNDING_HINT.search(text) is not None


def extract_record(document: Document, path: str, sha256: str, min_confidence: float = 0.0) -> Record:
    """Extract every field of one cleaned page as one project; unknown fields stay null."""
    return _extract(document, path, sha256, min_confidence, split=False)[0]


def extract_records(document: Document, path: str, sha256: str, min_confidence: float = 0.0) -> list[Record]:
    """One record per project the page describes: one for most pages, several for a list of projects."""
    return _extract(document, path, sha256, min_confidence, split=True)


def _extract(document: Document, path: str, sha256: str, min_confidence: float, *, split: bool) -> list[Record]:
    """The records of a page; with ``split``, one per project of a page that describes several."""
    source = Source(
        path=path,
        sha256=sha256,
        format=document.format,
        encoding=document.encoding,
        url=document.url,
        page_title=document.page_title,
        cleaning=document.cleaning,
    )
    fields: dict[str, Any] = {}
    evidence: dict[str, Any] = {}
    text = document.text[:_MAX_TEXT]
    # Each hint is looked for once (they were looked for twice, before and after segmenting).
    has_project = _names_project(text)
    # The gate that decides whether fields are read also says what kind of page it is:
    # a project page with nothing found is told apart from a page about something else.
    kind: PageKind = "not-project"
    if has_project or _has_regnum_hint(document.text) or _has_funding_hint(text):
        sections = segment(document)
        if _project_page(text, sections, has_project):
            kind = "project"
            parts = find_projects(document, sections) if split else ()
            if parts:
                return [_part_record(document, part, index, len(parts), source, min_confidence)
                        for index, part in enumerate(parts, 1)]
            _extract_fields(document, sections, fields, evidence, min_confidence)
    return [Record(extractor_version=EXTRACTOR_VERSION, source=source, page_kind=kind, evidence=evidence, **fields)]


def _part_record(
    document: Document, part: ProjectPart, index: int, count: int, source: Source, min_confidence: float
) -> Record:
    """The record of one project of a page that describes several."""
    view = project_document(document, part)
    fields: dict[str, Any] = {}
    evidence: dict[str, Any] = {}
    _extract_fields(view, segment(view), fields, evidence, min_confidence)
    # Evidence texts are slices of the view, which equals the page's text inside the part.
    source = source.model_copy(update={"project_index": index, "projects_on_page": count})
    return Record(
        extractor_version=EXTRACTOR_VERSION,
        source=source,
        page_kind="several-projects",
        evidence=evidence,
        **fields,
    )


def _extract_fields(
    document: Document,
    sections: Sequence[Section],
    fields: dict[str, Any],
    evidence: dict[str, Any],
    min_confidence: float,
) -> None:
    """Run the field extractors and collect values with their evidence."""
    nlp = nlp_module.get_nlp()
    text = document.text[:_MAX_TEXT]
    doc = nlp.make_doc(text)
    doc.user_data["text"] = text
    for _, component in nlp.pipeline:
        doc = component(doc)
    ctx = context.Context(document, tuple(sections), doc)

    def put(name: str, found: Any) -> None:
        if found is None:
            return
        confidence = confidence_of(name, found.evidence.method)
        if confidence < min_confidence:
            return  # precision first: a value its rule gets wrong too often stays null
        fields[name] = found.value
        evidence[name] = found.evidence.model_copy(update={"confidence": confidence})

    regnum = identity.extract_registration_number(ctx)
    regnum_match = None
    if regnum is not None:
        put("registration_number", regnum[0])
        regnum_match = regnum[1]
    put("title", identity.extract_title(ctx))
    put("programme", identity.extract_programme(ctx, regnum_match))
    put("priority_axis", identity.extract_priority_axis(ctx))
    put("beneficiary", identity.extract_beneficiary(ctx))
    put("partners", identity.extract_partners(ctx))
    put("period", timing.extract_period(ctx))
    subsidy, total_cost = funding.extract_funding(ctx)
    put("subsidy", subsidy)
    put("total_cost", total_cost)
    put("goals", content.extract_goals(ctx))
    put("target_groups", content.extract_list(ctx, "target_groups"))
    put("activities", content.extract_list(ctx, "activities"))
    put("locations", content.extract_locations(ctx))
    put("results", content.extract_results(ctx))
    put("summary", content.extract_summary(ctx))
