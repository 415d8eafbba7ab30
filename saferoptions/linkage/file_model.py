"""The model `link-file` fits to one spreadsheet: comparisons and blocking chosen from the file.

The app's model (`comparisons.py`) is fixed, because every agency's records reach it through
the same feeds. An analyst's file can hold any subset of the fields, from any country, at any
size: here a comparison is made only for a field the file fills in, a blocking rule is used
only if its columns are filled in and it asks for a bounded number of pairs (made narrower
with a first initial or a year of birth when it is too broad), and every comparison ends up
trained or left out, with a one-line note saying which. No Django here.
"""

import logging
from collections import Counter
from dataclasses import dataclass, field

import pyarrow as pa
from splink import Linker, SettingsCreator, block_on
from splink.internals.exceptions import (  # not exported by Splink 5.0
    EMTrainingException,
    SplinkException,
)

from . import model as linkage_model
from .file_fields import COLUMNS

log = logging.getLogger(__name__)

# A column counts as present when at least this share of records fill it in.
PRESENT_SHARE = 0.01
# The most pairs one blocking rule may ask for: this many per record, and never fewer than
# MIN_PAIR_CAP. Beyond it the rule is narrowed (REFINERS) or dropped.
PAIRS_PER_RECORD = 40
MIN_PAIR_CAP = 1_000_000
REFINERS = ("first_initial", "birth_year", "family_soundex")
# Scored down to this match weight, so the prior can be re-estimated and the threshold curve
# drawn from the pairs themselves.
SCORE_FLOOR_WEIGHT = -8.0
_SWAP_RULE = ("l.given_name = r.family_name AND l.family_name = r.given_name")

_DIALECTS = {
    "duckdb": {"q": '"', "jw": "jaro_winkler_similarity", "size": "len",
               "inter": "list_intersect", "split": "str_split", "dl": "damerau_levenshtein"},
    "spark": {"q": "`", "jw": "jaro_winkler", "size": "size", "inter": "array_intersect",
              "split": "split", "dl": "levenshtein"},
}

# Blocking rules in order of preference, each a tuple of columns (or the name swap).
BLOCKING_CANDIDATES: tuple = (
    ("nhs_number",), ("phone",), ("email",), ("dob",), ("given_canon", "family_name"),
    ("family_soundex", "birth_year"), ("postcode", "first_initial"),
    ("given_canon", "family_soundex"), ("family_name", "first_initial"),
    ("postcode", "address_number"), ("town", "family_soundex"), ("address_tokens",),
    ("postcode", "town"),
    "swap",
)
# Expectation-maximisation sessions, in order; later ones only run while a comparison has no
# trained m probability yet.
TRAINING_CANDIDATES: tuple = (
    ("dob",), ("given_canon", "family_name"), ("postcode",),
    ("birth_year", "first_initial"), ("family_soundex",), ("town",), ("phone",),
)
DETERMINISTIC_CANDIDATES: tuple = (
    ("nhs_number",), ("given_name", "family_name", "dob"),
    ("given_name", "family_name", "postcode"), ("given_name", "family_name", "phone"),
    ("given_name", "family_name", "email"),
)
# At these levels a pair is at most unsure, however strong the rest: twins differ only here.
# A veto holds only in a file where the same person's records rarely reach that level (its
# trained m probability is below RELIABLE_M): in a file whose duplicates often carry another
# forename, a different forename is ordinary noise, not the sign of a twin.
VETOES = {"given_name": "different", "nhs_number": "different"}
RELIABLE_M = 0.02
# Families (surnames) in which two forenames must be held back before they count as one name.
NICKNAME_FAMILIES = 3
# A file "records households" when at least this share of its records with an address share
# that address and postcode with a clearly different person (another initial, and not the
# same year of birth): a family's children and parents. Then the address and the postcode
# are one piece of evidence, not two (count_home_once). The synthetic city: 66% of records;
# the FEBRL sets, whose addresses are drawn independently: under 0.5%.
HOUSEHOLD_SHARE = 0.05


