"""Reviews of findings: a reviewer confirms or dismisses a finding with a
note, or reopens it. Every review is kept (who said what, when); the latest
one per finding is its state, and a finding never reviewed is open.
Dismissed findings stop counting: `counts` leaves them out."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, func, insert, select

from . import schema

STATUSES = ("open", "confirmed", "dismissed")


class UnknownFinding(LookupError):
    """No finding has this id."""


@dataclass(frozen=True)
class Review:
    status: str
    note: str | None = None
    reviewer: str | None = None
    updated_at: dt.datetime | None = None


OPEN = Review("open")


def _connected(bind: Engine | Connection, work, write: bool = False):
    if isinstance(bind, Engine):
        with bind.begin() if write else bind.connect() as connection:
            return work(connection)
    return work(bind)


def set_review(bind: Engine | Connection, finding_id: int, status: str, note: str | None = None,
               reviewer: str | None = None) -> Review:
    """Record a review; `status` "open" reopens the finding."""
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")

    def work(connection: Connection) -> Review:
        if connection.scalar(select(schema.findings.c.id).where(schema.findings.c.id == finding_id)) is None:
            raise UnknownFinding(finding_id)
        review = Review(status, note or None, reviewer or None, dt.datetime.now(dt.timezone.utc))
        connection.execute(insert(schema.reviews).values(finding_id=finding_id, status=review.status,
                                                         note=review.note, reviewer=review.reviewer,
                                                         updated_at=review.updated_at))
        return review

    return _connected(bind, work, write=True)


def _latest():
    """The id of each finding's latest review (ids grow with time, and two
    reviews in one clock tick are still ordered)."""
    r = schema.reviews
    return select(r.c.finding_id, func.max(r.c.id).label("review_id")).group_by(r.c.finding_id).subquery()


def review_states(bind: Engine | Connection, document_id: int) -> dict[int, Review]:
    """Each reviewed finding's state in one document; absent ids are open."""
    r, f, latest = schema.reviews, schema.findings, _latest()
    q = (select(r.c.finding_id, r.c.status, r.c.note, r.c.reviewer, r.c.updated_at)
         .join(latest, latest.c.review_id == r.c.id)
         .join(f, f.c.id == r.c.finding_id)
         .where(f.c.document_id == document_id))
    return _connected(bind, lambda c: {row.finding_id: Review(row.status, row.note, row.reviewer, row.updated_at)
                                       for row in c.execute(q)})


def review_state(bind: Engine | Connection, finding_id: int) -> Review:
    r = schema.reviews
    q = (select(r.c.status, r.c.note, r.c.reviewer, r.c.updated_at).where(r.c.finding_id == finding_id)
         .order_by(r.c.id.desc()).limit(1))
    row = _connected(bind, lambda c: c.execute(q).first())
    return Review(row.status, row.note, row.reviewer, row.updated_at) if row else OPEN


def review_history(bind: Engine | Connection, finding_id: int) -> list[Review]:
    r = schema.reviews
    q = (select(r.c.status, r.c.note, r.c.reviewer, r.c.updated_at).where(r.c.finding_id == finding_id)
         .order_by(r.c.id))
    return _connected(bind, lambda c: [Review(*row) for row in c.execute(q)])


def counts(bind: Engine | Connection, document_id: int) -> dict[str, Counter]:
    """{"severity": Counter, "family": Counter of errors and warnings by family,
    "dismissed": Counter by severity}, dismissed findings left out of the first two."""
    f, r, latest = schema.findings, schema.reviews, _latest()
    q = (select(f.c.severity, f.c.family, r.c.status)
         .outerjoin(latest, latest.c.finding_id == f.c.id)
         .outerjoin(r, r.c.id == latest.c.review_id)
         .where(f.c.document_id == document_id))
    severity, family, dismissed = Counter(), Counter(), Counter()
    for row in _connected(bind, lambda c: c.execute(q).all()):
        if row.status == "dismissed":
            dismissed[row.severity] += 1
            continue
        severity[row.severity] += 1
        if row.severity in ("error", "warning"):
            family[row.family or "?"] += 1
    return {"severity": severity, "family": family, "dismissed": dismissed}


__all__ = ["OPEN", "STATUSES", "Review", "UnknownFinding", "counts", "review_history", "review_state",
           "review_states", "set_review"]
