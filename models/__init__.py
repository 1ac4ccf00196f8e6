"""Persistence and domain state: ORM tables, the pure case lifecycle, list import, migrations."""
