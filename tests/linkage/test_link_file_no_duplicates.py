"""A file that holds each person once (a clean list, the commonest file an analyst checks).

No two records agreed on a deterministic rule, so the prior came out as exactly no match,
which has no match weight: link-file stopped with "unexpected ValueError" on every such file.
"""

import io

from saferoptions.linkage import batch, linkfile, synthetic

from .test_link_file import COLUMNS, read_csv, write_csv


def each_person_once(people: int, seed: int) -> list[dict]:
    seen, out = set(), []
    for record in synthetic.generate(people=people, seed=seed):
        if record["true_person_key"] not in seen:
            seen.add(record["true_person_key"])
            out.append(record)
    return out


def test_a_file_of_distinct_people_is_linked_not_stopped(tmp_path):
    records = each_person_once(120, seed=5)
    source = write_csv(tmp_path / "in.csv", records, COLUMNS)
    said = io.StringIO()
    code = linkfile.run(linkfile.parser().parse_args([str(source), str(tmp_path / "out.csv")]),
                        out=said)
    assert code == 0
    rows = read_csv(tmp_path / "out.csv")
    assert [r["record_id"] for r in rows] == [r["record_id"] for r in records]
    # Twins at one address may still look alike to a model with nothing to learn from.
    assert len({r["person_id"] for r in rows}) >= 0.97 * len(records)
    assert f"{len(records)} records" in said.getvalue()


def test_the_apps_batch_linkage_takes_records_of_distinct_people():
    # The same for the app's own batch run: a first agency's list, each child once.
    records = each_person_once(120, seed=6)
    result = batch.link_records(records, u_max_pairs=1e5)
    assert len(set(result.cluster_of.values())) >= 0.97 * len(records)
