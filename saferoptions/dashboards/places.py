"""Place names on the dashboards, read through the access policy for each reader, audited.

Figures are counted for the whole city and may be kept between views (dashboards.memo); the
names of the places behind them are not. Each view names a figure's places only as the access
policy lets this reader list them (`policy.restrict(user, "list", Place)`), and records which
it named. A place the reader may not list is labelled exactly as a place with no name, and
the figure's counts stay, suppressed as usual.
"""

from django.db.models import QuerySet

from saferoptions.access import policy
from saferoptions.audit.services import record
from saferoptions.contexts.models import Place


def _listed(*, user, places: QuerySet, detail: dict) -> list[tuple[int, str, str]]:
    """(id, H3 cell, name) of the places the user may list, and an audit row of them."""
    rows = list(policy.restrict(user, "list", places).order_by("name", "pk")
                .values_list("pk", "h3_cell", "name"))
    record(actor=user, action="list", object_type="place",
           object_ids=[pk for pk, _, _ in rows], detail=detail)
    return rows


def name_rows(figures, *, user, detail: dict) -> None:
    """Label the rows of figures about places with the names this user may list."""
    about_places = [f for f in figures if f.row_places]
    wanted = {pk for f in about_places for ids in f.row_places for pk in ids}
    if not wanted:
        return
    rows = _listed(user=user, places=Place.objects.filter(pk__in=wanted),
                   detail={**detail, "figures": [f.key for f in about_places]})
    names = {pk: name for pk, _, name in rows}
    for figure in about_places:
        figure.rows = [figure.place_label(i, sorted(names[pk] for pk in ids if pk in names))
                       for i, ids in enumerate(figure.row_places)]


def in_cells(cells, *, user, detail: dict) -> dict[str, list[str]]:
    """The names of the known places in each H3 cell that this user may list."""
    named: dict[str, list[str]] = {}
    for _, cell, name in _listed(user=user, places=Place.objects.filter(h3_cell__in=cells),
                                 detail=detail):
        named.setdefault(cell, []).append(name)
    return named


def ids_in_cells(cells) -> dict[str, list[int]]:
    """Each H3 cell's known places, as ids only (named later, per reader)."""
    found: dict[str, list[int]] = {}
    for cell, pk in Place.objects.filter(h3_cell__in=cells).values_list("h3_cell", "pk"):
        found.setdefault(cell, []).append(pk)
    return found
