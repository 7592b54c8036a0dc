"""Who and what: title, registration number, programme, priority axis, beneficiary, partners."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from functools import cache
from itertools import islice

from pipeline.clean.document import Block
from pipeline.clean.segment import Section, classify_label, leading_label
from pipeline.extract import beneficiary as beneficiary_rules
from pipeline.extract.context import Context, Found, evidence
from pipeline.normalise.anchored import (
    anchor_starts,
    finditer_at,
)
from pipeline.normalise.morph import (
    declining_heads,
    lemma,
    organisation_heads,
    organisation_nominative,
)
from pipeline.normalise.programmes import (
    ProgrammeMatch,
    canonical_programme,
    find_programme_mentions,
    find_programmes,
    named_as_printed,
)
from pipeline.normalise.regnum import (
    RegNumMatch,
    find_labelled_numbers,
    find_scheme_numbers,
    parse_registration_number,
)
from pipeline.normalise.scan import Scan, alternation
from pipeline.normalise.textutil import first_sentence, holds_any, sentence_end, strip_quotes
from pipeline.records import Beneficiary, PriorityAxis, Programme, RegistrationNumber
from pipeline.vocab import fold_label, label_key, load_data

__all__ = [
    "extract_beneficiary",
    "extract_partners",
    "extract_priority_axis",
    "extract_programme",
    "extract_registration_number",
    "extract_title",
]

# The word lists of the patterns below (hand-edited data; each file's _about says what a list holds).
_TITLE_DATA = load_data("titles.json")
_BENEFICIARY_DATA = load_data("beneficiary.json")
_PARTNER_DATA = load_data("partners.json")

# A printed identifier that is not in a known format (e.g. EEA/Norway grants "LP-ABC-001"):
# kept as printed only when a registration-number label introduces it.
_CODE_LIKE = re.compile(r"^[A-Z0-9][A-Za-z0-9./_\-]{3,45}$")
_REG_CONTEXT = re.compile(r"(reg\w*\.?\s*(č|číslo)|registrační|číslo projektu|projekt\w*\s+č\.)", re.IGNORECASE)
# "projekt „X“", "projektu s názvem: „X“", "v projektu nazvaném „X“", "projektu:“ X “".
_QUOTED_NAME = Scan.from_data(
    "identity:quoted-name",
    _TITLE_DATA["project_nouns"],
    r"\b{words}(?:u|em|y)?\s*(?:" + alternation(_TITLE_DATA["quoted_name_intros"]) + r")?\s*:?\s*[„\"“]\s*([^„“”\"\n]{4,220}?)\s*[“”\"]",
    either_case=True,
)
# "město dokončilo realizaci akce „X“": a municipality's word for its project.
_QUOTED_ACTION = re.compile(r"\brealizac[ei]\s+akce\s*:?\s*[„\"“]\s*([^„“”\"\n]{4,220}?)\s*[“”\"]")
# "z projektu s názvem MŠ Lhotka Šablony I v programu …", "Projekt má název ZŠ Lhotka a …":
# the name unquoted, up to the end of the sentence or a word that ends it (titles.json).
_NAMED_UNQUOTED = Scan.from_data(
    "identity:named-unquoted",
    _TITLE_DATA["project_nouns"],
    r"\b{words}\w*\s+(?:[a-zá-ž]+\s+){0,2}?"
    + alternation(_TITLE_DATA["unquoted_name_intros"])
    + r"\s*:?\s+([A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ][^\n„“”\"]{3,200}?)(?=[.;]\s|[.;]?$|\n|,\s|\s\()",
    re.MULTILINE,
    either_case=True,
)
# "Projekt Oprava školy je spolufinancován Evropskou unií", also broken into lines as on
# the publicity poster ("Projekt" / "OPRAVA ŠKOLY" / "je spolufinancován …").
# The name never crosses a sentence's end (a word's last letters and a period; "2. ZŠ" may
# stand in it). A registration number may stand between the name and the verb ("Projekt X,
# reg. č. CZ.06…, je spolufinancován"); the participle agrees with a feminine subject
# ("Akce X byla spolufinancována"); "realizován za finanční podpory / s podporou" says
# the same as "podpořen".
_PUBLICITY_NAME = (
    r"\s*\n?\s*([„\"“]?[A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ0-9](?:(?![a-záčďéěíňóřšťúůýž]{2}\.\s)[^\n;:]){3,200}?)"
    r"(?:\s*,\s*(?:reg\.\s*č\.|reg\.\s*číslo|registrační\s+číslo(?:\s+projektu)?)?\s*:?\s*CZ\.[\w./\-]+\s*,?)?\s*\n?\s*"
    + alternation(_TITLE_DATA["publicity_copulas"])
    + r"\s+(?:"
    + alternation(_TITLE_DATA["publicity_adverbs"])
    + r"\s+)?(?:"
    + alternation(_TITLE_DATA["publicity_participles"])
    + r"[aoy]?\b|realizován[aoy]?\s+(?:za|s)\s+(?:finanční\s+)?podpor(?:y|ou)\b)"
)
_PUBLICITY_SENTENCE = Scan.from_data(
    "identity:publicity-sentence", _TITLE_DATA["project_nouns"], r"\b{words}(?:em)?" + _PUBLICITY_NAME, either_case=True
)
# "Akce Oprava návsi byla spolufinancována …", "Stavba X je spolufinancována …": a
# municipality's words for its project in the same sentence.
_PUBLICITY_ACTION = Scan.from_data(
    "identity:publicity-action", _TITLE_DATA["action_nouns"], r"\b{words}" + _PUBLICITY_NAME, either_case=True
)
# Small words a name cut at an ending word can be left ending with ("ZŠ Lhotka a").
_DANGLING_WORD = Scan.from_data("identity:dangling-word", _TITLE_DATA["dangling_words"], r"\s+{words}$")
_LEGAL_FORM = alternation(_BENEFICIARY_DATA["name_legal_forms"])
# The name's words are joined by spaces, never by a line break: a name does not run on
# from the line above ("… Projekt IV\nNaše mateřská škola je příjemcem …").
_ORG = (
    r"(?P<org>[A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ][^\s.;:!?\"„“()]*(?:[ \t\u00a0]+[^\s.;:!?\"„“()]+){0,9}?(?:,?[ \t\u00a0]+" + _LEGAL_FORM + r")?)"
)
_SENTENCE_START = r"(?:^|(?<=[.!?]\s)|(?<=\n))(?:" + alternation(_BENEFICIARY_DATA["date_openers"]) + r"\s+[\d.\s]{4,14}\s+)?"
# "Mezi námi, o.p.s. je realizátorem projektu …": the subject is the beneficiary.
_SUBJECT_ROLE = Scan.from_data(
    "identity:subject-role",
    _BENEFICIARY_DATA["subject_role_nouns"],
    _SENTENCE_START + _ORG + r"\s+(?:je|byl[ao]?|se\s+stal[ao]?)\s+{words}\b",
)
# "ENERGIE o.p.s. zahájila 1.7. 2010 … projekt", "Město Vítkov podalo … žádost … na
# projekt": the subject started the project or applied for it.
_SUBJECT_STARTED = re.compile(
    _SENTENCE_START
    + _ORG
    + r"\s+(?:\(dále\s+jen[^)]{0,40}\)\s+)?(?:"
    + alternation(_BENEFICIARY_DATA["started_verbs"])
    + r"[ao]?|"
    + alternation(_BENEFICIARY_DATA["applied_verbs"])
    + r"[ao]?(?=[^.]{0,40}\bžádost))\b"
)
# The verbs of _SUBJECT_STARTED, as printed in every match.
_STARTED_WORDS = (*_BENEFICIARY_DATA["started_verbs"], *_BENEFICIARY_DATA["applied_verbs"])
# How far past its verb a _SUBJECT_STARTED match reads: "zahájila", then the look-ahead
# for "žádost" (40 characters and the word).
_STARTED_REACH = 56
# No match of the subject patterns holds one of these before its verb (the organisation's
# words exclude them); "(dále jen …)" is the one exception, see _scan_near_words.
_SUBJECT_BARRIERS = ';:!?"„“()'
# "Partnerskou organizací pro projekt je Středisko …, spolek."
_PARTNER_PROSE = Scan.from_data(
    "identity:partner-prose",
    _PARTNER_DATA["prose_cues"],
    r"\b{words}\s+(?:projektu\s+|pro\s+projekt\s+(?:[A-Z][\w ]{0,40}?\s+)?)?"
    + alternation(_PARTNER_DATA["prose_copulas"])
    + r"\s+"
    + _ORG
    + r"(?=\s*(?:[.;(]|$))",
    either_case=True,
)
# A phrase that opens with one of these words, or holds a relative pronoun, is no name.
_NOT_NAME_OPENING = Scan.from_data("identity:not-name-opening", _BENEFICIARY_DATA["not_name_openings"], r"^({words})\b", re.IGNORECASE)
_RELATIVE_IN_NAME = Scan.from_data("identity:relative-in-name", _BENEFICIARY_DATA["relative_words_in_name"], r"\b({words})\b", re.IGNORECASE)
# "celým názvem Rovnost žen a mužů …" states the full name of the project outright.
_FULL_NAME = Scan.from_data(
    "identity:full-name",
    _TITLE_DATA["full_name_adjectives"],
    r"\b{words}\s+názvem\s+[„\"“]?([^\n„“”\"]{4,220}?)[“”\"]?\s*(?=\n|$|[.;]\s|,?\s+\((?:reg|CZ))",
)
# "Projekt Centrum podpory náhradní rodinné péče (CP NRP) je …": a name with its acronym.
# "(zkráceně „MAP Lhotka III“)": the acronym may come with its cue word ("dále jen" is not
# one: "Projekt Kanceláře X (dále jen „KVOP“) …" abbreviates the organisation).
_NAME_WITH_ACRONYM = Scan.from_data(
    "identity:name-with-acronym",
    _TITLE_DATA["project_nouns"],
    r"\b{words}(?:u|em)?\s+([A-ZÁČĎÉÍŇÓŘŠŤÚŽ][^()\n.,;:]{3,150}?)\s+\("
    r"(?:[A-ZČŘŠŽ]{2,}(?:\s[A-ZČŘŠŽ]{2,})*|(?:zkráceně|zkr\.)\s*[„\"“]?[A-ZČŘŠŽ]{2,}[^()\n]{0,40})\)",
    either_case=True,
)
# The patterns that open with a project noun share where they can start, found once a page.
_PROJEKT_ANCHORS = _QUOTED_NAME.anchors
assert all(scan.anchors == _PROJEKT_ANCHORS for scan in (_NAMED_UNQUOTED, _PUBLICITY_SENTENCE, _NAME_WITH_ACRONYM))
# "je realizován projekt Místní akční plán … ORP Plzeň." — the sentence ends with the name.
_STARTED_PROJECT = Scan.from_data(
    "identity:started-project",
    _TITLE_DATA["project_start_verbs"],
    r"\b{words}\w*\s+projekt\s+([A-ZÁČĎÉÍŇÓŘŠŤÚŽ][^\n.„“\"]{3,150})\.(?:\s|$)",
)
# Pieces every match of a title pattern holds: a page without one is spared its scan
# ("realiz", an anchor of _STARTED_PROJECT, stands in "realizace" on most pages).
_ACRONYM_OPENING = re.compile(r"\((?:(?:zkráceně|zkr\.)\s*[„\"“]?)?[A-ZČŘŠŽ]{2}")
_PROJEKT_AND_NAME = re.compile(r"projekt\s+[A-ZÁČĎÉÍŇÓŘŠŤÚŽ]")
_OPENING_QUOTES = ("„", '"', "“")
# Name words after a cue, up to punctuation: "Oblastní charitou Uherské Hradiště na …".
_NAME_WORDS = r"([A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ][\w-]*(?:[ \u00a0]+[\w-]+){0,9})"
# "projekt realizovaný Ministerstvem práce …": the realiser in the instrumental.
_REALISED_BY = Scan.from_data("identity:realised-by", _BENEFICIARY_DATA["realised_by_participles"], r"\b{words}\s+" + _NAME_WORDS)
# "Nacházíte se na archivních webových stránkách Kraje …": the site's owner, in the
# genitive; the page of an organisation about its own project names it as beneficiary.
_SITE_OWNER = Scan.from_data(
    "identity:site-owner",
    _BENEFICIARY_DATA["site_visitor_phrases"],
    r"\b{words}\s+na\s+(?:[a-zá-ž]+\s+){0,3}stránkách\s+" + _NAME_WORDS,
    either_case=True,
)
# "… mezi neziskovou organizací Český západ a …": a classifier noun in the singular keeps the
# name after it in the nominative, whatever the classifier's case.
_NAME_STOP = alternation(_BENEFICIARY_DATA["classified_name_stops"])
_CLASSIFIED_ORG = Scan.from_data(
    "identity:classified-org",
    # Nominative, genitive or instrumental classifiers only: the dative and locative
    # ("děkujeme neziskové organizaci X", "poskytli spolku X") name someone helped.
    _BENEFICIARY_DATA["classifier_phrases"],
    r"(?<![\w-]){words}\s+"
    r"(?P<org>[A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ][\w-]+(?:\s+(?!" + _NAME_STOP + r"\s)[\w-]+){0,3}?)"
    r"(?=\s*(?:[,.;:()]|\s" + _NAME_STOP + r"\s|$))",
)
# First person plural verbs ("plánujeme", "chceme", "nabízíme"): the page speaks for its author.
_WE_VERB = re.compile(r"\b[a-záčďéěíňóřšťúůýž]{3,}" + alternation(_BENEFICIARY_DATA["we_verb_endings"]) + r"\b", re.IGNORECASE)
# "ve spolupráci s neziskovou organizací …", "partnerem je spolek …": someone else.
_OTHER_PARTY = re.compile(r"\b(?:s|se|partner\w*)\s+$")
# "Partner projektu: Modrý kruh, z. s.", "dodavatelem je …": a role other than the
# beneficiary named shortly before an organisation.
_OTHER_ROLE = Scan.from_data("identity:other-role", _BENEFICIARY_DATA["other_party_cues"], "{words}", re.IGNORECASE)
# "Podpora škol – Šablony III – Mateřská škola Lednice": a school applies for its own
# template project ("šablony") and names itself after the dash.
_TEMPLATE_SCHOOL = Scan.from_data(
    "identity:template-school",
    _BENEFICIARY_DATA["template_school_kinds"],
    r"\b[Šš]ablon\w*(?:\s+(?:[IVX]{1,4}|\d))?\s+[–-]\s+"
    r"(?P<org>{words}"
    # The school's name: capitalised words and the small words of place names (the joiners
    # of locations.json), up to the end of the title ("… Lhota u Lesa."), never into a
    # sentence that goes on.
    r"(?:\s+(?:[A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ][\w.-]*|" + alternation(load_data("locations.json")["name_joiners"]) + r"|\d{1,3}\.?)){1,6}"
    r"(?:,\s+příspěvková\s+organizace)?)"
    r"(?=\s*(?:[.;\n]|$))",
)
# Legal forms of non-profit organisations (spolek, obecně prospěšná společnost, ústav,
# občanské sdružení): such an organisation publishes pages about its own projects.
_NGO_FORM = re.compile(r",?\s+" + alternation(_BENEFICIARY_DATA["ngo_legal_forms"]) + r"(?!\w)")
# The form alone, matched only where it can start: at a form's first piece ("o.", "z."),
# which str.find finds faster than the regex engine scans for its letters.
_NGO_FORM_ALONE = Scan.from_data("identity:ngo-form", _BENEFICIARY_DATA["ngo_legal_forms"], r"{words}(?!\w)")
_ICO = re.compile(r"\bIČO?\s*:?\s*(\d{8})\b")
_ORG_TAIL = re.compile(
    r"\s*(?:,\s*)?(?:\(|\b"
    + alternation(_BENEFICIARY_DATA["name_tail_words"])
    + r"\b|\b"
    + alternation(_BENEFICIARY_DATA["name_tail_prefixes"])
    + r").*$",
    re.IGNORECASE,
)
# "Příjemce: Obec Lhotka, která …", "… ve spolupráci s …": where the name a beneficiary cue
# introduces ends ("a" after a comma opens a clause of its own; a whole word).
_ROLE_PHRASE_END = re.compile(
    r",\s+(?:" + alternation(_BENEFICIARY_DATA["role_clause_openers"]) + r"|a\s)|\s+" + alternation(_BENEFICIARY_DATA["role_phrase_enders"])
)
_DATE_LIKE = re.compile(
    r"^\W*(\d{1,2}\.\s*\d{1,2}\.\s*\d{4}|\w+\s+\d{1,2},\s+\d{4}|(" + alternation(_TITLE_DATA["weekdays"]) + r")\b)", re.IGNORECASE
)
_AXIS = re.compile(
    r"(?:prioritní\s+osa\s*)?(?:[A-ZŽ][A-Za-zŽž+ ]{0,12}?\s*:\s*)?(\d{1,2}(?:\.\d{1,2})?)\.?\s*(?:[-–:]\s*)?([^;\n]{3,160})?",
    re.IGNORECASE,
)
_AXIS_PROSE = Scan.from_data(
    "identity:axis-prose",
    load_data("programme_mentions.json")["axis_adjectives"],
    r"{words}\s+os[ay]\s+(?:[A-Z+]{2,8}\s*)?:?\s*(\d{1,2}(?:\.\d{1,2})?)\s*[-–]?\s*([A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ][^.;\n]{2,150})?",
    either_case=True,
)


@cache
def _phrases() -> dict[str, frozenset[str]]:
    """Phrase lists of titles.json and partners.json, folded."""
    titles, partners = load_data("titles.json"), load_data("partners.json")
    lists = {
        "generic_titles": titles["generic_titles"],
        "english_words": titles["english_words"],
        "no_partners_values": partners["none_values"],
    }
    return {k: frozenset(fold_label(x) for x in v) for k, v in lists.items()}


def _first_value(ctx: Context, section: Section, max_blocks: int = 1) -> tuple[int, int, str] | None:
    """The first non-empty body block of a section as (start, end, text)."""
    for block in section.body[:max_blocks]:
        text = ctx.document.slice(block).strip()
        if text:
            return block.start, block.end, text
    return None


def _regnum_record(match: RegNumMatch) -> RegistrationNumber:
    """The record model of a normaliser match."""
    return RegistrationNumber(
        value=match.value,
        programme_code=match.programme_code,
        programming_period=match.programming_period,
        call=match.call,
        valid=match.valid,
    )


def extract_registration_number(ctx: Context) -> tuple[Found[RegistrationNumber], RegNumMatch | None] | None:
    """The project's registration number: labelled first, else the one number on the page."""
    regnums = ctx.entities.regnums
    for section in ctx.sections_for("registration_number"):
        for block in _value_blocks(ctx, section)[:2]:
            inside = [m for m in regnums if block.start <= m.start < block.end]
            if inside:
                m = inside[0]
                return Found(_regnum_record(m), evidence(ctx.document, m.start, m.end, "label")), m
            text = ctx.document.slice(block).strip()
            token = text.split()[0] if text.split() else ""
            if token and _CODE_LIKE.match(token) and any(ch.isdigit() for ch in token):
                start = block.start + text.index(token)
                parsed = parse_registration_number(token)
                record = _regnum_record(parsed) if parsed else RegistrationNumber(value=token, valid=False)
                return Found(record, evidence(ctx.document, start, start + len(token), "label")), parsed
    if not regnums:
        # A number of a scheme of its own, in prose after its label, else in a format that
        # names its programme (Erasmus+): one such number only.
        labelled = find_labelled_numbers(ctx.text)
        if len({m.value for m in labelled}) == 1:
            m = labelled[0]
            return Found(_regnum_record(m), evidence(ctx.document, m.start, m.end, "labelled-in-prose")), m
        schemes = find_scheme_numbers(ctx.text) if not labelled else []
        if len({m.value for m in schemes}) != 1:
            return None
        m = schemes[0]
        return Found(_regnum_record(m), evidence(ctx.document, m.start, m.end, "pattern")), m
    distinct = {m.value for m in regnums}
    chosen = regnums[0] if len(distinct) == 1 else None
    if chosen is not None and all(_of_an_earlier_project(ctx, m) for m in regnums):
        return None
    if chosen is None:
        in_context = [m for m in regnums if _REG_CONTEXT.search(ctx.words_before(m.start, 60))]
        if len({m.value for m in in_context}) == 1:
            chosen = in_context[0]
    if chosen is None:
        return None
    return Found(_regnum_record(chosen), evidence(ctx.document, chosen.start, chosen.end, "pattern")), chosen


