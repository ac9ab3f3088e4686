"""Translations. The source language is Swedish; `casework/translations/en` holds the English catalogue.

Swedish labels that live in plain data (the vocabularies in `vocab.py`, event labels in the
registry, phase labels) are not wrapped in gettext calls, so `babel.cfg` extracts them with
`extract_labels` below. To update the catalogue after changing UI text:

    pybabel extract -F babel.cfg -k _l -k lazy_gettext -o casework/translations/messages.pot .
    pybabel update -i casework/translations/messages.pot -d casework/translations
    (translate the new entries in casework/translations/en/LC_MESSAGES/messages.po)
    pybabel compile -d casework/translations

The compiled `messages.mo` is committed (a test checks it matches the `.po`).
"""

import ast


def extract_labels(fileobj, keywords, comment_tags, options):
    """Babel extractor: every string value of a dict literal, the label argument of EventType(...),
    and the first argument of the gettext keywords (a file mapped here is not also read as Python)."""
    names = {"_", "_l", "gettext", "lazy_gettext", *(keywords or {})}
    tree = ast.parse(fileobj.read().decode("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for value in node.values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    yield value.lineno, None, value.value, []
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "id", None)
            position = 1 if name == "EventType" else 0 if name in names else None
            if position is not None and len(node.args) > position:
                label = node.args[position]
                if isinstance(label, ast.Constant) and isinstance(label.value, str):
                    yield label.lineno, None, label.value, []