@dataclass
class FileModel:
    """What was chosen for one file, and the notes an analyst should see."""

    comparisons: list[dict]
    blocking: list
    training: list
    notes: list[str] = field(default_factory=list)
    in_force: set[str] = field(default_factory=lambda: set(VETOES))
    # Whether the file records households (records_households): then a home is counted once.
    households: bool = False

    def comparison_names(self) -> list[str]:
        return [c["output_column_name"] for c in self.comparisons]

    def vetoed(self, gammas: dict[str, int], *, nickname: bool = False) -> bool:
        """A veto in force holds the pair; a forename pair learned as one name is no veto."""
        for comparison in self.comparisons:
            name = comparison["output_column_name"]
            label = VETOES.get(name) if name in self.in_force else None
            if nickname and name == "given_name":
                continue
            if label and gammas.get(name) == gamma_of(comparison, label):
                return True
        return False


def present_columns(rows: list[dict]) -> set[str]:
    """Columns filled in for at least PRESENT_SHARE of rows and holding two or more values."""
    present = set()
    for column in COLUMNS:
        values = [r[column] for r in rows if r[column] is not None]
        if len(values) >= max(2, PRESENT_SHARE * len(rows)) and len(set(values)) > 1:
            present.add(column)
    return present


def choose(rows: list[dict], *, engine: str = "duckdb") -> FileModel:
    """Comparisons, blocking rules and training sessions for these rows."""
    present = present_columns(rows)
    comparisons = [c for c in _comparisons(present, engine) if c]
    cap = max(MIN_PAIR_CAP, PAIRS_PER_RECORD * len(rows))
    blocking = _rules(BLOCKING_CANDIDATES, rows, present, cap)
    training = _rules(TRAINING_CANDIDATES, rows, present, cap, swap=False)
    return FileModel(comparisons, blocking, training, households=records_households(rows))


def records_households(rows: list[dict]) -> bool:
    """Whether HOUSEHOLD_SHARE of the records with a home share it with a different person."""
    homes: dict[tuple, list[dict]] = {}
    for row in rows:
        if row["address"] and row["postcode"]:
            homes.setdefault((row["address"], row["postcode"]), []).append(row)
    with_home = sum(len(group) for group in homes.values())
    sharing = sum(1 for group in homes.values() for row in group
                  if any(_two_people(row, other) for other in group))
    return with_home > 0 and sharing >= HOUSEHOLD_SHARE * with_home


def _two_people(a: dict, b: dict) -> bool:
    return (a["first_initial"] is not None and b["first_initial"] is not None
            and a["first_initial"] != b["first_initial"]
            and not (a["birth_year"] and a["birth_year"] == b["birth_year"]))


def _rules(candidates, rows, present, cap, *, swap=True) -> list:
    chosen = []
    for rule in candidates:
        if rule == "swap":
            if swap and {"given_name", "family_name"} <= present:
                chosen.append(rule)
            continue
        if not set(rule) <= present:
            continue
        narrowed = _narrow(rule, rows, present, cap)
        if narrowed and narrowed not in chosen:
            chosen.append(narrowed)
    return chosen


def _narrow(rule: tuple, rows: list[dict], present: set, cap: float) -> tuple | None:
    """The rule, or the rule with REFINERS added, asking for at most `cap` pairs; else None."""
    extra = [c for c in REFINERS if c in present and c not in rule]
    for n in range(len(extra) + 1):
        candidate = rule + tuple(extra[:n])
        if pairs_asked(rows, candidate) <= cap:
            return candidate
    return None