def _programme_of(ctx: Context, match: ProgrammeMatch) -> Programme:
    """The record value of a programme name found in the text: official, or as printed."""
    if named_as_printed(match.name):
        return Programme(name=" ".join(ctx.text[match.start : match.end].split()))
    return Programme(name=match.name, abbreviation=match.abbreviation)


def _value_blocks(ctx: Context, section: Section) -> Sequence[Block]:
    """The body of a labelled section; for a label with no body (a site that sets label
    and value as two headings), the next block when it opens no known section."""
    if section.body or section.is_pair:
        return section.body
    blocks = ctx.document.blocks
    index = bisect.bisect_left(blocks, section.label.start, key=lambda b: b.start)
    if index + 1 >= len(blocks) or blocks[index].start != section.label.start:
        return ()
    block = blocks[index + 1]
    text = ctx.document.slice(block).strip()
    if not text or block.start in ctx.field_label_starts or label_key(text) is not None:
        return ()
    return (block,)


def _label_value(ctx: Context, section: Section) -> tuple[int, int, str] | None:
    """The first non-empty value block of a labelled section as (start, end, text)."""
    for block in _value_blocks(ctx, section)[:1]:
        text = ctx.document.slice(block).strip()
        if text:
            return block.start, block.end, text
    return None


_OPERATIONAL_LABEL = re.compile(r"\boperační\w*\s+program", re.IGNORECASE)


