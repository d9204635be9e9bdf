"""Splink on Spark, for data that outgrows one machine (local mode in tests)."""

from __future__ import annotations

import tempfile
from typing import Any

import pyarrow as pa

from unweave.errors import ConfigError
from unweave.resolve.backends.base import Backend
from unweave.resolve.features import COLUMNS


def _spark_session(master: str = "local[2]") -> Any:
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ConfigError(
            "the Spark engine needs pyspark", hint="pip install -e '.[spark]'"
        ) from exc
    from splink.backends.spark import similarity_jar_location

    return (
        SparkSession.builder.master(master)
        .appName("unweave-resolve")
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "2g")
        .config("spark.sql.warehouse.dir", tempfile.mkdtemp(prefix="unweave-spark-"))
        .getOrCreate()
    )


class SparkBackend(Backend):
    name = "spark"

    def __init__(self, session: Any = None) -> None:
        super().__init__()
        self._session = session

    @property
    def session(self) -> Any:
        if self._session is None:
            self._session = _spark_session()
        return self._session

    def _make_db_api(self) -> Any:
        from splink.backends.spark import SparkAPI

        return SparkAPI(spark_session=self.session, break_lineage_method="persist")

    def _to_table(self, frame: pa.Table) -> Any:
        from pyspark.sql.types import ArrayType, StringType, StructField, StructType

        schema = StructType(
            [
                StructField(col, ArrayType(StringType()) if kind == "list" else StringType(), True)
                for col, kind in COLUMNS.items()
            ]
        )
        rows = [tuple(row[c] for c in COLUMNS) for row in frame.to_pylist()]
        return self.session.createDataFrame(rows, schema=schema)