def pairs_asked(rows: list[dict], rule: tuple) -> int:
    """How many pairs a blocking rule on these columns generates (all must be filled in)."""
    groups = Counter(tuple(r[c] for c in rule) for r in rows
                     if all(r[c] is not None for c in rule))
    return sum(n * (n - 1) // 2 for n in groups.values())


def _comparisons(present: set, engine: str) -> list[dict | None]:
    d = _DIALECTS[engine]
    q = d["q"]

    def col(name, side):
        return f"{q}{name}_{side}{q}"

    def null(name):
        return {"sql_condition": f"{col(name, 'l')} IS NULL OR {col(name, 'r')} IS NULL",
                "label_for_charts": "missing", "is_null_level": True}

    def level(label, sql):
        return {"sql_condition": sql, "label_for_charts": label}

    def exact(name, label="exact"):
        return level(label, f"{col(name, 'l')} = {col(name, 'r')}")

    def jw(name, threshold):
        return level(f"Jaro-Winkler >= {threshold}",
                     f"{d['jw']}({col(name, 'l')}, {col(name, 'r')}) >= {threshold}")

    def lev(name, most, label):
        return level(label, f"levenshtein({col(name, 'l')}, {col(name, 'r')}) <= {most}")

    different = level("different", "ELSE")
    swapped = level("swapped with the other name",
                    f"{col('given_name', 'l')} = {col('family_name', 'r')} AND "
                    f"{col('family_name', 'l')} = {col('given_name', 'r')}")
    both_names = {"given_name", "family_name"} <= present
    # A short forename's typing slip (amy / aym, roy / ryo) is far below Jaro-Winkler 0.8, and
    # a short form missing from the nickname table is often inside the full name (tash /
    # natasha, bella / isabella). Left at "different", both carried the twins' veto.
    slip = level("one typing slip (short name)",
                 f"{d['dl']}({col('given_name', 'l')}, {col('given_name', 'r')}) <= 1")
    within = level(
        "one name inside the other",
        f"least(length({col('given_name', 'l')}), length({col('given_name', 'r')})) >= 3 AND "
        f"(instr({col('given_name', 'l')}, {col('given_name', 'r')}) > 0 OR "
        f"instr({col('given_name', 'r')}, {col('given_name', 'l')}) > 0)")

    def comparison(name, levels, needs=None):
        if (needs or name) not in present:
            return None
        return {"output_column_name": name, "comparison_description": name,
                "comparison_levels": [lv for lv in levels if lv]}

    def tokens(a, b):
        return f"{d['split']}({col('address_tokens', a)}, ' ')", \
            f"{d['split']}({col('address_tokens', b)}, ' ')"

    left, right = tokens("l", "r")
    # Dice coefficient of the two sets of words >= 0.5: 4 x common >= words on both sides.
    overlap = (f"{d['size']}({d['inter']}({left}, {right})) * 4 >= "
               f"{d['size']}({left}) + {d['size']}({right})")
    sector = "postcode_sector" in present
    return [
        comparison("given_name", [
            null("given_name"), exact("given_name"),
            exact("given_canon", "same usual name (nickname)"),
            swapped if both_names else None, jw("given_name", 0.92), slip, jw("given_name", 0.8),
            within, different]),
        comparison("family_name", [
            null("family_name"), exact("family_name"), swapped if both_names else None,
            jw("family_name", 0.92), jw("family_name", 0.8), different]),
        comparison("dob", [
            null("dob"), exact("dob"),
            level("day and month transposed",
                  f"{col('dob', 'l')} = {col('dob_swapped', 'r')} OR "
                  f"{col('dob_swapped', 'l')} = {col('dob', 'r')}"),
            lev("dob", 1, "one character different"),
            level("one day apart",
                  f"abs(datediff('day', cast({col('dob', 'l')} AS DATE), "
                  f"cast({col('dob', 'r')} AS DATE))) <= 1" if engine == "duckdb" else
                  f"abs(datediff(cast({col('dob', 'l')} AS DATE), "
                  f"cast({col('dob', 'r')} AS DATE))) <= 1"),
            level("same day and month, year +-1",
                  f"substr({col('dob', 'l')}, 6) = substr({col('dob', 'r')}, 6) AND "
                  f"abs(cast(substr({col('dob', 'l')}, 1, 4) AS INTEGER) - "
                  f"cast(substr({col('dob', 'r')}, 1, 4) AS INTEGER)) <= 1"),
            lev("dob", 2, "two characters different"), different]),
        comparison("postcode", [
            null("postcode"), exact("postcode"), lev("postcode", 1, "one character different"),
            exact("postcode_sector", "same postcode sector") if sector else None,
            exact("postcode_outward", "same outward code") if sector else None,
            different]),
        comparison("address", [
            null("address"), exact("address"), jw("address", 0.9),
            level("half the words or more in common", overlap), different]),
        comparison("town", [null("town"), exact("town"), jw("town", 0.88), different]),
        comparison("phone", [null("phone"), exact("phone"),
                             lev("phone", 1, "one digit different"), different]),
        # An address typed with a slip (gmial.com, jsmtih@), or the same name at another
        # provider (amy.jones@gmail.com, amy.jones@hotmail.co.uk).
        comparison("email", [null("email"), exact("email"),
                             level("one typing slip",
                                   f"{d['dl']}({col('email', 'l')}, {col('email', 'r')}) <= 1"),
                             exact("email_local", "same name before the @"),
                             level("two typing slips",
                                   f"{d['dl']}({col('email', 'l')}, {col('email', 'r')}) <= 2"),
                             different]),
        comparison("nhs_number", [null("nhs_number"), exact("nhs_number"), different]),
        comparison("sex", [null("sex"), exact("sex"), different]),
    ]


def count_home_once(model_json: dict, engine: str = "duckdb") -> dict:
    """The trained model scoring a home once, for a file of households (records_households).

    A family's children share the address and the postcode, and a family that moves changes
    both: added up as independent fields, every brother and sister at one address scored as
    a match (0.93 in the synthetic city, 13,000 pairs in the review file, which drew the
    chosen thresholds and the prior with them) and a move counted twice against. So when the
    address and postcode agree, the address alone counts; when the postcodes differ and the
    addresses are not alike, the postcode alone counts. Only the missing levels' conditions
    change: m and u stay as trained on each field alone, so a postcode beside a missing
    address keeps its full weight.
    """
    by_name = {c["output_column_name"]: c for c in model_json["comparisons"]}
    postcode, address = by_name.get("postcode"), by_name.get("address")
    if postcode is None or address is None:
        return model_json
    q = _DIALECTS[engine]["q"]
    pc_l, pc_r, ad_l, ad_r = (f"{q}{n}_{s}{q}" for n in ("postcode", "address") for s in "lr")
    alike = " OR ".join(f"({lv['sql_condition']})" for lv in address["comparison_levels"]
                        if not lv.get("is_null_level") and lv["sql_condition"] != "ELSE")
    _widen_missing(postcode, f"({ad_l} = {ad_r} AND {pc_l} = {pc_r})",
                   "missing, or counted in the same address")
    _widen_missing(address, f"({pc_l} <> {pc_r} AND NOT ({alike}))",
                   "missing, or counted in the postcodes differing")
    return model_json


def _widen_missing(comparison: dict, also: str, label: str) -> None:
    level = next(lv for lv in comparison["comparison_levels"] if lv.get("is_null_level"))
    level["sql_condition"] = f"{level['sql_condition']} OR {also}"
    level["label_for_charts"] = label


def reliable(model_json: dict, name: str, label: str = "different") -> bool:
    """Whether the same person's records in this file rarely reach `label` on `name`."""
    for comparison in model_json["comparisons"]:
        if comparison["output_column_name"] != name:
            continue
        for level in comparison["comparison_levels"]:
            if level.get("label_for_charts") == label:
                return level.get("m_probability", 1.0) < RELIABLE_M
    return False


def gamma_of(comparison: dict, label: str) -> int | None:
    levels = comparison["comparison_levels"]
    value = sum(1 for lv in levels if not lv.get("is_null_level")) - 1
    for lv in levels:
        if lv.get("is_null_level"):
            continue
        if lv["label_for_charts"] == label:
            return value
        value -= 1
    return None


def _blocking_rule(rule):
    return _SWAP_RULE if rule == "swap" else block_on(*rule)


def settings(chosen: FileModel) -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=chosen.comparisons,
        blocking_rules_to_generate_predictions=[_blocking_rule(r) for r in chosen.blocking],
        retain_matching_columns=True,  # Splink keeps the gamma_ columns only with these
        retain_intermediate_calculation_columns=False,
    )


