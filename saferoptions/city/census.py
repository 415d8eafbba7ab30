"""The synthetic city's own census: its children by locality, sex, broad ethnic group and age
band on the last day of the period, written where the dashboards read their child population
(`DASHBOARDS_CHILD_POPULATION_FILE`), as the ONS estimates would be for a real city."""

import json
from collections import Counter
from datetime import date
from pathlib import Path

from saferoptions.core.reference import WARDS

from .records import City

# The dashboards' child age bands (dashboards.filters.AGE_BANDS below 18).
BANDS = (("0-9", 0, 9), ("10-13", 10, 13), ("14-15", 14, 15), ("16-17", 16, 17))


def _age(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def child_population(city: City) -> dict:
    locality = {code: slug for _name, code, slug, _lat, _lng in WARDS}
    cells: Counter = Counter()
    for person in city.people:
        age = _age(person.date_of_birth, city.end)
        band = next((name for name, low, high in BANDS if low <= age <= high), None)
        if band is None:
            continue
        broad = person.ethnicity.split("_", 1)[0]
        cells[(locality[person.ward_code], person.sex, broad, band)] += 1
    return {"source": f"the synthetic city's census (seed {city.seed}, {city.children:,} "
                      "children)", "as_of": city.end.isoformat(),
            "children": [[*key, n] for key, n in sorted(cells.items())]}


def write_child_population(city: City, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(child_population(city), indent=1), encoding="utf-8")
    return path
