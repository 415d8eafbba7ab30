"""The strategic dashboards (docs/dashboards.md): child population denominators and maps.

Settings load once, when a process starts: a change applies after the web and worker
processes restart (the population file itself is read on each page view).
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

from .base import VAR_DIR
from .security import CONTENT_SECURITY_POLICY

# The child population the disproportionality figures divide by: a JSON file of cells
# {"source": ..., "as_of": ..., "children": [[locality slug, sex, broad ethnic group, age band,
# children], ...]} built from the ONS mid-year estimates and census for a real deployment;
# the synthetic city writes its own census there. No file: counts are shown without rates.
DASHBOARDS_CHILD_POPULATION_FILE = Path(os.environ.get(
    "SAFEROPTIONS_CHILD_POPULATION_FILE", VAR_DIR / "child_population.json"))
# A map background: a tile URL template with {z}, {x} and {y} (e.g. the partnership's own tile
# server). Empty (the default): maps are drawn from our own data and nothing is fetched at run
# time. When set, the browser fetches those tiles, and the content security policy allows
# that origin for images.
DASHBOARDS_MAP_TILES = os.environ.get("SAFEROPTIONS_DASHBOARDS_MAP_TILES", "")
DASHBOARDS_MAP_TILES_ATTRIBUTION = os.environ.get(
    "SAFEROPTIONS_DASHBOARDS_MAP_TILES_ATTRIBUTION", "")
if DASHBOARDS_MAP_TILES:
    _tiles = urlsplit(DASHBOARDS_MAP_TILES)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(f"{_tiles.scheme}://{_tiles.netloc}")
