"""The model registry on each database: migration 0004 equals the table model; stages and
versions behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

import joblib
import numpy as np
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sklearn.linear_model import LogisticRegression

from aitrader.ml.model_metadata import ModelMetadata, write_sidecar
from aitrader.runtime.ml_wiring import open_model_registry
from aitrader.storage import ml_models
from aitrader.storage.migrate import upgrade_to_head
from aitrader.storage.models import Base


def test_the_migrated_registry_table_equals_its_model(registry_db_url) -> None:
    engine = upgrade_to_head(registry_db_url)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = [d for d in compare_metadata(ctx, Base.metadata)
                if ml_models.ModelVersionRow.__tablename__ in str(d)]
    assert diff == []
    engine.dispose()


def test_versions_and_stages_round_trip(registry_db_url, tmp_path) -> None:
    reg = open_model_registry(registry_db_url, tmp_path / "store")
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 2))
    meta = ModelMetadata(name="pg_model", format="sklearn", feature_names=["a", "b"],
                         classes=[0, 1], metrics={"log_loss": 0.69}, data_start_ns=1,
                         data_end_ns=2**62)
    for c in (1.0, 0.1):
        path = tmp_path / f"m{c}.joblib"
        joblib.dump(LogisticRegression(C=c).fit(x, (x[:, 0] > 0).astype(int)), path)
        write_sidecar(path, meta)
        reg.register_file(path, trusted=True)
    reg.promote("pg_model", 1, "production")
    reg.promote("pg_model", 2, "production")
    versions = reg.list("pg_model")
    assert [(v.version, v.stage) for v in versions] == [(1, "archived"), (2, "production")]
    assert versions[1].data_end_ns == 2**62 and versions[1].metrics == {"log_loss": 0.69}
    assert versions[1].metadata.feature_names == ["a", "b"]
