"""The linkage model's comparisons and blocking rules, written once for Splink and for Python.

Each comparison level is a small rule (exact, same as another column, Jaro-Winkler at least,
Levenshtein at most, a year apart) that renders to Splink's SQL for batch linkage and is
evaluated in NumPy/RapidFuzz by the real-time matcher, so both score a pair identically.
DuckDB's `jaro_winkler_similarity` and `levenshtein` agree with RapidFuzz's (tested).
"""

from dataclasses import dataclass

# The prepared columns every record carries into linkage (see records.prepare).
COLUMNS = (
    "given_name", "given_canon", "first_initial", "family_name", "family_soundex",
    "dob", "dob_swapped", "birth_year", "postcode", "postcode_sector", "postcode_outward",
    "address", "phone", "nhs_number", "sex",
)


# Identifier quote and Jaro-Winkler function of each Splink backend (Splink's own dialects).
_DIALECTS = {"duckdb": ('"', "jaro_winkler_similarity"), "spark": ("`", "jaro_winkler")}


@dataclass(frozen=True)
class Level:
    """One level of agreement within a comparison, in the order Splink tests them."""

    label: str
    kind: str  # null | exact | same_as | jaro_winkler | levenshtein | year_apart | all | else
    column: str = ""
    other: str = ""
    threshold: float = 0.0
    parts: tuple["Level", ...] = ()  # for kind "all": every part must hold
    is_null: bool = False  # a null level (no evidence either way), beside kind "null"

    @property
    def is_null_level(self) -> bool:
        return self.is_null or self.kind == "null"

    def sql(self, dialect: str = "duckdb") -> str:
        """Splink's SQL condition for this level in the backend's dialect (duckdb or spark)."""
        quote, jaro_winkler = _DIALECTS[dialect]
        col, other = f"{quote}{self.column}_l{quote}", f"{quote}{self.column}_r{quote}"
        match self.kind:
            case "all":
                return " AND ".join(f"({part.sql(dialect)})" for part in self.parts)
            case "null":
                return f"{col} IS NULL OR {other} IS NULL"
            case "exact":
                return f"{col} = {other}"
            case "same_as":
                # Symmetric: dob_swapped of one side equals dob of the other.
                return (f"{col} = {quote}{self.other}_r{quote} OR "
                        f"{quote}{self.other}_l{quote} = {other}")
            case "jaro_winkler":
                return f"{jaro_winkler}({col}, {other}) >= {self.threshold}"
            case "levenshtein":
                return f"levenshtein({col}, {other}) <= {int(self.threshold)}"
            case "year_apart":
                return (
                    f"substr({col}, 6) = substr({other}, 6) AND "
                    f"abs(cast(substr({col}, 1, 4) AS INTEGER) - "
                    f"cast(substr({other}, 1, 4) AS INTEGER)) <= {int(self.threshold)}"
                )
            case "else":
                return "ELSE"
        raise ValueError(f"unknown comparison level kind {self.kind!r}")


@dataclass(frozen=True)
class Comparison:
    """A field compared between two records, with its levels from best agreement down."""

    name: str
    levels: tuple[Level, ...]

    def gammas(self) -> list[int]:
        """Splink's comparison vector value for each level: -1 for null, then counting down to 0."""
        values, next_value = [], sum(1 for lv in self.levels if not lv.is_null_level) - 1
        for level in self.levels:
            if level.is_null_level:
                values.append(-1)
            else:
                values.append(next_value)
                next_value -= 1
        return values

    def gamma_of(self, label: str) -> int:
        return self.gammas()[[lv.label for lv in self.levels].index(label)]

    def splink_dict(self, dialect: str = "duckdb") -> dict:
        levels = []
        for level in self.levels:
            entry = {"sql_condition": level.sql(dialect), "label_for_charts": level.label}
            if level.is_null_level:
                entry["is_null_level"] = True
            levels.append(entry)
        return {"output_column_name": self.name, "comparison_levels": levels,
                "comparison_description": self.name}


