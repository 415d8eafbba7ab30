"""A record left at a family's old home joins the person the household moved with.

In a file of households (file_model.records_households) a family that moves takes its
children with it: the mother's records show the old home and the new one, and so would her
son's, but his record at the old home has no date of birth ("Toby, BS5 5HG", or "Kieran
Hardy, 18 Heather Way" undated) and his own pair cannot tell him from another Toby of that
name (at 100,000 records the same full name, undated, at another address is the same person
14% of the times). The file can: another person's records join the two homes, so the record
at the old home and the person at the new one moved together.

A cluster R joins a cluster C when someone else's cluster D holds a record at R's home (R's
postcode, for a record with no address) and one at C's home, elsewhere; R and C share no
postcode already (sharing one is the ordinary namesake question, left to the pairs); their
names agree (the same usual forename, and no two of their records hold surnames, usual
forenames or dates of birth more than one typed slip apart, nor different NHS numbers); and
R has no other candidate and is C's only one. No Django here.
"""

from collections import defaultdict

# Fields two records of one person hold alike: a move joins nothing that disagrees on them
# by more than one typed slip (a name's one letter, a date's slip as dates_compatible), nor
# on an NHS number at all.
_MUST_AGREE = ("given_canon", "family_name", "dob", "nhs_number")
# A name this short differs from another name by one letter (amy / ama, ian / ivan).
_SHORTEST_SLIP = 4


def moved_together(rows: list[dict], cluster_of: dict[str, str], *,
                   compatible) -> list[tuple[str, str]]:
    """One (left, right) edge per pair of clusters the file shows moved with one household.

    `compatible(a, b)` says whether two dates of birth could be one person's.
    """
    by_id = {r["unique_id"]: r for r in rows}
    members: dict[str, list[dict]] = defaultdict(list)
    for rid, cluster in cluster_of.items():
        if rid in by_id:
            members[cluster].append(by_id[rid])
    homes = {c: {_home(r) for r in rs} - {None} for c, rs in members.items()}
    postcodes = {c: {r["postcode"] for r in rs} - {None} for c, rs in members.items()}
    at_home: dict[tuple, set] = defaultdict(set)
    at_postcode: dict[str, set] = defaultdict(set)
    for cluster in members:
        for home in homes[cluster]:
            at_home[home].add(cluster)
        for code in postcodes[cluster]:
            at_postcode[code].add(cluster)

    def candidates(r_cluster: str) -> set:
        found = set()
        starts = [(home[1], at_home[home]) for home in homes[r_cluster]]
        starts += [(r["postcode"], at_postcode[r["postcode"]])
                   for r in members[r_cluster] if r["postcode"] and _home(r) is None]
        for code, others in starts:
            for d_cluster in others - {r_cluster}:
                for home in homes[d_cluster] - homes[r_cluster]:
                    if home[1] == code:
                        continue
                    for c_cluster in at_home[home] - {r_cluster, d_cluster}:
                        if c_cluster not in found and not postcodes[r_cluster] & \
                                postcodes[c_cluster] and _one_name(members[r_cluster],
                                                                    members[c_cluster],
                                                                    compatible):
                            found.add(c_cluster)
        return found

    found = {c: candidates(c) for c in members}
    wanted_by: dict[str, set] = defaultdict(set)
    for r_cluster, cs in found.items():
        for c_cluster in cs:
            wanted_by[c_cluster].add(r_cluster)
    edges = set()
    for r_cluster, cs in found.items():
        if len(cs) != 1:
            continue
        (c_cluster,) = cs
        if wanted_by[c_cluster] == {r_cluster}:
            a, b = sorted((r_cluster, c_cluster))
            edges.add((members[a][0]["unique_id"], members[b][0]["unique_id"]))
    return sorted(edges)


def _home(row: dict) -> tuple | None:
    return (row["address"], row["postcode"]) if row["address"] and row["postcode"] else None


def _one_name(left: list[dict], right: list[dict], compatible) -> bool:
    """The same usual forename somewhere, and nothing the two hold written differently."""
    named = False
    for a in left:
        for b in right:
            for f in _MUST_AGREE:
                if a[f] and b[f] and not _alike(f, a[f], b[f], compatible):
                    return False
            named = named or bool(a["given_canon"] and a["given_canon"] == b["given_canon"])
    return named


def _alike(field: str, a: str, b: str, compatible) -> bool:
    if a == b:
        return True
    if field == "dob":
        return compatible(a, b)
    if field == "nhs_number":
        return False
    return min(len(a), len(b)) >= _SHORTEST_SLIP and one_slip(a, b)


def one_slip(a: str, b: str) -> bool:
    """Whether b is a with one letter changed, added, dropped, or two neighbours swapped."""
    if abs(len(a) - len(b)) > 1:
        return False
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    a, b = a[start:], b[start:]
    return (a[1:] == b[1:] or a[1:] == b or a == b[1:]
            or (len(a) >= 2 and a[:2] == b[1::-1] and a[2:] == b[2:]))