def _label_text(ctx: Context, section: Section) -> str:
    """The label of a section: the label part of a pair, else the heading line."""
    label = section.label
    if section.is_pair and label.label_end is not None:
        return ctx.text[label.start : label.label_end]
    return ctx.document.slice(label)


@cache
def _funds_not_programmes() -> tuple[tuple[str, ...], ...]:
    """Folded words of the openings of label values that name an EU fund or budget."""
    return tuple(
        tuple(fold_label(x).split()) for x in load_data("programme_mentions.json")["funds_not_programmes"]
    )


def _names_a_fund(text: str) -> bool:
    """Whether a label value opens with an EU fund's name, whole words only ("ESF", not "ESFA")."""
    words = fold_label(text).replace(",", " ").split()
    return any(words[: len(fund)] == list(fund) for fund in _funds_not_programmes())


@cache
def _elsewhere_stems() -> tuple[str, ...]:
    """Word stems showing a programme named in a sentence pays for something else."""
    data = load_data("programme_mentions.json")
    return (*data["site_stems"], *data["earlier_project_stems"])


@cache
def _earlier_project_stems() -> tuple[str, ...]:
    """Word stems showing a sentence speaks of an earlier project."""
    return tuple(load_data("programme_mentions.json")["earlier_project_stems"])


def _of_an_earlier_project(ctx: Context, match: RegNumMatch) -> bool:
    """Whether a number follows, with no label before it, words about an earlier project
    in its sentence ("navazuje na předchozí projekt CZ.…"); the project's own number comes
    before such words ("Projekt CZ.… navazuje na …")."""
    if _REG_CONTEXT.search(ctx.words_before(match.start, 60)):
        return False
    start, _ = ctx.sentence_span(match.start)
    return holds_any(ctx.text[start : match.start].lower(), _earlier_project_stems())


def _named_most(ctx: Context, programmes: Sequence[ProgrammeMatch]) -> ProgrammeMatch | None:
    """Of several programmes named in running text, the one the page names most.

    Mentions about the site or an earlier project are set aside; an ambiguous
    abbreviation ("ROP JZ") counts for a programme the page also names in full. The
    winner needs two mentions and twice as many as any other; else None.
    """
    names = {m.name for m in programmes}
    counts: dict[str, int] = {}
    first: dict[str, ProgrammeMatch] = {}
    for m in find_programme_mentions(ctx.text):
        if m.name not in names:
            continue
        start, end = ctx.sentence_span(m.start)
        if holds_any(ctx.text[start:end].lower(), _elsewhere_stems()):
            continue
        counts[m.name] = counts.get(m.name, 0) + 1
        first.setdefault(m.name, m)
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    if not ranked:
        return None
    best, count = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    if len(ranked) > 1 and (count < 2 or count < 2 * runner_up):
        return None
    return first[best]


