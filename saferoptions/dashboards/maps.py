"""Maps of wards drawn as the union of their H3 cells (approximate), as server-side SVG.

No boundary file can be fetched, so a ward is the H3 cells (resolution 8) of the city's box
whose centres are nearer its centre than any other ward's (within about 3 km): an
approximation, said on the map.
The map shows a figure's suppressed values (a suppressed ward is hatched, never shaded by its
hidden count); its table is the figure's own. A tile background is drawn only when
`DASHBOARDS_MAP_TILES` is set; otherwise nothing is fetched.
"""

import math
from functools import lru_cache

import h3
from django.conf import settings

from saferoptions.core.models import Ward
from saferoptions.core.wards import nearest

RESOLUTION = 8
WIDTH = 720
SHADES = ("#f3f2f1", "#c6d9ee", "#8eb3dc", "#4c85c4", "#1d70b8", "#003078")
TILE_ZOOM = 12


def _mercator(lat: float, lng: float) -> tuple[float, float]:
    """Web Mercator in units of the world (0-1), as map tiles are cut."""
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return (lng + 180) / 360, (1 - y / math.pi) / 2


@lru_cache(maxsize=4)
def ward_cells(wards: tuple) -> dict[str, list[str]]:
    """Each ward code's H3 cells: those of the city's box nearest its centre."""
    box = settings.CONTEXTS_CITY_BOX
    outline = h3.LatLngPoly([(box["min_lat"], box["min_lng"]), (box["min_lat"], box["max_lng"]),
                             (box["max_lat"], box["max_lng"]), (box["max_lat"], box["min_lng"])])
    found: dict[str, list[str]] = {code: [] for code, _, _ in wards}
    scale = math.cos(math.radians((box["min_lat"] + box["max_lat"]) / 2))
    for cell in sorted(h3.polygon_to_cells(outline, RESOLUTION)):
        ward = nearest(wards, *h3.cell_to_latlng(cell), scale)
        if ward is not None:
            found[ward[0]].append(cell)
    return found


def _frame(box: dict) -> tuple[float, float, float, int]:
    """The drawn box: its left and top edges (world units), the scale and the height."""
    left, top = _mercator(box["max_lat"], box["min_lng"])
    right, bottom = _mercator(box["min_lat"], box["max_lng"])
    scale = WIDTH / (right - left)
    return left, top, scale, round((bottom - top) * scale)


@lru_cache(maxsize=4)
def _outlines(wards: tuple, box: tuple) -> dict[str, tuple[str, float, float]]:
    """Each ward's outline as an SVG path, and where its label goes: the same for every map
    of the same wards, so worked once however many maps a page draws."""
    left, top, scale, _ = _frame(dict(box))

    def point(lat, lng) -> tuple[float, float]:
        x, y = _mercator(lat, lng)
        return round((x - left) * scale, 1), round((y - top) * scale, 1)

    drawn = {}
    for code, cells in ward_cells(wards).items():
        if not cells:
            continue
        shape = h3.cells_to_h3shape(cells)
        polygons = shape.polys if isinstance(shape, h3.LatLngMultiPoly) else [shape]
        path = " ".join("M" + " L".join("{},{}".format(*point(lat, lng)) for lat, lng in poly.outer)
                        + " Z" for poly in polygons)
        centre = next((lat, lng) for c, lat, lng in wards if c == code)
        drawn[code] = (path, *point(*centre))
    return drawn


def ward_map(rows: list[tuple[str, str, object]]) -> dict:
    """Shapes for the SVG: (ward code, name, shown value) per ward with a figure row."""
    wards = tuple(Ward.objects.order_by("code").values_list("code", "latitude", "longitude"))
    box = settings.CONTEXTS_CITY_BOX
    left, top, scale, height = _frame(box)
    outlines = _outlines(wards, tuple(sorted(box.items())))
    numbers = [v for _, _, v in rows if isinstance(v, int) and not isinstance(v, bool)]
    top_value = max(numbers, default=0) or 1
    shapes = []
    for code, name, value in rows:
        if code not in outlines:
            continue
        path, x, y = outlines[code]
        shown = isinstance(value, int) and not isinstance(value, bool)
        shade = SHADES[min(5, math.ceil(5 * value / top_value))] if shown else ""
        shapes.append({"code": code, "name": name, "value": value, "path": path,
                       "fill": shade, "suppressed": not shown, "x": x, "y": y})
    return {"width": WIDTH, "height": height, "shapes": shapes, "tiles": _tiles(left, top, scale),
            "attribution": settings.DASHBOARDS_MAP_TILES_ATTRIBUTION, "max": top_value}


def _tiles(left: float, top: float, scale: float) -> list[dict]:
    """The background tiles' addresses and places, only when a tile source is configured."""
    template = settings.DASHBOARDS_MAP_TILES
    if not template:
        return []
    n = 2 ** TILE_ZOOM
    box = settings.CONTEXTS_CITY_BOX
    x0, y0 = _mercator(box["max_lat"], box["min_lng"])
    x1, y1 = _mercator(box["min_lat"], box["max_lng"])
    size = scale / n
    return [{"href": template.format(z=TILE_ZOOM, x=tx, y=ty),
             "x": round((tx / n - left) * scale, 1), "y": round((ty / n - top) * scale, 1),
             "size": round(size, 1)}
            for tx in range(int(x0 * n), int(x1 * n) + 1)
            for ty in range(int(y0 * n), int(y1 * n) + 1)]
