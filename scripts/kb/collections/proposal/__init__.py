"""提案, CPPCC proposals: one page per proposal (docs/proposals/<slug>.md), only what the
committee's records say, listed by year and handling status; `kb import proposals` reads the
office's list (sheet.py, commands.py)."""

from __future__ import annotations

from ...content.collection import Extension
from . import commands
from .model import PROPOSAL, PROPOSAL_STATUS, PROPOSER_KIND, SATISFACTION, Proposal, check_proposal_numbers

COLLECTIONS = (PROPOSAL,)
EXTENSION = Extension(checks=(check_proposal_numbers,), commands=commands.register)

__all__ = ["COLLECTIONS", "EXTENSION", "PROPOSAL", "PROPOSAL_STATUS", "PROPOSER_KIND", "SATISFACTION", "Proposal"]