def extract_programme(ctx: Context, regnum: RegNumMatch | None) -> Found[Programme] | None:
    """The funding programme: labelled, else from the registration number, else from prose."""
    programmes = ctx.entities.programmes
    for section in ctx.sections_for("programme"):
        value = _label_value(ctx, section)
        if value is None:
            continue
        start, end, text = value
        inside = [m for m in programmes if start <= m.start < end]
        if inside:
            m = inside[0]
            return Found(_programme_of(ctx, m), evidence(ctx.document, m.start, m.end, "label"))
        name = canonical_programme(text)
        if name is None and _OPERATIONAL_LABEL.search(_label_text(ctx, section)) and len(text.split()) <= 8:
            # "Operační program: Zaměstnanost": the label holds the head of the name.
            name = canonical_programme(f"Operační program {text}")
        if name:
            return Found(Programme(name=name), evidence(ctx.document, start, end, "label"))
        # A programme outside the code tables (EEA and Norway grants, national schemes)
        # is kept as the label gives it, when it reads as a name and not a sentence, and
        # is no EU fund ("Evropský sociální fond" pays through a programme; it is none).
        if (
            len(text) <= 100
            and text[0].isupper()
            and not text.endswith(".")
            and len(text.split()) <= 10
            and not _names_a_fund(text)
        ):
            return Found(Programme(name=text), evidence(ctx.document, start, end, "label"))
    if regnum is not None and regnum.programme:
        return Found(
            Programme(name=regnum.programme, abbreviation=regnum.abbreviation),
            evidence(ctx.document, regnum.start, regnum.end, "code-table"),
        )
    names = {m.name for m in programmes}
    if len(names) == 1:
        m = programmes[0]
        return Found(_programme_of(ctx, m), evidence(ctx.document, m.start, m.end, "pattern"))
    chosen = _named_most(ctx, programmes) if names else None
    if chosen is not None:
        return Found(
            _programme_of(ctx, chosen), evidence(ctx.document, chosen.start, chosen.end, "named-most")
        )
    return None


def extract_priority_axis(ctx: Context) -> Found[PriorityAxis] | None:
    """Priority axis number and name from its label or a 'prioritní osa N' phrase."""
    for section in ctx.sections_for("priority_axis"):
        value = _first_value(ctx, section)
        if value is None:
            continue
        start, end, text = value
        m = _AXIS.match(text)
        if m and m.group(1):
            name = m.group(2).strip(" .;") if m.group(2) else None
            return Found(PriorityAxis(number=m.group(1), name=name or None), evidence(ctx.document, start, end, "label"))
        return Found(PriorityAxis(name=text), evidence(ctx.document, start, end, "label"))
    m = _AXIS_PROSE.search(ctx.text)
    if m:
        name = m.group(2).strip(" .;,") if m.group(2) else None
        return Found(
            PriorityAxis(number=m.group(1), name=name or None), evidence(ctx.document, m.start(), m.end(), "pattern")
        )
    return None


# Compiled once: _organisation reads every label value and prose candidate.
_ENDS_IN_LEGAL_FORM = re.compile(_LEGAL_FORM + "$")
_TWO_WORD_CHARS = re.compile(r"\w\w")
_SEMICOLON = re.compile(r"\s*;\s*")


def _organisation(text: str) -> str | None:
    """An organisation name from a label value: no IČO, address or trailing sentence."""
    name = _ORG_TAIL.sub("", text).strip(" ,;/")
    if name.endswith(".") and not _ENDS_IN_LEGAL_FORM.search(name):
        name = name.rstrip(".")  # a sentence's period, not "o.p.s."
    if not name or len(name) > 150 or len(name.split()) > 14 or not _TWO_WORD_CHARS.search(name):
        return None
    if not (name[0].isupper() or name[0].isdigit()):
        return None
    return name


def extract_beneficiary(ctx: Context) -> Found[Beneficiary] | None:
    """The organisation carrying out the project, with its IČO when printed."""
    for section in ctx.sections_for("beneficiary"):
        value = _first_value(ctx, section)
        if value is None:
            continue
        start, end, text = value
        name = _organisation(text) or beneficiary_rules.lower_case_name(text)
        name = beneficiary_rules.label_value_name(name) if name is not None else None
        if name is None:
            continue
        ico = None
        for block in section.body[:6]:
            m = _ICO.search(ctx.document.slice(block))
            if m:
                ico = m.group(1)
                break
        name_start = start + text.index(name)
        return Found(Beneficiary(name=name, ico=ico), evidence(ctx.document, name_start, name_start + len(name), "label"))
    card = beneficiary_rules.card_line_beneficiary(ctx) or beneficiary_rules.lead_partner_item(ctx)
    if card is not None:
        return card
    # The prose patterns start at every capital letter: they are scanned only between
    # the sentence that can hold their first verb and their last verb.
    for m in _scan_near_words(_SUBJECT_ROLE.pattern, ctx.text, _SUBJECT_ROLE.words, 1):
        name = _organisation(m.group("org"))
        if name and not _not_a_name_start(name):
            return Found(Beneficiary(name=name), evidence(ctx.document, m.start("org"), m.start("org") + len(name), "role-sentence"))
    for m in _scan_near_words(_SUBJECT_STARTED, ctx.text, _STARTED_WORDS, _STARTED_REACH):
        around = ctx.block_at(m.end())
        rest = ctx.text[m.end() : around.end if around else m.end() + 200]
        if "projekt" not in rest[: sentence_end(rest) + 1].casefold():
            continue
        name = _organisation(m.group("org"))
        if name and not _not_a_name_start(name):
            return Found(Beneficiary(name=name), evidence(ctx.document, m.start("org"), m.start("org") + len(name), "started-sentence"))
    for start, end, _ in ctx.cues("BENEFICIARY"):
        rest = ctx.text[end : end + 200].lstrip(" :")
        phrase = first_sentence(rest)
        phrase = _ROLE_PHRASE_END.split(phrase, maxsplit=1)[0]
        name = _organisation(phrase)
        name = beneficiary_rules.label_value_name(name) if name else None
        if name:
            name_start = ctx.text.index(name, end)
            return Found(Beneficiary(name=name), evidence(ctx.document, name_start, name_start + len(name), "role-cue"))
    predicate = beneficiary_rules.role_predicate_beneficiary(ctx) or beneficiary_rules.role_subject_beneficiary(ctx)
    if predicate is not None:
        return predicate
    for m in _TEMPLATE_SCHOOL.finditer(ctx.text):
        name = _organisation(m.group("org").strip())
        if name is not None:
            return Found(Beneficiary(name=name), evidence(ctx.document, m.start("org"), m.start("org") + len(name), "title-org"))
    declined = ((_REALISED_BY, "instrumental", "realised-by"), (_SITE_OWNER, "genitive", "site-owner"))
    for scan, case, method in declined:
        for m in scan.finditer(ctx.text):
            found = _declined_organisation(m.group(1), case)
            if found is not None and scan is _SITE_OWNER and _project_of_another(ctx.text, found[0]):
                found = None
            if found is not None:
                name, printed = found
                start = m.start(1)
                return Found(Beneficiary(name=name), evidence(ctx.document, start, start + len(printed), method))
    owner = beneficiary_rules.site_owner_town(ctx)
    if owner is not None and not _project_of_another(ctx.text, owner.value.name):
        return owner
    subject = (
        beneficiary_rules.verb_subject_beneficiary(ctx)
        or beneficiary_rules.realised_by_town(ctx)
        or beneficiary_rules.realised_by_company(ctx)
        or beneficiary_rules.role_apposition_beneficiary(ctx)
    )
    if subject is None:
        title = extract_title(ctx)
        subject = beneficiary_rules.school_in_name(ctx, title.value if title is not None else None)
    return subject or _self_named_organisation(ctx) or _only_ngo_named(ctx)


