"""提案, CPPCC proposals: one page per proposal (docs/proposals/<slug>.md), only what the
committee's records say, listed by year and handling status; `kb import proposals` reads the
office's list (sheet.py, commands.py)."""

from __future__ import annotations

from ...content.collection import Extension
from .model import PROPOSAL, PROPOSAL_STATUS, PROPOSER_KIND, SATISFACTION, Proposal, check_proposal_numbers

COLLECTIONS = (PROPOSAL,)


def _commands(groups, context) -> None:
    from . import commands  # the command line's only: a build does not load them

    commands.register(groups, context)


EXTENSION = Extension(checks=(check_proposal_numbers,), commands=_commands)

__all__ = ["COLLECTIONS", "EXTENSION", "PROPOSAL", "PROPOSAL_STATUS", "PROPOSER_KIND", "SATISFACTION", "Proposal"]
