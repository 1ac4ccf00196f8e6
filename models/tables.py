"""Imports every table module so that `Base.metadata` is complete (migrations, tests)."""

from __future__ import annotations

from models import case, jobs, messaging, organisation, responsibility
from models.base import Base

__all__ = ["Base", "case", "jobs", "messaging", "organisation", "responsibility"]