def linker_for(rows: list[dict], chosen: FileModel, *, model: dict | None = None,
               engine: str = "duckdb", memory_limit: str | None = None) -> Linker:
    """A linker over the rows: untrained, or with a trained model's parameters."""
    schema = pa.schema([("unique_id", pa.string())] + [(c, pa.string()) for c in COLUMNS])
    db_api = linkage_model._db_api(engine, memory_limit)
    frame = db_api.register(pa.Table.from_pylist(rows, schema=schema),
                            dataset_display_name="records")
    return Linker(frame, model or settings(chosen), log_level=logging.ERROR)


def release(linker: Linker) -> None:
    """Drop the linker's tables and close its DuckDB connection now, not when Python gets
    round to it: a trained linker's copy of the records and its caches (1.5 GB at 540,000
    records) otherwise sat beside the scoring linker's, and each connection has its own
    memory limit."""
    db_api = linker._db_api  # Splink 5 keeps its engine here; Linker has no public handle
    db_api.delete_tables_created_by_splink_from_db()
    connection = getattr(db_api, "duckdb_con", None)
    if connection is not None:
        connection.close()


def train(linker: Linker, chosen: FileModel, rows: list[dict], *, u_max_pairs: float = 5e6,
          seed: int = 1) -> dict:
    """Prior, u and m on the file's own records; untrained comparisons are noted."""
    present = present_columns(rows)
    deterministic = [r for r in DETERMINISTIC_CANDIDATES if set(r) <= present]
    training = linker.training
    if deterministic:
        training.estimate_probability_two_random_records_match(
            [block_on(*r) for r in deterministic], recall=linkage_model.DETERMINISTIC_RECALL)
    linkage_model.at_least_one_pair(linker, len(rows))
    training.estimate_u_using_random_sampling(max_pairs=u_max_pairs, seed=seed)
    skipped = []
    for number, rule in enumerate(chosen.training):
        if number >= 2 and not untrained(linker):
            break
        if not _em(linker, rule):
            skipped.append("+".join(rule))
    linkage_model.at_least_one_pair(linker, len(rows))  # EM can take it to 0 again
    left = untrained(linker)
    if left:
        chosen.notes.append(
            f"not enough pairs to learn how {', '.join(left)} tell people apart: "
            f"{'those fields are' if len(left) > 1 else 'that field is'} not used"
            + (f" (training on {', '.join(skipped)} found nothing to learn from)" if skipped
               else ""))
    return linker.misc.save_model_to_json()