def _scan_near_words(pattern: re.Pattern[str], text: str, words: Sequence[str], reach: int) -> Iterator[re.Match[str]]:
    """The matches ``pattern.finditer(text)`` gives, for a subject pattern whose every
    match holds one of ``words`` with none of ``_SUBJECT_BARRIERS`` before it, and reads
    at most ``reach`` characters past the end of that word.

    A match starts after the last barrier before the first of the words and ends before
    the last of them plus ``reach``; the text outside is not scanned. "(dále jen …)"
    puts barriers inside a match, so a page with it is scanned from its start.
    """
    # A plain loop: a generator per page costs more than the look-ups themselves.
    first = -1
    for word in words:
        found = text.find(word)
        if found >= 0 and (first < 0 or found < first):
            first = found
    if first < 0:
        return iter(())
    start = 0 if "(dále" in text else max(text.rfind(barrier, 0, first) for barrier in _SUBJECT_BARRIERS) + 1
    end = max(text.rfind(word) + len(word) for word in words) + reach
    return pattern.finditer(text, start, min(end, len(text)))


def _not_a_name_start(phrase: str) -> bool:
    """Whether a phrase opens with a word no name opens with, or holds a relative pronoun."""
    return bool(_NOT_NAME_OPENING.pattern.search(phrase) or _RELATIVE_IN_NAME.pattern.search(phrase))


def _in_section(ctx: Context, offset: int, key: str) -> bool:
    """Whether ``offset`` lies in the body of a section with ``key`` (e.g. the partners)."""
    return any(block.start <= offset < block.end for section in ctx.sections_for(key) for block in section.body)


def _only_ngo_named(ctx: Context) -> Found[Beneficiary] | None:
    """The one non-profit organisation (by its legal form) a page names, if only one."""
    found: dict[str, tuple[int, int]] = {}
    for m in _ngo_form_matches(ctx.text):
        start = _name_start_before(ctx.text, m.start())
        if start is None:
            return None  # a non-profit whose name is unsure: maybe a second one
        # The pattern itself on the short stretch (the scan's gate would lower-case the page).
        if _OTHER_ROLE.pattern.search(ctx.text[max(0, start - 40) : start]) or _in_section(ctx, start, "partners"):
            continue
        found.setdefault(ctx.text[start : m.end()].casefold(), (start, m.end()))
    if len(found) != 1:
        return None
    start, end = next(iter(found.values()))
    name: str | None = _organisation(ctx.text[start:end])
    if name is None or _not_a_name_start(name):
        return None
    return Found(Beneficiary(name=name), evidence(ctx.document, start, start + len(name), "only-ngo"))


def _ngo_form_matches(text: str) -> Iterator[re.Match[str]]:
    """The matches ``_NGO_FORM.finditer(text)`` gives, found from the legal form back.

    A match is the white space (and a comma) before a form; it starts where that run
    does, and no form starts inside another.
    """
    position = 0
    for form in _NGO_FORM_ALONE.finditer(text):
        start = form.start()
        while start > position and text[start - 1].isspace():
            start -= 1
        if start == form.start():
            continue  # no white space before the form
        if start > position and text[start - 1] == ",":
            start -= 1
        match = _NGO_FORM.match(text, start)
        if match is not None:
            yield match
            position = match.end()


_WORD = re.compile(r"[\w-]+")
_NON_SPACE = re.compile(r"\S+")


def _name_start_before(text: str, end: int) -> int | None:
    """Where the name before a legal form starts ("Centrum podpory", "MAS Hřebeny"); None if unsure."""
    offset = max(0, end - 120)
    words = list(_WORD.finditer(text, offset, end))
    start = None
    index = len(words)
    # Back over lower-case words to the name's capitalised run, then to its first word.
    for count, word in enumerate(reversed(words)):
        if count >= 6 or "\n" in text[word.end() : end]:
            break
        if word.group()[0].isupper():
            start, index = word.start(), len(words) - 1 - count
        elif start is not None:
            break
    if start is None:
        return None
    # "Centrum pro rodinu Vysočina, z. s.": a capitalised word one or two lower-case
    # words further back may begin the same name; rather none than half of it.
    before = [w.group() for w in words[max(0, index - 3) : index]][::-1]
    if len(before) >= 2 and before[0].islower() and (
        before[1][0].isupper() or (len(before) == 3 and before[1].islower() and before[2][0].isupper())
    ):
        return None
    return start


def _self_named_organisation(ctx: Context) -> Found[Beneficiary] | None:
    """The one organisation a page written in the first person names by its kind."""
    matches = [m for m in _CLASSIFIED_ORG.finditer(ctx.text) if not _OTHER_PARTY.search(ctx.text[max(0, m.start() - 20) : m.start()])]
    names = {m.group("org") for m in matches}
    # Two first-person verbs are enough: the scan stops at the second.
    if len(names) != 1 or next(islice(_WE_VERB.finditer(ctx.text), 1, None), None) is None:
        return None
    m = matches[0]
    name = _organisation(m.group("org"))
    if name is None or _not_a_name_start(name):
        return None
    return Found(Beneficiary(name=name), evidence(ctx.document, m.start("org"), m.start("org") + len(name), "self-named"))


# "Projekt obce Lhota", "projekty kraje": whose project the page says it is.
_PROJECT_OF = re.compile(r"\b[Pp]rojekt\w*\s+([a-zá-ž]+)\b")


def _project_of_another(text: str, owner: str) -> bool:
    """Whether the page calls the project that of another kind of body than the site owner."""
    owner_head = owner.split()[0].lower()
    heads = organisation_heads()
    for m in _PROJECT_OF.finditer(text) if "rojekt" in text else ():
        head = (lemma(m.group(1)) or "").lower()
        if head in heads and head != owner_head:
            return True
    return False


def _declined_organisation(words: str, case: str) -> tuple[str, str] | None:
    """The nominative of an organisation printed in ``case``, with the printed text it covers."""
    spans = [m.span() for m in _NON_SPACE.finditer(words)]
    name = organisation_nominative([words[a:b] for a, b in spans], case)
    if name is None:
        return None
    count = len(name.split())
    # Municipal names decline in the genitive ("města Kadaně"): only a name the municipality
    # list confirms is brought back to the nominative.
    if case == "genitive" and any(w.lower() in declining_heads() for w in name.split()[:3]):
        return beneficiary_rules.town_in_genitive(words)
    return name, words[: spans[count - 1][1]]


def extract_partners(ctx: Context) -> Found[list[str]] | None:
    """Partner organisations; ``[]`` when the page says there are none."""
    for start, end, _ in ctx.cues("NO_PARTNERS"):
        return Found([], evidence(ctx.document, start, end, "none-statement"))
    for m in _PARTNER_PROSE.finditer(ctx.text):
        name = _organisation(m.group("org"))
        if name and not _not_a_name_start(name):
            s = m.start("org")
            return Found([name], evidence(ctx.document, s, s + len(name), "prose", [(s, s + len(name))]))
    for section in ctx.sections_for("partners"):
        items: list[tuple[int, int, str]] = []
        for block in section.body[:12]:
            text = ctx.document.slice(block).strip()
            if not text:
                continue
            if fold_label(text) in _phrases()["no_partners_values"]:
                return Found([], evidence(ctx.document, block.start, block.end, "label"))
            if label_key(text) is not None:
                break
            for part in _SEMICOLON.split(text):
                name = _organisation(part)
                if name:
                    s = block.start + text.index(name)
                    items.append((s, s + len(name), name))
            if block.kind != "item" and section.is_pair:
                break
        if items:
            return Found(
                [name for _, _, name in items],
                evidence(ctx.document, items[0][0], items[-1][1], "label", [(s, e) for s, e, _ in items]),
            )
    return None


_GENERIC_LEAD = Scan.from_data("identity:generic-lead", _TITLE_DATA["generic_leads"], r"^({words})\b", re.IGNORECASE)
_BYLINE = Scan.from_data("identity:byline", _TITLE_DATA["byline_words"], r"^({words})\b", re.IGNORECASE)
# A programme abbreviation in parentheses after a name: "Komunitní centrum X (IROP)".
_ABBREVIATION_TAIL = re.compile(r"\s*\((?:[A-ZČŘŠŽ][A-ZČŘŠŽa-z+ ]{1,10})\)$")


