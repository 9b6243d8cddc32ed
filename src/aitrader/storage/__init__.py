"""Storage adapters: SQLAlchemy 2 models, repositories, Alembic migrations, bar files and the
parquet store. May import every lower tier."""
