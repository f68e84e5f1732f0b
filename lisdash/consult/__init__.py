"""The consultation: views recorded from phones and pages, tallied live, read by the team, exported safely.

- schema, db: the tables and the database (SQLite by default, PostgreSQL by URL; Alembic migrations)
- responses: one response validated and recorded in one transaction, with rate limits and duplicates
- tally: a poll's live counts, and the team's counts and distributions
- inbox: the team's reading, moderation, contact deletion and retention
- exporting: CSV and XLSX with formula injection neutralised
- events: event codes and per-event presenter state shared by every app process
- links: addresses that phones in the room can reach
- auth: the team's password (scrypt), session expiry and failed-login limits
"""
