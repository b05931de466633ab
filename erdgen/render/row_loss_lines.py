"""The rows a copy may leave behind, said under its "data changed" line: a filtered
``INSERT ... SELECT`` (``core.row_loss``) is no copy of every row, and its columns are not
called copied (``core.lineage``), so the page says which rows it kept and flags the rest."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from erdgen.core.row_loss import RowLoss, row_losses
from erdgen.model import Action, Step
from erdgen.render.change_lines import ChangeGroup, ChangeLine
from erdgen.render.markdown import code


def loss_lines(losses: Sequence[RowLoss]) -> tuple[ChangeLine, ...]:
    """One destructive line per way rows were left behind (``change.rows_<kind>``)."""
    return tuple(
        ChangeLine(f"rows_{loss.kind}", _params(loss), destructive=True) for loss in losses
    )


def _params(loss: RowLoss) -> dict[str, str]:
    return {"sql": code(loss.sql)} if loss.sql else {}


def with_row_losses(lines: Sequence[ChangeLine], step: Step) -> tuple[ChangeLine, ...]:
    """``lines`` with the row losses under each data line of a filtered copy (a data line's
    subject is its statement's location, ``change_lines.change_line``)."""
    lossy = {
        str(change.location): losses
        for change in step.changes
        if change.action is Action.DATA and (losses := row_losses(change.statement))
    }
    if not lossy:
        return tuple(lines)
    return tuple(
        replace(line, details=(*line.details, *loss_lines(lossy[line.subject])))
        if line.kind == "data" and line.subject in lossy
        else line
        for line in lines
    )


def groups_with_row_losses(groups: Sequence[ChangeGroup], step: Step) -> tuple[ChangeGroup, ...]:
    return tuple(replace(group, lines=with_row_losses(group.lines, step)) for group in groups)
