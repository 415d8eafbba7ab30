"""The same batch linkage on Splink's Spark backend, in Spark local mode (slow: starts a JVM)."""

import importlib.util
import os
import shutil

import pytest

from saferoptions.linkage import batch, synthetic

from .factories import TODAY

pytestmark = [
    pytest.mark.slow,
    # A JVM and Spark's many small jobs take minutes on two cores: run it on purpose only.
    pytest.mark.skipif(os.environ.get("SAFEROPTIONS_SPARK_TESTS") != "1",
                       reason="Spark local-mode test: set SAFEROPTIONS_SPARK_TESTS=1 to run it"),
    pytest.mark.skipif(importlib.util.find_spec("pyspark") is None,
                       reason="pyspark is not installed (the optional 'spark' extra)"),
    pytest.mark.skipif(shutil.which("java") is None, reason="Java 17+ is not installed"),
]


def test_spark_links_like_duckdb():
    records = synthetic.generate(people=60, seed=8, today=TODAY)
    on_spark = batch.link_records(records, engine="spark", today=TODAY, u_max_pairs=1e5)
    on_duckdb = batch.link_records(records, engine="duckdb", today=TODAY, u_max_pairs=1e5)
    from pyspark.sql import SparkSession  # noqa: PLC0415 optional extra, skipped when absent

    SparkSession.getActiveSession().stop()
    assert on_spark.splink_model["sql_dialect"] == "spark"

    def groups(result):
        members = {}
        for record_id, root in result.cluster_of.items():
            members.setdefault(root, set()).add(record_id)
        return {frozenset(m) for m in members.values()}

    same = groups(on_spark) & groups(on_duckdb)
    assert len(same) >= 0.95 * len(groups(on_duckdb))
