"""Maps and peer maps drawn as inline SVG from our own data: no tile server, nothing fetched.

Coordinates are projected onto the page with a plain equirectangular projection scaled for the
city's latitude, which is accurate enough across a city.
"""

import math
from dataclasses import dataclass

WIDTH = 760


@dataclass(frozen=True)
class Projection:
    """Degrees to SVG pixels for one box."""

    min_lat: float
    min_lng: float
    max_lat: float
    max_lng: float

    @property
    def height(self) -> int:
        mid = math.radians((self.min_lat + self.max_lat) / 2)
        ratio = (self.max_lat - self.min_lat) / ((self.max_lng - self.min_lng) * math.cos(mid))
        return round(WIDTH * ratio)

    def point(self, lat: float, lng: float) -> tuple[float, float]:
        x = (lng - self.min_lng) / (self.max_lng - self.min_lng) * WIDTH
        y = (self.max_lat - lat) / (self.max_lat - self.min_lat) * self.height
        return round(x, 1), round(y, 1)

    def path(self, ring) -> str:
        """An SVG points list for a ring of (lat, lng)."""
        return " ".join(f"{x},{y}" for x, y in (self.point(a, b) for a, b in ring))


def convex_hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The convex hull of (lat, lng) points (Andrew's monotone chain), as the city outline."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return pts

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower, upper = [], []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def ring_layout(nodes, *, size: int = 520) -> dict:
    """Peer-map positions: the centre in the middle, each further step on a wider ring."""
    by_distance: dict[int, list] = {}
    for node in nodes:
        by_distance.setdefault(node.distance, []).append(node)
    middle = size / 2
    step = (size / 2 - 40) / max(1, max(by_distance, default=0))
    positions = {}
    for distance, ring in by_distance.items():
        # The centre's own people sit on a small ring, wide enough to keep them apart.
        centre = min(step * 0.8, max(step / 2.5, 9 * len(ring) / math.pi))
        radius = step * distance if distance else (0 if len(ring) == 1 else centre)
        for i, node in enumerate(ring):
            angle = 2 * math.pi * i / len(ring) - math.pi / 2
            positions[node.label] = (round(middle + radius * math.cos(angle), 1),
                                     round(middle + radius * math.sin(angle), 1))
    return positions
