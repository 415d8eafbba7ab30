"""Reads of a person's casework for a subject access request (`sar_sections.SECTIONS`).

The caller has already had the person from the access policy for SUBJECT_ACCESS. Rows of a
model the policy has its own rule for (a case record, rows by source agency, intelligence by
handling code) are narrowed by that rule as well; the rest are the person's by their key.
"""

import dataclasses

from django.apps import apps
from django.db.models import QuerySet

from saferoptions.access import policy, registry
from saferoptions.audit import actions
from saferoptions.audit.selectors import access_log_for
from saferoptions.cases.models import Revision
from saferoptions.intelligence.models import IntelligenceReport

from .sar_sections import SECTIONS, Section

PURPOSE = policy.Purpose.SUBJECT_ACCESS


@dataclasses.dataclass
class SectionRows:
    """One section's rows, each row's parts and earlier versions, as read."""

    section: Section
    rows: list
    parts: dict  # part key -> {row pk: [part rows]}
    revisions: dict  # (object type, pk) -> [Revision rows]


def casework(user, people) -> dict[str, SectionRows]:
    """Every section's rows about `people` (the person and records merged into them)."""
    decisions = [d for d in (policy.decision_for(user, p, purpose=PURPOSE) for p in people) if d]
    found = {}
    for section in SECTIONS:
        rows = list(_readable(section.rows([p.pk for p in people]), decisions))
        parts = {part.key: _parts(part, rows, decisions) for part in section.parts}
        found[section.key] = SectionRows(section, rows, parts, _revisions(section, rows, parts))
    return found


def _with_keys(queryset: QuerySet) -> QuerySet:
    keys = [f.name for f in queryset.model._meta.concrete_fields if f.is_relation]
    return queryset.select_related(*keys)


def _readable(queryset: QuerySet, decisions) -> QuerySet:
    """The rows as far as the policy's own rule for the model allows (if it has one)."""
    model = queryset.model
    if registry.case_record(model) is None and registry.person_rows(model) is None:
        return _with_keys(queryset)
    ids = set()
    for decision in decisions:
        ids.update(policy.record_rows(decision, model.objects.all()).values_list("pk", flat=True))
    return _with_keys(queryset.filter(pk__in=ids))


def _parts(part, rows, decisions) -> dict:
    model = apps.get_model(part.model)
    queryset = model._base_manager.filter(**{f"{part.field}__in": rows}).order_by("pk")
    grouped: dict[int, list] = {}
    *through, last = part.field.split("__")
    for row in _readable(queryset, decisions):
        holder = row
        for name in through:  # e.g. a correction's action, whose item is the section's row
            holder = getattr(holder, name)
        grouped.setdefault(getattr(holder, f"{last}_id"), []).append(row)
    return grouped


def _revisions(section, rows, parts) -> dict:
    wanted = []
    if section.revisions:
        wanted.append((section.revisions, [r.pk for r in rows]))
    for part in section.parts:
        if part.revisions:
            wanted.append((part.revisions, [p.pk for ps in parts[part.key].values() for p in ps]))
    found: dict = {}
    for object_type, ids in wanted:
        saved = Revision.objects.filter(object_type=object_type, object_id__in=ids)
        for revision in saved.select_related("saved_by", "saved_by__agency").order_by("version"):
            found.setdefault((object_type, revision.object_id), []).append(revision)
    return found


def intelligence_reports(user, links) -> dict[int, IntelligenceReport]:
    """The linked reports the policy lets the DPO read (by handling code), by id."""
    ids = {link.report_id for link in links}
    readable = policy.restrict(user, "export", IntelligenceReport.objects.filter(pk__in=ids),
                               purpose=PURPOSE)
    return {report.pk: report for report in _with_keys(readable)}


def access_log(people) -> list:
    """Every audit entry naming the person or a record merged into them, newest first."""
    entries = []
    for person in people:
        entries.extend(access_log_for("person", person.pk))
    entries.sort(key=lambda entry: entry.sequence, reverse=True)
    for entry in entries:
        entry.action_label = actions.label(entry.action)
        entry.purpose_label = dict(policy.Purpose.choices).get(entry.purpose, entry.purpose)
    return entries