@cache
def _title_words() -> dict[str, frozenset[str]]:
    """Word lists of titles.json, folded."""
    data = load_data("titles.json")
    return {k: frozenset(fold_label(x) for x in v) for k, v in data.items() if not k.startswith("_")}


# "Zelená škola – projekt CZ.1.07/1.1.00/14.0001", "…, reg. č. CZ.06.2.56/…": a registration
# number (with the words that introduce it) printed after the name is no part of it.
_REGNUM_TAIL = re.compile(
    r"\s*[,;(–—-]?\s*(?:(?:projekt\w*|reg\w*\.?\s*č(?:íslo|\.)?|registrační\s+číslo(?:\s+projektu)?|číslo\s+projektu)\s*:?\s*)*"
    r"\(?\s*CZ\s?\.\s?\d[\w./\-]*\s*\)?\s*$",
    re.IGNORECASE,
)
# "… nyní realizujeme projekt Integrační aktivity": a line that introduces a project's name
# inside a sentence is prose, not the name.
_INTRODUCES_PROJECT = re.compile(r"\S\s+[Pp]rojekt(?:u|em)?\s+(?:s\s+názvem\s+)?[„\"“A-ZÁČĎÉÍŇÓŘŠŤÚŽ]")
# What follows the colon of a label line rather than of a name: a number, share or amount.
_NUMERIC_VALUE = re.compile(r"^[\W\d]*\d[\d\s.,%]*(?:kč|czk|eur|€|%)?\W*$", re.IGNORECASE)
# "… Lhotka, z. s.", "… s.r.o.": a name ending in a legal form is an organisation's.
_OWN_LEGAL_FORM = re.compile(r"[\s,]" + _LEGAL_FORM + r"\s*$")
_FULL_DATE = re.compile(r"\d{1,2}\.\s*\d{1,2}\.\s*(?:19|20)\d\d")
_PROJEKT_LEAD = re.compile(r"(?:[Pp]rojekt|PROJEKT|Project|PROJECT)\s*:?\s+(?=[„\"“A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ0-9])")
_ROMAN_OR_NUMBER = re.compile(r"^(?:[ivx]+|\d+|" + alternation(_TITLE_DATA["call_name_fillers"]) + r")$")


# Sections whose heading could stand where a title stands; the start and end of a period
# are left out ("Dokončení přístavby školy" names a project).
_SECTION_KEYS = frozenset(
    {"summary", "main_goal", "specific_goals", "target_groups", "period", "registration_number", "locations", "stop"}
)


def _owner_name(text: str, kinds: frozenset[str]) -> bool:
    """Whether a line is an organisation's kind and its proper name only ("Obec Lhotka nad Vodou")."""
    words = text.replace(",", " ").split()
    for n in (4, 3, 2, 1):
        if len(words) > n and " ".join(words[:n]).casefold() in kinds:
            rest = words[n:]
            # The proper name: capitalised words and the small words of place names, at most four.
            return len(rest) <= 4 and rest[0][:1].isupper() and all(
                w[:1].isupper() or w in ("nad", "pod", "u", "v", "na") for w in rest
            )
    return False


def _not_a_name(text: str) -> bool:
    """A line that names no project: a caption, a label line, a funding statement or a call."""
    text = _REGNUM_TAIL.sub("", strip_quotes(text))
    folded = fold_label(text)
    words = [w.strip(".,;:()") for w in folded.split()]
    if not words:
        return True
    data = _title_words()
    # "Logo OP Zaměstnanost", "Úvodní fotografie", "Titulní obrázek": an image's text.
    if any(w in data["image_words"] for w in words[:2]):
        return True
    # "Project title", "Název projektu": a label alone.
    if label_key(text) is not None:
        return True
    # "Fond: IROP", "Výše spolufinancování: 95 %", "Žadatel: Obec Lhota": a label and its value.
    head, colon, value = text.partition(":")
    if colon and (
        label_key(head) is not None
        # "OPPA: Trojské trumfy": the programme's abbreviation before a shortened name.
        or (head.strip() and sum(m.end - m.start for m in find_programmes(head)) >= 0.8 * len(head.strip()))
        or _NUMERIC_VALUE.match(value.strip())
        or (value.strip() and sum(m.end - m.start for m in find_programmes(value)) >= 0.8 * len(value.strip()))
    ):
        return True
    # "Žadatel Krajská správa silnic": a one-word label of another field before a name.
    if len(words) > 1 and label_key(words[0]) not in (None, "title") and text.split()[1][:1].isupper():
        return True
    # "Projekt financovaný z Evropského sociálního fondu …": the funding statement.
    participles = data["statement_participles"]
    if any(w in participles for w in words[:4]) and (
        words[0] in participles or words[0] in {s.split()[0] for s in data["statement_subjects"]}
    ):
        return True
    # "Historie projektu", "Popis projektového záměru": a heading of a section about the project.
    if len(words) <= 5 and words[-1] in ("projektu", "projektů") or classify_label(text) in _SECTION_KEYS:
        return True
    # "Charita Lhotka", "Obec Lhotka", "Základní škola Lhotka, příspěvková organizace": the
    # organisation that publishes the page; "Evropská unie": its funder.
    if (
        _owner_name(text, data["owner_kinds"] | data["school_kinds"])
        or _OWN_LEGAL_FORM.search(text) is not None
        or folded.endswith("příspěvková organizace")
        or folded in data["funder_lines"]
    ):
        return True
    # "Šablony II", "EU – Peníze školám": the call's name, shared by many projects.
    kept = " ".join(w for w in words if not _ROMAN_OR_NUMBER.match(w))
    if kept in data["call_names"]:
        return True
    return _INTRODUCES_PROJECT.search(text) is not None


def _is_generic(text: str) -> bool:
    """True for page headings that are not a project's own name."""
    folded = fold_label(strip_quotes(text))
    if folded in _phrases()["generic_titles"] or _GENERIC_LEAD.pattern.match(folded) or _BYLINE.pattern.match(folded):
        return True
    if _not_a_name(text):
        return True
    # A heading that is only a programme's name says who pays, not what the project is.
    covered = sum(m.end - m.start for m in find_programmes(text))
    return covered >= 0.8 * len(text.strip())


# "ŠABLONY I. „Vzájemná spolupráce“": a call's name and, quoted after it, the project's own.
_CALL_THEN_QUOTED = re.compile(r"^\s*([^„“”\"\n]{3,60}?)[\s:.–—-]*[„\"“]\s*([^„“”\"\n]{3,220}?)\s*[“”\"]\s*\.?\s*$")


def _quoted_after_call(text: str) -> str | None:
    """The quoted name after a call's name ('Šablony II „Čtenářský klub“'), else None."""
    m = _CALL_THEN_QUOTED.match(text)
    if m is None:
        return None
    words = [w.strip(".,;:()") for w in fold_label(m.group(1)).split()]
    kept = " ".join(w for w in words if w and not _ROMAN_OR_NUMBER.match(w))
    return m.group(2) if kept in _title_words()["call_names"] else None


# "5.1a - Úsporná škola": the code of a part of a larger plan before the name is no part of it.
_CODE_LEAD = re.compile(r"^\d{1,2}(?:\.\d{1,2})+[a-z]?\s+[-–]\s+(?=\S)")


def _clean_title(text: str) -> str:
    """A title as written, without quotes, a trailing period or a programme tag."""
    if "„" in text or '"' in text or "“" in text:
        text = _quoted_after_call(text) or text
    title = strip_quotes(text).strip().rstrip(".").strip()
    title = _CODE_LEAD.sub("", title)
    title = _DANGLING_WORD.pattern.sub("", _REGNUM_TAIL.sub("", title).rstrip(" ,;–—-"))
    # "Projekt Zelená škola": the word before the name is no part of it.
    lead = _PROJEKT_LEAD.match(title)
    if lead and len(title) - lead.end() >= 4:
        title = strip_quotes(title[lead.end() :]).strip()
    # "Oprava knihovny – Obec Lhotka": who carries the project out, after a dash.
    head, dash, owner = title.rpartition(" – ") if " – " in title else title.rpartition(" - ")
    if dash and head and _owner_name(owner, _title_words()["municipal_kinds"]):
        title = head.rstrip()
    tail = _ABBREVIATION_TAIL.search(title)
    if tail and find_programmes(tail.group(0).strip(" ()")):
        title = title[: tail.start()].rstrip()
    return title


