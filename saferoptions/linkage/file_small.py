"""A file too small to fit a model to: nothing is linked or dropped without saying so.

Below `file_linking.MIN_RECORDS_TO_TRAIN` records there are too few pairs to learn how often
a file's details agree by chance, so no probability can be given. Calling every record its
own person would silently drop a duplicate an analyst can see with their own eyes (José
García and JOSE GARCIA, the same date of birth and postcode). Instead every pair is compared
on the prepared details:

- a pair that agrees on the whole name and the date of birth, and on at least one more
  detail (postcode, address, phone, NHS number or email address), with no detail both hold
  disagreeing, is the same person written twice: linked;
- a pair sharing at least two details (the name, the date of birth as typed or with day and
  month swapped or a typing slip, postcode or address, phone, NHS number, email address) is
  listed for review (or linked with `--link-unsure`);
- anything less is left apart, as a namesake would be.

No Django here.
"""

from dataclasses import dataclass

from . import model as linkage_model
from .file_model import Pair

SHARED_FOR_REVIEW = 2


def _name_agrees(a: dict, b: dict) -> bool:
    if not (a["family_name"] and b["family_name"] and a["given_name"] and b["given_name"]):
        return False
    same = (a["family_name"] == b["family_name"]
            and a["given_canon"] == b["given_canon"])
    swapped = (a["family_name"] == b["given_name"] and a["given_name"] == b["family_name"])
    return same or swapped


def _dob_agrees(a: dict, b: dict, compatible) -> bool:
    if not (a["dob"] and b["dob"]):
        return False
    return a["dob"] == b["dob"] or a["dob"] == b["dob_swapped"] or compatible(a["dob"], b["dob"])


def _place_agrees(a: dict, b: dict) -> bool:
    return bool((a["postcode"] and a["postcode"] == b["postcode"])
                or (a["address"] and a["address"] == b["address"]))


def _conflicts(a: dict, b: dict) -> bool:
    """A detail both records hold, written differently."""
    return any(a[f] and b[f] and a[f] != b[f]
               for f in ("dob", "postcode", "phone", "nhs_number", "sex"))


def shared(a: dict, b: dict, compatible) -> list[str]:
    """The details two prepared records share, in plain words."""
    found = []
    if _name_agrees(a, b):
        found.append("name")
    if _dob_agrees(a, b, compatible):
        found.append("date of birth")
    if _place_agrees(a, b):
        found.append("postcode or address")
    for field, words in (("phone", "phone"), ("nhs_number", "NHS number"),
                         ("email", "email address")):
        if a[field] and a[field] == b[field]:
            found.append(words)
    return found


def same_written_twice(a: dict, b: dict, found: list[str]) -> bool:
    return ("name" in found and a["dob"] == b["dob"] and len(found) >= 3
            and not _conflicts(a, b))


@dataclass
class SmallFile:
    cluster_of: dict[str, str]
    unsure: list[Pair]  # left apart, most details shared first
    linked_unsure: int
    note: str


def link_small(rows: list[dict], all_ids: list[str], *, compatible,
               link_unsure: bool) -> SmallFile:
    """Who is who in a file too small to learn from (module docstring)."""
    links, unsure = [], []
    for i, a in enumerate(rows):
        for b in rows[i + 1:]:
            found = shared(a, b, compatible)
            if len(found) < SHARED_FOR_REVIEW:
                continue
            pair = Pair(a["unique_id"], b["unique_id"], float(len(found)), float("nan"),
                        {f: 1 for f in found})
            (links if same_written_twice(a, b, found) else unsure).append(pair)
    joined = links + unsure if link_unsure else links
    facts = {r["unique_id"]: (r["nhs_number"], r["dob"]) for r in rows}
    cluster_of, held_back = linkage_model.clusters(
        all_ids, [(p.left, p.right) for p in joined], facts=facts, compatible=compatible)
    held = set(held_back)
    left_apart = [p for p in joined if (p.left, p.right) in held]
    if not link_unsure:
        left_apart += unsure
    left_apart = sorted((p for p in left_apart if cluster_of[p.left] != cluster_of[p.right]),
                        key=lambda p: (-p.match_weight, p.left, p.right))
    linked_unsure = sum(1 for p in unsure if (p.left, p.right) not in held) if link_unsure else 0
    note = (f"only {len(rows)} records with enough to match: too few to learn how often "
            "details agree by chance, so no probability is given; records with the same name "
            "and date of birth and another detail, nothing contradicting, are linked as one "
            "person written twice; pairs sharing two details (name, date of birth, postcode "
            "or address, phone, NHS number, email address) are "
            + ("linked (--link-unsure)" if link_unsure else "listed for review"))
    return SmallFile(cluster_of, left_apart, linked_unsure, note)
