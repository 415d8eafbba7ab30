"""Splink's Spark backend, for partnerships whose identities outgrow one machine (docs/scaling.md).

Optional: needs `pyspark` (the `spark` extra) and Java 17 or later. Without a cluster address
(`SAFEROPTIONS_SPARK_MASTER`, e.g. spark://host:7077) Spark runs in local mode on this machine.
Splink's own jar provides the Jaro-Winkler function; nothing is downloaded at run time.
"""

import logging
import os
import tempfile

from .model import EngineUnavailable


def spark_session():
    """A Spark session with Splink's similarity functions on the class path."""
    try:
        # Optional (the spark extra): imported only when a Spark run is asked for.
        from pyspark.sql import SparkSession  # noqa: PLC0415
        from splink.backends.spark import similarity_jar_location  # noqa: PLC0415
    except ImportError:
        raise EngineUnavailable(
            "the spark engine needs pyspark (install the 'spark' extra) and Java 17"
        ) from None
    builder = (
        SparkSession.builder.master(os.environ.get("SAFEROPTIONS_SPARK_MASTER", "local[2]"))
        .appName("saferoptions-linkage")
        .config("spark.jars", similarity_jar_location())
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions",
                os.environ.get("SAFEROPTIONS_SPARK_PARTITIONS", "8"))
        .config("spark.driver.memory", os.environ.get("SAFEROPTIONS_SPARK_DRIVER_MEMORY", "2g"))
    )
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # Java missing or too old surfaces as a gateway error
        raise EngineUnavailable(f"Spark could not start ({exc.__class__.__name__}); "
                                "is Java 17 or later installed?") from None
    session.sparkContext.setLogLevel("ERROR")
    # py4j logs its shutdown at INFO after the interpreter has closed the log stream, which
    # prints a "closed file" traceback at exit; its warnings and errors still show.
    logging.getLogger("py4j").setLevel(logging.WARNING)
    session.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="saferoptions-spark-"))
    return session


def spark_db_api():
    """Splink's SparkAPI on the session."""
    from splink import SparkAPI  # noqa: PLC0415 it needs pyspark, which is optional

    return SparkAPI(spark_session=spark_session())