def _leading_stop(text: str) -> bool:
    """A line led by a non-field label ("Vlastní financování 997 920 Kč")."""
    # Only the first six words are read; a paragraph need not be split whole.
    words = text.split(maxsplit=6)
    for n in range(2, min(len(words), 6) + 1):
        if label_key(" ".join(words[:n])) == "stop":
            return True
    return False


_CZECH_LETTER = re.compile(r"[áčďéěíňóřšťúůýž]")
_WORD_CHARS = re.compile(r"\w+")


def _english_line(text: str) -> bool:
    """An interface line in English ("Please select your page"): two English words, no Czech letters."""
    folded = text.casefold()
    # Most lines are Czech: the letter test settles them before any word is looked up.
    if _CZECH_LETTER.search(folded):
        return False
    english_words = _phrases()["english_words"]
    return sum(w in english_words for w in _WORD_CHARS.findall(folded)) >= 2


def _title_like(text: str) -> bool:
    """Whether a line could be a project name: short, not a sentence, date or menu."""
    # The length test first: a long paragraph is not split at all.
    if len(text) > 250:
        return False
    words = text.split()
    if not 2 <= len(words) <= 30:
        return False
    # A sentence, or a breadcrumb trail ("Úvod > Projekty > …", "Úvod / Aktuality / …").
    if text.endswith((".", ":", "?", "!")) or any(mark in text for mark in ("|", ">", "»", "›", " / ", "→")):
        return False
    if not (text[0].isupper() or text[0].isdigit() or text[0] in "„\""):
        return False
    # "Nezařazené 12. 3. 2022", "Metodika 21. 11. 2024 · autor": a date line, not a name.
    if _DATE_LIKE.match(text) or _FULL_DATE.search(text) or label_key(text) is not None:
        return False
    # "Obec získala dotaci na nový chodník": a headline (a finite verb), not a name.
    if any(w in _title_words()["headline_verbs"] for w in _WORD_CHARS.findall(text.casefold())):
        return False
    if len(words) > 3:
        letters = "".join(filter(str.isalpha, text))
        if letters and sum(map(str.isupper, letters)) / len(letters) > 0.6:
            return False
    return not _is_generic(text)


def _projekt_starts(text: str) -> list[int]:
    """Where a pattern anchored on _PROJEKT_ANCHORS can start, in order."""
    return list(anchor_starts(text, _PROJEKT_ANCHORS))


def _of_an_earlier_one(ctx: Context, m: re.Match[str]) -> bool:
    """Whether the sentence before a name speaks of an earlier project ("navazuje na projekt „X“")."""
    start, _ = ctx.sentence_span(m.start())
    return holds_any(ctx.text[start : m.start()].lower(), _earlier_project_stems())


def _named_title(ctx: Context, m: re.Match[str] | None, method: str) -> Found[str] | None:
    """The title a name pattern's match gives, unless generic, sentence-long or an earlier project's."""
    if m is None or _of_an_earlier_one(ctx, m):
        return None
    title = _clean_title(m.group(1))
    if title and not _is_generic(title) and len(title.split()) <= 20:
        return Found(title, evidence(ctx.document, m.start(1), m.end(1), method))
    return None


def _unquoted_title(ctx: Context, m: re.Match[str], method: str) -> Found[str] | None:
    """The name a prose pattern's match gives, cut at the first word that ends it."""
    if _of_an_earlier_one(ctx, m):
        return None
    name = m.group(1)
    folded = name.casefold()
    cut = min((i for i in (folded.find(" " + w) for w in _title_words()["name_enders"]) if i > 0), default=len(name))
    name = _DANGLING_WORD.pattern.sub("", name[:cut].rstrip(" ,;–-"))
    title = _clean_title(name)
    if not title or _is_generic(title) or not 1 <= len(title.split()) <= 15:
        return None
    return Found(title, evidence(ctx.document, m.start(1), m.start(1) + len(name), method))


# How many matches of a publicity pattern a page's title rules read: a page repeating the
# words thousands of times is read in bounded time.
_MAX_NAME_TRIES = 20


def extract_title(ctx: Context) -> Found[str] | None:
    """The project's own name: labelled, quoted after 'projekt', the page heading, or the lead line."""
    for section in ctx.sections_for("title"):
        value = _label_value(ctx, section)
        if value is None:
            continue
        start, end, text = value
        title = _clean_title(text)
        if title and not _is_generic(title) and len(title) <= 300:
            return Found(title, evidence(ctx.document, start, end, "label"))
    # The title patterns open with \b; they are tried only where their first word occurs.
    m = _FULL_NAME.search(ctx.text)
    if m:
        title = _clean_title(m.group(1))
        if title and not _is_generic(title):
            return Found(title, evidence(ctx.document, m.start(1), m.end(1), "named-as"))
    # Every match of the three "projekt" patterns holds "rojekt": its places are found
    # once for the two anchored on it, and only when the page holds the acronym or the
    # quote those two need.
    text = ctx.text
    acronym = _ACRONYM_OPENING.search(text) is not None
    quoted = holds_any(text, _OPENING_QUOTES)
    projekt_starts = _projekt_starts(text) if acronym or quoted else []
    named = (
        _named_title(ctx, next(finditer_at(_NAME_WITH_ACRONYM.pattern, text, projekt_starts), None), "acronym-name")
        if acronym
        else None
    )
    if named is None and _PROJEKT_AND_NAME.search(text):
        # The name may run on into a relative clause ("…projekt Oprava návsi, který je
        # spolufinancován …"): it is cut at the words that end a name, as after 's názvem'.
        started = _STARTED_PROJECT.search(text)
        named = _unquoted_title(ctx, started, "started-project") if started else None
    if named is not None:
        return named
    if quoted:
        # The first quoted name that names a project: "projekt „Šablony II“" names the call.
        for m in finditer_at(_QUOTED_NAME.pattern, text, projekt_starts):
            named = _named_title(ctx, m, "quoted-name")
            if named is not None:
                return named
        for m in _QUOTED_ACTION.finditer(text) if "akce" in text else ():
            named = _named_title(ctx, m, "quoted-name")
            if named is not None:
                return named
    if "financ" in text or "podpo" in text:
        for m in finditer_at(_PUBLICITY_SENTENCE.pattern, text, projekt_starts or _projekt_starts(text)):
            named = _unquoted_title(ctx, m, "publicity-sentence")
            if named is not None:
                return named
        for m in islice(_PUBLICITY_ACTION.finditer(text), _MAX_NAME_TRIES):
            named = _unquoted_title(ctx, m, "publicity-action")
            if named is not None:
                return named
    # "názvem", "název", "nazvaný": every match holds "náz" or "nazv".
    if "náz" in text or "nazv" in text:
        for m in finditer_at(_NAMED_UNQUOTED.pattern, text, projekt_starts or _projekt_starts(text)):
            named = _unquoted_title(ctx, m, "named-as")
            if named is not None:
                return named
    blocks = ctx.document.blocks
    # A site's template puts its own name, a section's name or a news headline in the
    # first-level heading as often as the project's: a heading is taken only when the page
    # backs it (labels or a registration number right below it, or the name mentioned in
    # the text), and the first backed one of the first few wins.
    for index, block in enumerate(blocks[:40]):
        if block.kind == "heading" and block.level == 1:
            found = _backed_heading(ctx, index)
            if found is not None:
                return found
    # The lead lines of the page, before the first label: the last name-like line that is
    # confirmed by what follows it (a label or a registration number within three blocks)
    # or by the same words appearing again on the page. The last one, because a facility
    # or site name often stands above the project's own name.
    candidates: list[int] = []
    for index, block in enumerate(blocks[:12]):
        text = ctx.document.slice(block)
        if block.kind == "pair" or classify_opening(ctx, index):
            break
        if leading_label(text) or _leading_stop(text):
            break
        if _title_like(text) and not _english_line(text) and not any(
            block.start <= m.start < block.end for m in ctx.entities.amounts
        ):
            candidates.append(index)
    for index in reversed(candidates):
        block = blocks[index]
        text = ctx.document.slice(block)
        # A line repeated only as a line (a menu item, a footer) is not confirmed by it.
        # Prose about the project right below backs a line the page does not repeat (a menu's).
        if (
            _labels_follow(ctx, index)
            or _mentioned_in_text(ctx, text, block)
            or (_project_prose_follows(ctx, index) and ctx.text.count(text) == 1)
        ):
            return Found(_clean_title(text), evidence(ctx.document, block.start, block.end, "lead-line"))
    return _above_number(ctx) or _page_title_name(ctx) or _name_line(ctx)


