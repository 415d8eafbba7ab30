"""What `link-file` writes: who is who, the unsure pairs, and a self-contained report page.

The files hold partners' names and addresses, opened in a spreadsheet or a browser: every CSV
cell goes through the project's one safe writer (formula-leading text written as text) and
every value on the page through `safe_cell` and HTML escaping. The page loads nothing from
anywhere (no script, no font, no image but inline SVG).
"""

import html
from pathlib import Path

from saferoptions.core.exports import csv_writer, safe_cell

from . import file_linking
from .file_fields import FIELDS
from .model import contributions

LINK_COLUMNS = ("record_id", "person_id", "match_probability")
SAMPLE_EACH_SIDE = 15
# The review and rejects files are read by people in Excel, which takes a UTF-8 file without
# a byte-order mark for Windows-1252 (Zoë shown as ZoÃ«); OUT is read back by programs.
FOR_PEOPLE = "utf-8-sig"


def write_links(path: Path, rows: list[dict], result) -> None:
    """One line per input record: its person (a cluster number) and best link probability."""
    person_ids: dict[str, str] = {}
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv_writer(out)
        writer.writerow(LINK_COLUMNS)
        for row in rows:
            cluster = result.cluster_of[row["record_id"]]
            person = person_ids.setdefault(cluster, f"P{len(person_ids) + 1}")
            probability = result.best_link.get(row["record_id"])
            writer.writerow([row["record_id"], person,
                             "" if probability is None else f"{probability:.6f}"])


def write_rejects(path: Path, sheet) -> None:
    """Rows that could not be linked, as the file had them, with their row number and reason."""
    with path.open("w", newline="", encoding=FOR_PEOPLE) as out:
        writer = csv_writer(out)
        writer.writerow(["row", "reason", *sheet.header])
        for reject in sheet.rejects:
            writer.writerow([reject["row"], reject["reason"], *reject["values"]])


def _comparison_names(result) -> list[str]:
    return result.chosen.comparison_names() if result.chosen else []


def review_header(result) -> list[str]:
    names = _comparison_names(result)
    return (["match_probability", "match_weight", "left_record_id", "right_record_id"]
            + [f"{side}_{f}" for f in FIELDS for side in ("left", "right")]
            + [f"{n}_{part}" for n in names for part in ("level", "weight")])


def review_line(pair, by_id: dict, result) -> list:
    left, right = by_id[pair.left], by_id[pair.right]
    # Numbers stay numbers (a negative weight as text would be guarded like a formula). A
    # file too small to fit a model to has no probability or weight to give (file_small).
    scored = result.weights is not None
    line = [round(pair.match_probability, 6) if scored else "",
            round(pair.match_weight, 3) if scored else "", pair.left, pair.right]
    line += [record[f] for f in FIELDS for record in (left, right)]
    parts = contributions(result.weights, pair.gammas) if scored else {}
    for name in _comparison_names(result):
        weight = parts[name]["match_weight"]
        line += [parts[name]["label"], "" if weight is None else round(weight, 3)]
    return line


def write_review(path: Path, by_id: dict, result) -> None:
    """Every unsure pair, strongest first: both records, probability, each field's weight."""
    with path.open("w", newline="", encoding=FOR_PEOPLE) as out:
        writer = csv_writer(out)
        writer.writerow(review_header(result))
        for pair in result.unsure:
            writer.writerow(review_line(pair, by_id, result))


def _e(value) -> str:
    return html.escape(str(safe_cell(value if value is not None else "")))


def write_report(path: Path, by_id: dict, result) -> None:
    path.write_text(report_html(by_id, result), encoding="utf-8")


def report_html(by_id: dict, result) -> str:
    """The page: thresholds and how they were chosen, the model, the curve, pairs around it."""
    sections = [_summary(result)]
    if result.weights:
        sections += [_model_table(result), _curve(result), _sample(by_id, result)]
    return ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            "<title>link-file report</title><style>" + _CSS + "</style></head><body>"
            "<h1>link-file report</h1>" + "".join(sections) + "</body></html>\n")


