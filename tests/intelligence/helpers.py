"""Shared steps for the intelligence tests: submit, grade, write the version to share."""

import re

from saferoptions.intelligence import services


def submitted(world, *, by="licensing", entities=None, **kw):
    defaults = {"account": "Older men give free food and phones to children after 10pm.",
                "place": world.place, "when_seen": "Friday nights"}
    entities = entities if entities is not None else [
        {"kind": "person", "name": "Big Mo", "identifier": "", "description": "about 30"},
        {"kind": "object", "object_kind": "vehicle", "name": "", "identifier": "WX19 KLM",
         "description": "black BMW"},
        {"kind": "object", "object_kind": "phone", "name": "", "identifier": "07700 900123",
         "description": "the number the children were given"},
    ]
    return services.submit(actor=world.users[by], entities=entities, **{**defaults, **kw})


def graded(world, report, *, code="P", assessment="B", shared_with=(), reason=""):
    return services.grade(
        actor=world.users["hub"], report=report, source_evaluation="2",
        intelligence_assessment=assessment, handling_code=code,
        handling_conditions="Only to agencies working with the children" if code == "C" else "",
        shared_with=list(shared_with), source_risk="Low: many people saw it.",
        loosening_reason=reason)


def sanitised(world, report, *, summary="Adults seen giving gifts to children at a takeaway.",
              keep_place=True, keep_when=False, kept=None):
    return services.write_sanitised(actor=world.users["hub"], report=report, summary=summary,
                                    keep_place=keep_place, keep_when=keep_when,
                                    kept=kept if kept is not None else {})


def without_csrf(html: str) -> str:
    """A page without its per-response CSRF tokens, to compare two answers."""
    return re.sub(r'value="[A-Za-z0-9]{64}"|"X-CSRFToken": "[A-Za-z0-9]{64}"', "", html)