# How long the block right below a name may be when it gives the registration number: a
# label line or card row ("Registrační číslo projektu: CZ.06…"), not a paragraph.
_NUMBER_LINE_CHARS = 140


def _above_number(ctx: Context) -> Found[str] | None:
    """A heading or a line of its own, anywhere on the page, right above the line that
    gives the registration number (a card's or a publicity box's name, below an article's
    opening): the name of the project the number registers (method above-number). Two
    such names on one page name two projects: none is taken."""
    blocks = ctx.document.blocks
    if not ctx.entities.regnums:
        return None
    found: Found[str] | None = None
    for index, block in enumerate(blocks[: min(len(blocks) - 1, _NAME_LINE_BLOCKS)]):
        below = blocks[index + 1]
        if block.kind not in ("heading", "paragraph") or below.end - below.start > _NUMBER_LINE_CHARS:
            continue
        if not any(below.start <= m.start < below.end for m in ctx.entities.regnums):
            continue
        text = ctx.document.slice(block).strip()
        title = _clean_title(text)
        if not title or not _title_like(text) or not 2 <= len(title.split()) <= 20:
            continue
        if found is not None and found.value != title:
            return None
        found = found or Found(title, evidence(ctx.document, block.start, block.end, "above-number"))
    return found


# The separators of a <title>'s parts: "Oprava návsi | Obec Lhotka", "Aktuality » Oprava
# návsi", and, tried last because names hold them too ("Zámky - brány k lidem"), dashes.
_PAGE_TITLE_SEPARATORS = (re.compile(r"\s*[|»·]\s*"), re.compile(r"\s*[|»·]\s*|\s+[–—:-]\s+"))


def _page_title_name(ctx: Context) -> Found[str] | None:
    """A part of the page's <title> that reads as a name and that the page's running text
    repeats: the site's template titled the page with the project's name (method
    page-title-mention). A stale or site-wide title is not repeated in the text."""
    page_title = ctx.document.page_title
    if not page_title or len(page_title) > 300:
        return None
    parts = [page_title] + [p for separator in _PAGE_TITLE_SEPARATORS for p in separator.split(page_title)]
    for part in dict.fromkeys(p.strip() for p in parts):
        title = _clean_title(part)
        if not title or not _title_like(title) or not 2 <= len(title.split()) <= 20:
            continue
        position = ctx.text.find(title)
        while position >= 0:
            block = ctx.block_at(position)
            # Inside a longer block of text, not a line of its own (a menu item, a heading).
            if block is not None and block.kind != "heading" and block.end - block.start > len(title) + 15:
                return Found(title, evidence(ctx.document, position, position + len(title), "page-title-mention"))
            position = ctx.text.find(title, position + 1)
    return None


# "Projekt: Oprava školy", "Project: Oprava školy": a line that is the word for a project,
# a colon and the name (the words in titles.json 'name_line_words').
_NAME_LINE_LEAD = re.compile(r"^([^\W\d][\w ]{2,20}?)\s*:\s*(?=[„\"“A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ0-9])")
# A name line is read among this many blocks of the page: a card, a publicity box and an
# article stand within them, a long page's tail holds menus and other pages' names.
_NAME_LINE_BLOCKS = 200


def _name_line(ctx: Context) -> Found[str] | None:
    """A line anywhere on the page that holds only a name and what marks it as the
    project's: the registration number after it ('Oprava školy, CZ.06.2.56/…', method
    name-regnum) or the word 'Projekt' and a colon before it ('Projekt: Oprava školy',
    method project-colon)."""
    words = _title_words()["name_line_words"]
    for block in ctx.document.blocks[:_NAME_LINE_BLOCKS]:
        if block.kind == "pair" or block.end - block.start > 250:
            continue
        text = ctx.document.slice(block).strip()
        lead = _NAME_LINE_LEAD.match(text)
        if lead and fold_label(lead.group(1)) in words:
            name, method, offset = text[lead.end() :], "project-colon", lead.end()
        elif "CZ" in text and _REGNUM_TAIL.search(text):
            name, method, offset = text, "name-regnum", 0
        else:
            continue
        title = _clean_title(name)
        if method == "name-regnum" and (title == name or not title):
            continue
        # A name, not a sentence or a label line: the heading tests, and no quoted call.
        if not title or not _title_like(title) or not 2 <= len(title.split()) <= 20:
            continue
        start = block.start + (len(ctx.document.slice(block)) - len(ctx.document.slice(block).lstrip())) + offset
        return Found(title, evidence(ctx.document, start, start + len(name), method))
    return None


def _backed_heading(ctx: Context, index: int) -> Found[str] | None:
    """The title a first-level heading gives, when the page backs it as the project's name."""
    block = ctx.document.blocks[index]
    text = ctx.document.slice(block)
    start = block.start
    # "Název projektu: Vybavení knihovny": a heading that is a title label and its value.
    label = leading_label(text)
    if label is not None and label[0] == "title":
        start += label[2]
        text = text[label[2] :]
    if not _title_like(text):
        return None
    title = _clean_title(text)
    if not title:
        return None
    if (
        label is None
        and not _labels_follow(ctx, index)
        and not _mentioned_in_text(ctx, title, block)
        and not _in_page_title(ctx, title)
    ):
        return None
    # "Centrum odborné výuky" / "Centrum odborné výuky ZŠ Lhotka": the heading right below
    # gives the name in full.
    below = ctx.document.blocks[index + 1] if index + 1 < len(ctx.document.blocks) else None
    if below is not None and below.kind == "heading":
        fuller = _clean_title(ctx.document.slice(below))
        if fuller.startswith(title + " ") and _title_like(fuller):
            return Found(fuller, evidence(ctx.document, below.start, below.end, "page-heading"))
    return Found(title, evidence(ctx.document, start, start + len(text), "page-heading"))


def _in_page_title(ctx: Context, title: str) -> bool:
    """Whether the page's <title> gives the same name, whole or as one of its parts."""
    page_title = ctx.document.page_title
    if not page_title:
        return False
    parts = [page_title] + [p for separator in _PAGE_TITLE_SEPARATORS for p in separator.split(page_title)]
    return any(_clean_title(p.strip()) == title for p in parts)


def _labels_follow(ctx: Context, index: int) -> bool:
    """Whether a field label, a label/value pair or a registration number follows within three blocks."""
    blocks = ctx.document.blocks
    following = blocks[index + 1 : index + 4]
    return (
        any(classify_opening(ctx, index + 1 + i) or b.kind == "pair" for i, b in enumerate(following))
        or any(leading_label(ctx.document.slice(b)) for b in following)
        or any(b.start <= m.start < b.end for b in following for m in ctx.entities.regnums)
    )


def _project_prose_follows(ctx: Context, index: int) -> bool:
    """Whether a paragraph about the project opens right below (an image caption between aside)."""
    openings = _title_words()["project_subject_openings"]
    for block in ctx.document.blocks[index + 1 : index + 3]:
        text = ctx.document.slice(block)
        if _is_generic(text) and not text.endswith("."):
            continue  # a caption ("Logo OPZ") between the name and the text
        words = text.casefold().split(maxsplit=3)
        return any(" ".join(words[:n]) in openings for n in (1, 2, 3)) and text.endswith((".", ":", ";"))
    return False


def _mentioned_in_text(ctx: Context, title: str, own: Block) -> bool:
    """Whether the name stands inside a longer block of the page (not a repeated menu line)."""
    position = ctx.text.find(title)
    while position >= 0:
        block = ctx.block_at(position)
        if block is not None and block.start != own.start and block.end - block.start > len(title) + 15:
            return True
        position = ctx.text.find(title, position + 1)
    return False


def classify_opening(ctx: Context, index: int) -> bool:
    """Whether the block at ``index`` is the label of a known field section."""
    return ctx.document.blocks[index].start in ctx.field_label_starts
