"""Statements and votes in the database: the seed statements, participants' own statements and their
moderation, a phone's votes, the next statement a phone is shown, and the votes the opinion map reads.

Every write is one committed transaction. A device is known only by keyed hashes (as for views), and its
latest vote on a statement is the one that counts. A participant's statement is seen by others only once the
team has approved it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, sessionmaker

from lisdash.consult import inflight
from lisdash.consult.opinionmap import (
    AGREE,
    DISAGREE,
    PASS,
    Consensus,
    KChoice,
    OpinionMap,
    Tally,
    opinion_map,
    vote_matrix,
)
from lisdash.consult.responses import Refused, Visitor, check_limit, clean_text, event_id_of, visitor_hashes
from lisdash.consult.schema import Event, Statement, Vote
from lisdash.content.analysis import OpinionRule
from lisdash.content.form import Limit
from lisdash.content.statements import Statements
from lisdash.figures.opinion import group_name

APPROVED, PENDING, REJECTED = "approved", "pending", "rejected"
OWN_PER_DEVICE = Limit(count=5, minutes=10)  # own statements one device may send


@dataclass(frozen=True)
class Shown:
    """A statement as a phone or a screen shows it."""

    id: int
    text: str
    origin: str


def add_seeds(sessions: sessionmaker[Session], statements: Statements, now: datetime | None = None) -> int:
    """Store every seed statement not yet in the database (approved); the number added."""
    now = now or datetime.now(UTC)
    with sessions.begin() as session:
        known = set(session.scalars(select(Statement.seed_id).where(Statement.seed_id.is_not(None))))
        new = [Statement(conversation=c.id, seed_id=s.id, text=s.text, origin="seed", status=APPROVED, created_at=now)
               for c in statements.conversations for s in c.statements if s.id not in known]
        session.add_all(new)
    return len(new)


def own_problem(text: str, limit: int) -> str | None:
    """What is wrong with a participant's statement (None if nothing)."""
    cleaned = clean_text(text)
    if len(cleaned) < 10:
        return "Write a statement of at least 10 characters."
    if len(cleaned) > limit:
        return f"A statement is at most {limit} characters; this one has {len(cleaned)}."
    return None


def add_own(sessions: sessionmaker[Session], conversation: str, text: str, visitor: Visitor,
            statements: Statements, event: str | None = None, now: datetime | None = None) -> int:
    """Store a participant's statement for moderation (one transaction); its id. Refused if it cannot be.

    The same text from the same device in the same conversation and room is stored once: sent again (after a
    commit whose acknowledgement was lost), the stored statement's id is returned."""
    if statements.conversation(conversation) is None:
        raise Refused("That conversation is not known.")
    problem = own_problem(text, statements.own_chars)
    if problem:
        raise Refused(problem)
    now = now or datetime.now(UTC)
    cleaned = clean_text(text)
    with inflight.recording(), sessions.begin() as session:
        hashes = visitor_hashes(session, visitor)
        event_id = event_id_of(session, event)
        stored = session.scalar(select(Statement.id).where(Statement.device_hash == hashes["device"],
                                                           _in_room(event_id, Statement.event_id),
                                                           Statement.conversation == conversation,
                                                           Statement.text == cleaned).limit(1))
        if stored is not None:
            return stored
        check_limit(session, Statement.device_hash, hashes["device"], OWN_PER_DEVICE, now,
                    "statements from this device")
        row = Statement(conversation=conversation, text=cleaned, origin="participant", status=PENDING,
                        event_id=event_id, created_at=now, device_hash=hashes["device"])
        session.add(row)
        session.flush()
        return row.id


def moderate(sessions: sessionmaker[Session], statement_id: int, approve: bool, by: str,
             now: datetime | None = None) -> None:
    """Approve or reject a participant's statement, recording who did and when."""
    with sessions.begin() as session:
        row = session.get(Statement, statement_id)
        if row is None or row.origin != "participant":
            raise Refused("No participant's statement with that number.")
        row.status, row.moderated_by, row.moderated_at = APPROVED if approve else REJECTED, by, now or datetime.now(UTC)


def pending(sessions: sessionmaker[Session]) -> list[tuple[int, str, str]]:
    """Participants' statements waiting for the team: (id, conversation, text), oldest first."""
    with sessions() as session:
        return list(session.execute(select(Statement.id, Statement.conversation, Statement.text)
                                    .where(Statement.status == PENDING).order_by(Statement.id)).tuples())


