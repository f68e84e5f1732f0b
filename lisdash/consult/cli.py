"""Command line for the consultation: event new | responses export, themes, report, purge-contacts, backup,
restore | admin hash-password, unlock."""

from __future__ import annotations

import argparse
import getpass
import re
import sys
from datetime import timedelta
from pathlib import Path

DURATION = re.compile(r"^(\d{1,5})([dh])$")
DURATION_FORMS = "a whole number of days or hours: 90d, 12h, or 0d (now)"


def duration(text: str) -> timedelta:
    """'90d', '12h' or '0d' (now) as a timedelta (argparse type); anything else is refused, listing the forms."""
    found = DURATION.fullmatch(text.strip())
    if not found:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a duration: use {DURATION_FORMS}")
    number, unit = int(found[1]), found[2]
    return timedelta(days=number) if unit == "d" else timedelta(hours=number)


def said(span: timedelta) -> str:
    """A duration in words: '90 days', '12 hours', '0 hours'."""
    hours = int(span.total_seconds() // 3600)
    if hours and hours % 24 == 0:
        return f"{hours // 24} day{'s' * (hours != 24)}"
    return f"{hours} hour{'s' * (hours != 1)}"


def unknown_event(sessions, code: str | None) -> bool:
    """Whether a command names an event no one started; if so, says so on one line."""
    from lisdash.consult import events

    if code and events.find_event(sessions, code) is None:
        print(f"error: no event with code {code!r} (see the admin page for the codes)", file=sys.stderr)
        return True
    return False


def _event_new(args: argparse.Namespace) -> int:
    from lisdash.consult import db, events, links

    event = events.new_event(db.sessions(), args.name)
    base = links.base_url(args.port)
    print(f"Event {event.code}: {event.name}")
    print(f"Presenter code: {event.presenter_code} (opens the speaker notes; give it to the presenters only)")
    if base is None:
        print("No network address found: join the hotspot or set LISDASH_PUBLIC_URL, then run this again.")
        return 0
    print(f"Present:  {links.link(base, '/present', mode='present', event=event.code)}")
    print(f"Respond:  {links.link(base, '/respond', event=event.code)}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from lisdash.consult import db, exporting, inbox
    from lisdash.content.analysis import load_analysis

    sessions = db.sessions()
    if unknown_event(sessions, args.event):
        return 1
    if args.votes:
        from lisdash.consult.voting import votes_frame

        frame = votes_frame(sessions, args.event)
        data = exporting.export_bytes(frame, args.format)
    else:
        frame = inbox.responses_frame(sessions, args.event, with_contacts=args.with_contacts)
        data = exporting.export_views(frame, args.format, load_analysis().campaign)
    if args.out:
        Path(args.out).write_bytes(data)
        print(f"Wrote {args.out}: {len(frame)} {'votes' if args.votes else 'views'}"
              + (" with contact details" if args.with_contacts and not args.votes else ""),
              file=sys.stderr)
    elif args.format == "csv":
        sys.stdout.write(data.decode("utf-8-sig"))
    else:
        print("error: XLSX needs --out FILE", file=sys.stderr)
        return 1
    return 0


def _themes(args: argparse.Namespace) -> int:
    from lisdash.consult import db, themestore
    from lisdash.content.analysis import load_analysis

    tagged = themestore.run_model(db.sessions(), load_analysis())
    for commitment, count in tagged.items():
        print(f"{commitment}: {count:,} comments tagged by the model")
    if not tagged:
        print("No comments yet: nothing to tag.")
    return 0


def _report(args: argparse.Namespace) -> int:
    from lisdash.consult import db, reporting
    from lisdash.consult.voting import report_sections
    from lisdash.content.analysis import load_analysis
    from lisdash.content.form import load_consultation
    from lisdash.content.statements import load_statements
    from lisdash.content.story import load_story
    from lisdash.evidence import evaluate
    from lisdash.heard.render import ReportUnavailable
    from lisdash.pipeline.provision import store_and_content

    sessions = db.sessions()
    if unknown_event(sessions, args.event):
        return 1
    store, content = store_and_content()
    rules = load_analysis()
    found = reporting.summary(sessions, store, content, load_consultation(), load_story(content), rules,
                              evaluate(store, content), args.event)
    opinion = report_sections(sessions, load_statements({c.id for c in content.commitments}), rules.opinion,
                              args.event)
    try:
        data = reporting.report(found, args.format, opinion)
    except ReportUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    out = Path(args.out or f"what-we-heard{'-' + args.event if args.event else ''}.{args.format}")
    out.write_bytes(data)
    print(f"Wrote {out}: {found.counted:,} counted views of {found.received:,} ({len(data):,} bytes).")
    return 0


def _purge(args: argparse.Namespace) -> int:
    from lisdash.consult import db, inbox
    from lisdash.content.form import load_consultation

    older_than = args.older_than if args.older_than is not None else timedelta(
        days=load_consultation().retention_days)
    removed = inbox.purge_contacts(db.sessions(), older_than)
    when = "up to now" if not older_than else f"more than {said(older_than)} ago"
    print(f"Deleted the contact details of {removed} views given {when} (the views themselves are kept).")
    return 0


def _backup(args: argparse.Namespace) -> int:
    from lisdash.consult import backup, db

    url = db.database_url()
    size = backup.backup(url, Path(args.out))
    print(f"Backed up {backup.views_stored(url)} views from {db.describe(url)} to {args.out} ({size:,} bytes).")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from lisdash.consult import backup, db

    url = db.database_url()
    views = backup.restore(url, Path(args.file), replace=args.replace)
    print(f"Restored {args.file} into {db.describe(url)}: it holds {views} views.")
    return 0


def _unlock(args: argparse.Namespace) -> int:
    from lisdash.consult import auth, db

    counted = auth.unlock(db.sessions())
    print(f"Admin sign-in unlocked: cleared the attempt counts of {counted} account and network address "
          f"pair(s).")
    return 0


def _hash_password(args: argparse.Namespace) -> int:
    from lisdash.consult import auth

    password = sys.stdin.readline().rstrip("\n") if args.stdin else getpass.getpass("Admin password: ")
    try:
        hashed = auth.hash_password(password)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(hashed)
    print("Put it in .streamlit/secrets.toml as\n  [admin]\n  password_hash = \"...\"\n"
          "or in the environment as LISDASH_ADMIN_PASSWORD_HASH.", file=sys.stderr)
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Add the consultation's commands to the main parser."""
    from lisdash.consult.exporting import FORMATS
    from lisdash.heard.render import FORMATS as REPORT_FORMATS

    event = sub.add_parser("event", help="consultation events").add_subparsers(dest="action", required=True)
    new = event.add_parser("new", help="start an event: prints its code and the URLs for the room")
    new.add_argument("name", help='the event\'s name, e.g. "Birmingham, 3 December"')
    new.add_argument("--port", type=int, default=8501, help="the app's port (default 8501)")
    new.set_defaults(func=_event_new)

    responses = sub.add_parser("responses", help="the consultation's views").add_subparsers(dest="action",
                                                                                            required=True)
    export = responses.add_parser("export", help="every view as CSV (to stdout or --out) or XLSX (--out)")
    export.add_argument("--format", choices=FORMATS, default="csv")
    export.add_argument("--event", help="only this event's views (its code, e.g. BIRM-7Q)")
    export.add_argument("--with-contacts", action="store_true", help="add the contact details people gave")
    export.add_argument("--votes", action="store_true", help="instead: every vote on the statements")
    export.add_argument("--out", help="file to write")
    export.set_defaults(func=_export)
    themes = responses.add_parser("themes", help="propose themes in the comments, or tag new comments against "
                                                 "approved themes")
    themes.set_defaults(func=_themes)
    reporting = responses.add_parser("report", help="the summary of what we heard (HTML, DOCX or PDF)")
    reporting.add_argument("--format", choices=REPORT_FORMATS, default="html")
    reporting.add_argument("--event", help="only this event's views (its code, e.g. BIRM-7Q)")
    reporting.add_argument("--out", help="file to write (default what-we-heard[-EVENT].FORMAT)")
    reporting.set_defaults(func=_report)
    purge = responses.add_parser("purge-contacts", help="delete contact details older than the retention period")
    purge.add_argument("--older-than", type=duration,
                       help=f"{DURATION_FORMS} (default: retention_days in lis_data/consultation.yaml)")
    purge.set_defaults(func=_purge)
    saving = responses.add_parser("backup", help="a consistent copy of the database (SQLite backup API, or pg_dump)")
    saving.add_argument("--out", required=True, help="the backup file to write")
    saving.set_defaults(func=_backup)
    putting = responses.add_parser("restore", help="put a backup into the database (empty, unless --replace)")
    putting.add_argument("file", help="a file written by `responses backup`")
    putting.add_argument("--replace", action="store_true", help="replace the views the database holds now")
    putting.set_defaults(func=_restore)

    admin = sub.add_parser("admin", help="the admin page").add_subparsers(dest="action", required=True)
    hashing = admin.add_parser("hash-password", help="print the scrypt hash of a password for the admin page")
    hashing.add_argument("--stdin", action="store_true", help="read the password from standard input")
    hashing.set_defaults(func=_hash_password)
    unlock = admin.add_parser("unlock", help="lift every admin sign-in lockout (after too many wrong passwords)")
    unlock.set_defaults(func=_unlock)
