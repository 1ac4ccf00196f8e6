"""Repositories: the only code that writes SQL for the tables in `models/`."""
