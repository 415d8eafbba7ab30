"""The child population the disproportionality figures divide by, from configuration.

Read on each page view from `DASHBOARDS_CHILD_POPULATION_FILE` (a partnership updates it once
a year from the ONS estimates). A missing or unreadable file never fails the page: the
figures show their counts, and say why there are no rates.
"""

import json
from dataclasses import dataclass, field

from django.conf import settings

from saferoptions.analytics.disproportionality import check_cells
from saferoptions.analytics.errors import AnalyticsInputError


@dataclass
class ChildPopulation:
    cells: list = field(default_factory=list)
    source: str = ""
    as_of: str = ""
    problem: str = ""  # why there is none, in plain words

    @property
    def known(self) -> bool:
        return not self.problem


def load() -> ChildPopulation:
    path = settings.DASHBOARDS_CHILD_POPULATION_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return ChildPopulation(problem="No child population is configured "
                               "(DASHBOARDS_CHILD_POPULATION_FILE), so no rates are shown.")
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        return ChildPopulation(problem=f"The child population file could not be read "
                               f"({type(error).__name__}), so no rates are shown.")
    if not isinstance(data, dict):
        return ChildPopulation(problem="The child population file must hold an object; "
                               "no rates are shown.")
    try:
        cells = check_cells(data.get("children"))
    except AnalyticsInputError as error:
        return ChildPopulation(problem=f"The child population file is not usable: {error}; "
                               "no rates are shown.")
    return ChildPopulation(cells, str(data.get("source", ""))[:300],
                           str(data.get("as_of", ""))[:20])
