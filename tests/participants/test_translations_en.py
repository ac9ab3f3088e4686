"""The English catalogue: complete for the coach's pages, and the committed .mo matches the .po."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "casework" / "translations" / "en" / "LC_MESSAGES"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def _catalogue():
    with open(CATALOGUE / "messages.po", "rb") as handle:
        return read_po(handle, locale="en")


def test_the_compiled_catalogue_matches_the_po_file():
    """Untranslated entries (other areas' new texts) are left out of the .mo and read as Swedish."""
    with open(CATALOGUE / "messages.mo", "rb") as handle:
        compiled = read_mo(handle)
    source = _catalogue()
    def entries(catalogue):
        def plain(value):
            return tuple(value) if isinstance(value, (list, tuple)) else value

        return {plain(m.id): plain(m.string) for m in catalogue
                if m.id and m.string and (not isinstance(m.string, (list, tuple)) or all(m.string))}

    assert entries(compiled) == entries(source)


def test_every_text_of_the_coachs_pages_has_an_english_translation():
    with open(ROOT / "babel.cfg") as handle:
        method_map, options_map = parse_mapping_cfg(handle, filename=str(ROOT / "babel.cfg"))
    catalogue = _catalogue()
    mine = ("templates/participants", "templates/events", "casework/participants", "casework/events",
            "casework/vocab.py")
    missing = []
    for filename, _lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS):
        if not filename.startswith(mine):
            continue
        msgid = message[0] if isinstance(message, tuple) else message
        entry = catalogue.get(message if isinstance(message, str) else message[0])
        if entry is None or not entry.string or (isinstance(entry.string, tuple) and not all(entry.string)):
            missing.append(msgid)
    assert missing == []


def _untranslated(catalogue):
    """msgids (header excluded) whose msgstr, or any plural form of it, is empty."""
    def empty(string):
        return not string or (isinstance(string, (list, tuple)) and not all(string))

    return [m.id for m in catalogue if m.id and empty(m.string)]


def test_no_entry_of_the_english_catalogue_is_left_untranslated():
    catalogue = _catalogue()
    assert len(catalogue) > 0
    assert _untranslated(catalogue) == []
    assert [m.id for m in catalogue if m.id and m.fuzzy] == []


def test_the_untranslated_check_catches_an_empty_msgstr():
    catalogue = _catalogue()
    catalogue.add("En ny text", "")
    catalogue.add(("en sak", "%(num)s saker"), ("one thing", ""))
    assert _untranslated(catalogue) == ["En ny text", ("en sak", "%(num)s saker")]