def vote(sessions: sessionmaker[Session], statement_id: int, value: int, visitor: Visitor, statements: Statements,
         event: str | None = None, now: datetime | None = None) -> bool:
    """Store one vote in one committed transaction; Refused if it cannot be (an unknown or unapproved statement,
    a value other than agree, disagree or pass, or too many votes from this device).

    A vote equal to the device's latest on that statement in that room is already counted (the same tap sent
    again, after a commit whose acknowledgement was lost): nothing is added, and False is returned."""
    if value not in (AGREE, DISAGREE, PASS):
        raise Refused("A vote is agree, disagree or pass.")
    now = now or datetime.now(UTC)
    with inflight.recording(), sessions.begin() as session:
        row = session.get(Statement, statement_id)
        if row is None or row.status != APPROVED:
            raise Refused("That statement is not open for votes.")
        hashes = visitor_hashes(session, visitor)
        event_id = event_id_of(session, event)
        latest = session.scalar(select(Vote.value).where(Vote.statement_id == statement_id, _in_room(event_id),
                                                         Vote.device_hash == hashes["device"])
                                .order_by(Vote.id.desc()).limit(1))
        if latest == value:
            return False
        check_limit(session, Vote.device_hash, hashes["device"], statements.votes_per_device, now,
                    "votes from this device")
        check_limit(session, Vote.client_hash, hashes["client"], statements.votes_per_address, now,
                    "votes from this network")
        session.add(Vote(statement_id=statement_id, event_id=event_id, value=value, created_at=now,
                         session_hash=hashes["session"], client_hash=hashes["client"], device_hash=hashes["device"]))
    return True


def _open_statements(conversation: str, event_id: int | None):
    """Approved statements of a conversation: the seeds, and participants' own from this event (or online)."""
    return select(Statement).where(Statement.conversation == conversation, Statement.status == APPROVED,
                                   (Statement.origin == "seed") | _in_room(event_id, Statement.event_id))


def _in_room(event_id: int | None, column=Vote.event_id):
    """Rows of this event (`column` its event id), or those online (no event) when `event_id` is None."""
    return column.is_(None) if event_id is None else column == event_id


def next_statement(sessions: sessionmaker[Session], conversation: str, visitor: Visitor,
                   event_id: int | None = None) -> Shown | None:
    """The statement this phone sees next: one it has not voted on, with the fewest votes in the room, then the
    most divided (agrees and disagrees closest to even), then the oldest. None when it has voted on them all."""
    with sessions() as session:
        device = visitor_hashes(session, visitor)["device"]
        voted = select(Vote.statement_id).where(Vote.device_hash == device, _in_room(event_id))
        counts = (select(Vote.statement_id, func.count(Vote.id).label("votes"),
                         func.sum(case((Vote.value == AGREE, 1), else_=0)).label("agrees"),
                         func.sum(case((Vote.value == DISAGREE, 1), else_=0)).label("disagrees"))
                  .where(_in_room(event_id)).group_by(Vote.statement_id).subquery())
        candidates = _open_statements(conversation, event_id).where(Statement.id.not_in(voted)).subquery()
        votes = func.coalesce(counts.c.votes, 0)
        split = func.abs(func.coalesce(counts.c.agrees, 0) - func.coalesce(counts.c.disagrees, 0))
        row = session.execute(select(candidates.c.id, candidates.c.text, candidates.c.origin)
                              .outerjoin(counts, counts.c.statement_id == candidates.c.id)
                              .order_by(votes, split, candidates.c.id).limit(1)).first()
    return Shown(*row) if row else None


def room_votes(sessions: sessionmaker[Session], conversation: str, event_id: int | None = None
               ) -> tuple[list[tuple[str, str, int]], dict[str, str]]:
    """The room's votes on a conversation's open statements as (participant, statement, vote), each device's
    latest per statement, with the statements' texts by id (as text, the opinion map's keys)."""
    with sessions() as session:
        shown = {str(s.id): s.text for s in session.scalars(_open_statements(conversation, event_id))}
        rows = session.execute(select(Vote.device_hash, Vote.statement_id, Vote.value)
                               .where(_in_room(event_id), Vote.statement_id.in_([int(i) for i in shown]))
                               .order_by(Vote.id)).tuples()
        latest = {(device, str(statement)): value for device, statement, value in rows}
    return [(device, statement, value) for (device, statement), value in latest.items()], shown


