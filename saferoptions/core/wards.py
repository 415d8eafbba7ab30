"""Which ward a hexagon (H3 cell) falls in, approximately: no boundary file can be fetched.

A cell belongs to the ward whose centre is nearest its own (within about 3 km; beyond that it
is outside the city). The ward maps draw wards this way, so a table naming a cell's ward
agrees with the map beside it.
"""

import math

import h3
from django.conf import settings

from .models import Ward

# Degrees of latitude, about 3 km: the box's corners would otherwise swell the edge wards.
REACH = 0.027


def _scale() -> float:
    box = settings.CONTEXTS_CITY_BOX
    return math.cos(math.radians((box["min_lat"] + box["max_lat"]) / 2))


def nearest(wards, lat: float, lng: float, scale: float):
    """The (code, lat, lng, ...) of `wards` nearest the point, or None beyond REACH."""
    def gap(w) -> float:
        return (w[1] - lat) ** 2 + ((w[2] - lng) * scale) ** 2

    found = min(wards, key=gap, default=None)
    return found if found is not None and gap(found) <= REACH ** 2 else None


def ward_names(cells) -> dict[str, str]:
    """{cell: its ward's name} for the cells that fall in a ward of the city."""
    wards = list(Ward.objects.values_list("code", "latitude", "longitude", "name"))
    scale, named = _scale(), {}
    for cell in set(cells):
        try:
            lat, lng = h3.cell_to_latlng(cell)
        except (ValueError, TypeError, h3.H3BaseException):
            continue
        ward = nearest(wards, lat, lng, scale)
        if ward is not None:
            named[cell] = ward[3]
    return named
