"""How an event's payload reads on the timeline: Swedish labels for fields and vocabulary values."""

from flask_babel import gettext

from casework.events.forms import FIELD_LABELS, VOCABULARIES
from casework.events.instruments import INSTRUMENTS
from casework.events.registry import EVENT_TYPES


def describe(row: dict, labels_by_id: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(label, value) pairs of one timeline row; personal payload (decrypted) included."""
    event = row["event"]
    pairs = []
    for name, value in event.data.items():
        if event.type == "correction" and name == "voids":
            pairs.append((gettext("Makulerar"), (labels_by_id or {}).get(value, value)))
            continue
        if event.type == "survey" and name == "answers" and isinstance(value, dict):
            pairs.append((str(FIELD_LABELS[name]), _answers_text(event.data.get("instrument"), value)))
            continue
        pairs.append((str(FIELD_LABELS.get(name, name)), _value_text(event.type, name, value)))
    for name, value in (row.get("personal") or {}).items():
        if isinstance(value, dict):
            for inner, text in value.items():
                pairs.append((str(FIELD_LABELS.get(f"{name}_{inner}", inner)), str(text)))
        elif name == "reason":
            pairs.append((gettext("Skäl"), str(value)))
        else:
            pairs.append((str(FIELD_LABELS.get(name, name)), str(value)))
    return pairs


def _answers_text(instrument_id, answers: dict) -> str:
    """Answers by question number as on the paper form ("1: 5, 2: –"), decimal comma for ratings."""
    instrument = INSTRUMENTS.get(instrument_id)
    order = list(instrument.questions) if instrument else list(answers)
    numbered = sorted(answers.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order))
    return ", ".join(f"{order.index(q) + 1 if q in order else q}: "
                     f"{'–' if v is None else str(v).replace('.', ',')}" for q, v in numbered)


def _value_text(type_name: str, name: str, value) -> str:
    vocabulary = VOCABULARIES.get((type_name, name)) or VOCABULARIES.get(("*", name)) or {}
    if isinstance(value, bool):
        return gettext("Ja") if value else gettext("Nej")
    if isinstance(value, list):
        return ", ".join(gettext(vocabulary.get(v, v)) for v in value) or "–"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return gettext(vocabulary.get(str(value), str(value)))


def event_label(type_name: str) -> str:
    """The Swedish source label of an event type (translated by the template)."""
    return EVENT_TYPES[type_name].label