@dataclass(frozen=True)
class RoomStands:
    """Where a room stands on a conversation: its opinion map (None until enough have voted), the statements'
    texts by id, and how many votes and participants it has."""

    found: OpinionMap | None
    texts: dict[str, str]
    votes: int
    participants: int


def map_waits(rule: OpinionRule) -> str:
    """What the opinion map waits for, said where it is not drawn yet."""
    return (f"The map appears once {rule.k_min * rule.min_group} people have voted on {rule.min_votes} statements "
            "each.")


def room_stands(sessions: sessionmaker[Session], conversation: str, event_id: int | None, rule: OpinionRule,
                previous: KChoice | None = None) -> RoomStands:
    """The room's opinion map now, `previous` being the number of groups the last update showed."""
    votes, texts = room_votes(sessions, conversation, event_id)
    found = opinion_map(vote_matrix(votes, list(texts)), rule, previous)
    return RoomStands(found, texts, len(votes), len({p for p, _, _ in votes}))


VOTE_WORDS = {AGREE: "agree", DISAGREE: "disagree", PASS: "pass"}


def votes_frame(sessions: sessionmaker[Session], event: str | None = None) -> pd.DataFrame:
    """Every vote (or one event's) for export: when, the event, the statement and its origin and status, the vote,
    and the device's keyed hash (the latest vote of a device on a statement is the one that counts)."""
    with sessions() as session:
        chosen = event_id_of(session, event)
        query = (select(Vote.id, Vote.created_at, Event.code, Statement.conversation, Statement.id, Statement.text,
                        Statement.origin, Statement.status, Vote.value, Vote.device_hash)
                 .join(Statement, Statement.id == Vote.statement_id).outerjoin(Event, Event.id == Vote.event_id)
                 .order_by(Vote.id))
        if event is not None:
            query = query.where(Vote.event_id == chosen)
        rows = session.execute(query).all()
    frame = pd.DataFrame(rows, columns=["Vote", "Given (UTC)", "Event", "Conversation", "Statement number",
                                        "Statement", "Statement by", "Statement status", "vote", "Device (keyed hash)"])
    return frame.assign(vote=frame["vote"].map(VOTE_WORDS)).rename(columns={"vote": "Vote given"})


def _votes(tally: Tally) -> str:
    return f"{tally.agrees} agree, {tally.disagrees} disagree of {tally.votes}"


def _statements_table(shared: tuple[Consensus, ...], texts: dict[str, str], groups: int) -> pd.DataFrame:
    return pd.DataFrame([{"Statement": texts[c.statement], "Score": round(c.score, 3),
                          **{group_name(g): _votes(c.by_group[g]) for g in range(groups)}} for c in shared])


def stands_tables(stands: RoomStands) -> dict[str, pd.DataFrame]:
    """The groups, the common ground and the divisions as tables (statements as typed, in plain cells)."""
    found = stands.found
    groups = pd.DataFrame([{"Group": group_name(g.number), "People": g.size,
                            "Agrees more with": " | ".join(stands.texts[d.statement] for d in g.defining),
                            "Votes in the group": " | ".join(_votes(d.inside) for d in g.defining),
                            "Votes of the others": " | ".join(_votes(d.outside) for d in g.defining)}
                           for g in found.groups])
    return {"Opinion groups": groups,
            "Common ground (product over groups of (agrees + 1) / (votes + 2))":
                _statements_table(found.consensus[:5], stands.texts, len(found.groups)),
            "Most divisive": _statements_table(found.divisive[:5], stands.texts, len(found.groups)),
            "Every statement": _statements_table(found.consensus, stands.texts, len(found.groups))}


def report_sections(sessions: sessionmaker[Session], statements: Statements, rule: OpinionRule,
                    event_code: str | None = None) -> list[tuple[str, str, dict[str, pd.DataFrame]]]:
    """Per conversation with votes: its title, what was voted, and its groups, common ground and divisions."""
    with sessions() as session:
        chosen = event_id_of(session, event_code)
    out = []
    for conversation in statements.conversations:
        stands = room_stands(sessions, conversation.id, chosen, rule)
        if not stands.votes:
            continue
        note = f"{stands.votes:,} votes from {stands.participants:,} people (each device's latest vote counts)."
        if stands.found is None:
            out.append((conversation.title, note + f" Too few to map: fewer than {rule.k_min * rule.min_group} "
                        f"people with {rule.min_votes} or more votes.", {}))
        else:
            out.append((conversation.title, note + f" {stands.found.left_out:,} with fewer than {rule.min_votes} "
                        "votes are not placed in a group.", stands_tables(stands)))
    return out