_CSS = ("body{font-family:Arial,sans-serif;margin:2em;color:#0b0c0c}"
        "table{border-collapse:collapse;margin-bottom:2em}"
        "td,th{border:1px solid #b1b4b6;padding:4px 8px;text-align:left;vertical-align:top}"
        "th{background:#f3f2f1}.num{text-align:right}")


def _summary(result) -> str:
    t = result.thresholds
    persons = len(set(result.cluster_of.values()))
    items = [f"{len(result.cluster_of)} records, {persons} persons",
             f"{len(result.unsure)} unsure pair{'' if len(result.unsure) == 1 else 's'} "
             "(review file)"]
    if t:
        items += [f"linked at match probability &ge; {t.link:.4f}; unsure from {t.review:.4f} "
                  f"({_e(t.how)})",
                  f"expected precision of links {t.expected_precision}, expected recall "
                  f"{t.expected_recall}, with unsure pairs {t.expected_recall_with_unsure}"]
    items += [f"note: {_e(n)}" for n in result.notes]
    return "<h2>Summary</h2><ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def _model_table(result) -> str:
    w = result.weights
    rows = [f"<tr><td>prior</td><td>two records picked at random are the same person</td>"
            f"<td class='num'></td><td class='num'>{w['prior_match_weight']:.2f}</td></tr>"]
    for name, levels in w["comparisons"].items():
        for gamma, level in sorted(levels.items(), key=lambda kv: -kv[0]):
            bf = level["bayes_factor"]
            weight = contributions(w, {name: gamma})[name]["match_weight"]
            rows.append(f"<tr><td>{_e(name)}</td><td>{_e(level['label'])}</td>"
                        f"<td class='num'>{bf:.4g}</td>"
                        f"<td class='num'>{'' if weight is None else f'{weight:.2f}'}</td></tr>")
    return ("<h2>The trained model</h2><table><tr><th>Field</th><th>Level</th>"
            "<th>Bayes factor</th><th>Match weight (log2)</th></tr>" + "".join(rows)
            + "</table>")


def _curve(result) -> str:
    points = file_linking.curve(result.scored.probability if result.scored else [])
    width, height = 480, 200
    xs = [i * width / (len(points) - 1) for i in range(len(points))]

    def line(key, colour):
        coords = " ".join(f"{x:.0f},{height - p[key] * height:.0f}"
                          for x, p in zip(xs, points, strict=True))
        return f"<polyline fill='none' stroke='{colour}' stroke-width='2' points='{coords}'/>"

    svg = (f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height + 20}' "
           "role='img' aria-label='expected precision (black) and recall (blue) by threshold'>"
           f"<rect width='{width}' height='{height}' fill='#f3f2f1'/>"
           + line("expected_precision", "#0b0c0c") + line("expected_recall", "#1d70b8")
           + "</svg>")
    rows = "".join(f"<tr><td class='num'>{p['threshold']}</td><td class='num'>{p['pairs']}</td>"
                   f"<td class='num'>{p['expected_precision']}</td>"
                   f"<td class='num'>{p['expected_recall']}</td></tr>" for p in points)
    return ("<h2>Threshold curve</h2><p>Expected precision (black) and recall (blue) of the "
            "links at each threshold, from the model's own probabilities.</p>" + svg
            + "<table><tr><th>Threshold</th><th>Pairs at or above</th><th>Expected precision"
              "</th><th>Expected recall</th></tr>" + rows + "</table>")


def _sample(by_id: dict, result) -> str:
    link_at = result.thresholds.link
    near = result.scored.around(link_at, SAMPLE_EACH_SIDE) if result.scored else []
    ordered = sorted(near, key=lambda p: p.match_probability)
    below = [p for p in ordered if p.match_probability < link_at][-SAMPLE_EACH_SIDE:]
    above = [p for p in ordered if p.match_probability >= link_at][:SAMPLE_EACH_SIDE]
    header = review_header(result)
    body = "".join(
        "<tr>" + "".join(f"<td>{_e(c)}</td>" for c in review_line(p, by_id, result)) + "</tr>"
        for p in below + above)
    return ("<h2>Pairs around the link threshold</h2><p>The "
            f"{len(below)} highest pairs below it and the {len(above)} lowest at or above it."
            "</p><table><tr>" + "".join(f"<th>{_e(h)}</th>" for h in header) + "</tr>"
            + body + "</table>")