def untrained(linker: Linker) -> list[str]:
    saved = linker.misc.save_model_to_json()["comparisons"]
    return [c["output_column_name"] for c in saved
            if not any("m_probability" in level for level in c["comparison_levels"])]


def _em(linker: Linker, rule: tuple) -> bool:
    before = linker._settings_obj.core_model_settings.copy()
    try:
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on(*rule), estimate_without_term_frequencies=True)
        return True
    except (ValueError, EMTrainingException, SplinkException) as exc:
        # Splink 5.0 cuts the blocked comparison out before it refuses (an m driven to 0, or
        # no pair agreeing on the rule): put the settings back, the other sessions go on.
        # A rule that fixes every comparison (a file of names alone, trained on the names)
        # leaves Splink nothing to select, and its SQL fails: skipped the same way.
        linker._settings_obj.core_model_settings = before
        log.debug("link-file training on %s skipped: %s", "+".join(rule), exc)
        return False


def without(chosen: FileModel, names: list[str]) -> FileModel:
    """The same choice without the named comparisons (left untrained)."""
    return FileModel([c for c in chosen.comparisons if c["output_column_name"] not in names],
                     chosen.blocking, chosen.training, chosen.notes,
                     households=chosen.households)


@dataclass(slots=True)  # a large file's decisions hold millions (file_scores)
class Pair:
    """Two records scored: weight, probability and each comparison's level."""

    left: str
    right: str
    match_weight: float
    match_probability: float
    gammas: dict[str, int]
    # The two forenames are one name by the file's own evidence (learn_nicknames).
    nickname: bool = False


def learn_nicknames(pairs: list[Pair], rows: list[dict], chosen: FileModel,
                    link_at: float) -> list[tuple[str, str]]:
    """Forename pairs this file shows to be one name, marked on every pair that has them.

    A nickname table never holds every short form (kai / malachi, ibby / ibrahim). Where the
    different-forename veto is in force, a pair likely enough to link but for that veto is
    either a twin or one person under two forenames. Twins' forenames are two names drawn
    for one family; one person's short form recurs: the same two forenames held back in
    NICKNAME_FAMILIES families or more (by surname) are one name.
    """
    if "given_name" not in chosen.in_force:
        return []
    given = {r["unique_id"]: r["given_name"] for r in rows}
    family = {r["unique_id"]: r["family_name"] for r in rows}
    families: dict[tuple[str, str], set] = {}
    for pair in pairs:
        if pair.match_probability < link_at or not chosen.vetoed(pair.gammas):
            continue
        if chosen.vetoed(pair.gammas, nickname=True):
            continue  # held by another veto as well
        names = tuple(sorted((given[pair.left] or "", given[pair.right] or "")))
        families.setdefault(names, set()).update(
            f for f in (family[pair.left], family[pair.right]) if f)
    learned = sorted(n for n, f in families.items() if all(n) and len(f) >= NICKNAME_FAMILIES)
    if learned:
        known = set(learned)
        for pair in pairs:
            pair.nickname = tuple(sorted((given[pair.left] or "", given[pair.right] or ""))) \
                in known
    return learned