def _name(column: str, *, canon: str | None = None) -> Comparison:
    levels = [Level("missing", "null", column), Level("exact", "exact", column)]
    if canon:
        levels.append(Level("same usual name (nickname)", "exact", canon))
    levels += [
        Level("Jaro-Winkler >= 0.92", "jaro_winkler", column, threshold=0.92),
        Level("Jaro-Winkler >= 0.80", "jaro_winkler", column, threshold=0.80),
        Level("different", "else"),
    ]
    return Comparison(column, tuple(levels))


def _exact(column: str) -> Comparison:
    return Comparison(column, (Level("missing", "null", column), Level("exact", "exact", column),
                               Level("different", "else")))


_POSTCODE_MISSING = Level("postcode missing", "null", "postcode")
_ADDRESS_MISSING = Level("address missing", "null", "address")
_SAME_POSTCODE = Level("same postcode", "exact", "postcode")
_SAME_ADDRESS = Level("address Jaro-Winkler >= 0.90", "jaro_winkler", "address", threshold=0.90)

COMPARISONS: tuple[Comparison, ...] = (
    _name("given_name", canon="given_canon"),
    _name("family_name"),
    Comparison("dob", (
        Level("missing", "null", "dob"),
        Level("exact", "exact", "dob"),
        Level("day and month transposed", "same_as", "dob", other="dob_swapped"),
        Level("one character different", "levenshtein", "dob", threshold=1),
        Level("same day and month, year +-1", "year_apart", "dob", threshold=1),
        Level("different", "else"),
    )),
    # Address and postcode in one comparison: counted separately, a shared home would be
    # double evidence, and twins or siblings share both.
    Comparison("home", (
        Level("missing", "all", parts=(_POSTCODE_MISSING, _ADDRESS_MISSING), is_null=True),
        Level("same postcode and address", "all", parts=(_SAME_POSTCODE, _SAME_ADDRESS)),
        # Not the same evidence as a different address at the postcode (a neighbour): an ED
        # referral or a school roll often carries the postcode alone.
        Level("same postcode, address missing", "all", parts=(_SAME_POSTCODE, _ADDRESS_MISSING)),
        Level("same postcode, address differs", "exact", "postcode"),
        Level("same address, postcode missing", "all", parts=(_POSTCODE_MISSING, _SAME_ADDRESS)),
        Level("same postcode sector", "exact", "postcode_sector"),
        Level("same outward code", "exact", "postcode_outward"),
        Level("different", "else"),
    )),
    _exact("phone"),
    _exact("nhs_number"),
    _exact("sex"),
)

# Pairs are only scored if they agree on at least one of these (a union, as Splink does).
# Not phone: a household or a care home shares one, and it is never the only agreement.
BLOCKING_RULES: tuple[tuple[str, ...], ...] = (
    ("nhs_number",),
    ("dob",),
    ("postcode", "first_initial"),
    ("family_soundex", "birth_year"),
    ("given_canon", "family_name"),
    ("family_name", "first_initial"),
    ("given_canon", "family_soundex"),
)

# Expectation-maximisation runs once per rule; each trains the comparisons it does not block on.
TRAINING_RULES: tuple[tuple[str, ...], ...] = (
    ("dob",),
    ("given_canon", "family_name"),
)

# Used only if a comparison is left with no trained m probability after TRAINING_RULES (EM on
# one of them can fail on a small or unusual file).
FALLBACK_TRAINING_RULES: tuple[tuple[str, ...], ...] = (
    ("postcode",),
    ("birth_year", "first_initial"),
)

# Pairs agreeing on these are near-certain matches: used to estimate how common matches are.
DETERMINISTIC_RULES: tuple[tuple[str, ...], ...] = (
    ("nhs_number",),
    ("given_name", "family_name", "dob"),
)

# A pair at one of these levels is never linked automatically, however high its weight: twins
# share a surname, birthday and home and differ only here. They go to review instead.
AUTO_LINK_VETOES: tuple[tuple[str, str], ...] = (
    ("given_name", "different"),
    ("nhs_number", "different"),
)


def vetoed_gammas() -> dict[str, int]:
    """The AUTO_LINK_VETOES as comparison name -> gamma value."""
    by_name = {c.name: c for c in COMPARISONS}
    return {name: by_name[name].gamma_of(label) for name, label in AUTO_LINK_VETOES}
