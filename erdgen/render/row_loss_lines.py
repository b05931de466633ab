"""The rows a copy left behind, in words: the model carries them on the change that lost
them (``Change.rows_lost``, ``ColumnCopy.rows_lost``, set by ``core.lineage``), so a page
reads them from there and never from the statement again. A column copied by a filtered
copy reads as copied, but only for the rows the copy kept."""

from __future__ import annotations

from collections.abc import Sequence

from erdgen.model import Change, ColumnCopy, IdentifierRule, RowLoss
from erdgen.render.key_lines import ChangeLine
from erdgen.render.markdown import code


def loss_lines(losses: Sequence[RowLoss], destructive: bool = True) -> tuple[ChangeLine, ...]:
    """One line per way rows were left behind (``change.rows_<kind>``)."""
    return tuple(
        ChangeLine(f"rows_{loss.kind}", _params(loss), destructive=destructive) for loss in losses
    )


def data_line(change: Change) -> ChangeLine:
    """A data change; a ``DELETE`` or ``TRUNCATE`` says which rows it deleted for good
    (``data_deleted_all``, ``data_deleted_where``), marked destructive."""
    params = {"verb": code(change.verb or "SQL")}
    kind = f"data_{change.rows_lost[0].kind}" if change.rows_lost else "data"
    if change.rows_lost and change.rows_lost[0].sql:
        params["sql"] = code(change.rows_lost[0].sql)
    return ChangeLine(
        kind, params, destructive=bool(change.rows_lost), bucket="data_changes",
        subject=str(change.location),
    )  # fmt: skip


def _params(loss: RowLoss) -> dict[str, str]:
    return {"sql": code(loss.sql)} if loss.sql else {}


def copied_line(
    name: str, into: str, moved: Sequence[ColumnCopy], names: IdentifierRule
) -> ChangeLine:
    """A removed column whose values ``moved`` carried into ``into`` (Markdown): all of
    them, or, when every copy was filtered, those of the rows kept (one ``WHERE``: said in
    the line; other ways: the line, and each way below it)."""
    kind = "column_copied" if all(c.as_is for c in moved) else "column_derived"
    params = {"column": code(name), "into": into}
    subject = names.key(name)
    if not all(c.rows_lost for c in moved):  # one copy carried every row
        return ChangeLine(kind, params, bucket="columns_dropped", subject=subject)
    losses = tuple(dict.fromkeys(loss for c in moved for loss in c.rows_lost))
    if len(losses) == 1 and losses[0].kind == "where":
        params["sql"] = code(losses[0].sql)
        return ChangeLine(
            f"{kind}_where", params, destructive=True, bucket="columns_dropped", subject=subject
        )
    details = loss_lines(losses, destructive=False)  # the line itself is marked
    return ChangeLine(
        f"{kind}_partly", params, details, destructive=True, bucket="columns_dropped",
        subject=subject,
    )  # fmt: skip
