"""Generate a large (or 1/10 size) Tandem program for benchmarks, fast, with bulk inserts.

    python -m bench.generate --scale 1.0 --database-url sqlite:///bench/data/large.sqlite3

Full size: 2,000 mentees, 400 mentors, 5 coordinators and three years of history
(about 500,000 journal entries, 60,000 meetings, 20,000 goals with 100,000 steps,
matches, replies and audit events). Writing habits vary: some mentees write
daily, most about weekly. The benchmark personas (bench.mentee@example.org,
bench.mentor@example.org, bench.coordinator@example.org) have the same amount
of their own data at every scale, so a growth in latency comes from the size of
the program, not from the person.
"""
import argparse
import datetime
import random
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.auth.passwords import hash_password  # noqa: E402
from app.db import database, make_database, is_sqlite  # noqa: E402

BENCH_PASSWORD = "bench steady lantern orbit"
DAYS = 3 * 365
FIRST = ["Alex", "Sam", "Jordan", "Taylor", "Morgan", "Riley", "Casey", "Jamie", "Drew", "Robin", "Avery", "Quinn",
         "Rowan", "Skyler", "Dakota", "Emerson", "Finley", "Harper", "Kai", "Logan", "Micah", "Noel", "Parker", "Reese"]
LAST = ["Moreno", "Brooks", "Price", "Walsh", "Patel", "Hayes", "Ellis", "Okafor", "Chen", "Rivera", "Nguyen", "Kim",
        "Garcia", "Johnson", "Smith", "Lee", "Brown", "Davis", "Lopez", "Wilson", "Clark", "Young", "King", "Scott"]
SENTENCES = [
    "Went to my meeting tonight and shared a little.", "Rough day at work, but I called my sponsor.",
    "Slept better than last week.", "Cravings hit hard in the afternoon; I went for a walk instead.",
    "Had coffee with my mentor and talked about the job search.", "Felt lonely in the evening.",
    "Cooked dinner for myself, a small win.", "My sister called and we laughed for the first time in months.",
    "Anxious about the court date next week.", "Paid the electricity bill on time.",
    "Breathing exercises helped during the bus ride.", "Grateful for the people at group tonight.",
    "I noticed I was tired and went to bed early instead of scrolling.", "Thinking about going back to school.",
    "The new medication makes me foggy in the morning.", "Walked by the river and it was quiet.",
]
FEELINGS = ["calm", "hopeful", "grateful", "proud", "connected", "tired", "anxious", "sad", "angry", "lonely",
            "stressed", "craving"]
GOAL_TITLES = ["Go to two meetings a week", "Apply for three jobs", "Walk three times a week", "Open a savings account",
               "Call my sister every Sunday", "Finish the GED practice test", "Find a new apartment",
               "Sleep by 11 on weeknights", "Cook at home four nights a week", "Book a dentist appointment"]


def _text(rng, low=1, high=5):
    return " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(low, high)))


class Loader:
    """Bulk inserts through the raw DB-API cursor: far faster than building model objects."""

    def __init__(self, db):
        self.db = db
        self.param = "?" if is_sqlite(db) else "%s"
        self.counts = {}

    def insert(self, table, columns, rows, batch=5000):
        sql = 'INSERT INTO "{}" ({}) VALUES ({})'.format(
            table, ", ".join(f'"{c}"' for c in columns), ", ".join([self.param] * len(columns)))
        cursor = self.db.cursor()
        for start in range(0, len(rows), batch):
            cursor.executemany(sql, rows[start:start + batch])
        self.counts[table] = self.counts.get(table, 0) + len(rows)

    def next_id(self, table):
        value = self.db.execute_sql(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"').fetchone()[0]
        return value + 1


def generate(database_url, scale=1.0, seed=7, now=None):
    rng = random.Random(seed)
    now = now or datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None, microsecond=0)
    today = now.date()
    start_day = today - datetime.timedelta(days=DAYS)
    db = make_database(database_url)
    database.initialize(db)
    from app.cli import migration_runner

    t0 = time.time()
    with db.connection_context():
        migration_runner().up()
        if is_sqlite(db):
            db.execute_sql("PRAGMA synchronous = OFF")
        loader = Loader(db)
        password = hash_password(BENCH_PASSWORD)
        n_mentees = max(50, int(2000 * scale))
        n_mentors = max(10, int(400 * scale))
        with db.atomic():
            users = []
            uid = loader.next_id("user")
            ids = {"coordinator": [], "mentor": [], "mentee": []}
            def add_user(email, name, role, created):
                nonlocal uid
                users.append((uid, email, name, role, password, True, "America/New_York", "en", created, 0))
                ids[role].append(uid)
                uid += 1
            add_user("bench.coordinator@example.org", "Bench Coordinator", "coordinator", now - datetime.timedelta(days=DAYS))
            for i in range(4):
                add_user(f"coordinator{i}@bench.example.org", f"{rng.choice(FIRST)} {rng.choice(LAST)}", "coordinator", now)
            add_user("bench.mentor@example.org", "Bench Mentor", "mentor", now - datetime.timedelta(days=DAYS))
            for i in range(n_mentors - 1):
                add_user(f"mentor{i:04d}@bench.example.org", f"{rng.choice(FIRST)} {rng.choice(LAST)}", "mentor", now)
            add_user("bench.mentee@example.org", "Bench Mentee", "mentee", now - datetime.timedelta(days=DAYS))
            for i in range(n_mentees - 1):
                add_user(f"mentee{i:04d}@bench.example.org", f"{rng.choice(FIRST)} {rng.choice(LAST)}", "mentee", now)
            # open_matches starts at 0; the database's triggers count the matches inserted below.
            loader.insert("user", ["id", "email", "name", "role", "password_hash", "active", "timezone", "locale",
                                   "created", "open_matches"], users)

            # Matches: five mentees per mentor; the bench mentor always has exactly five.
            mentors, mentees = ids["mentor"], ids["mentee"]
            matches, mentor_of, match_of = [], {}, {}
            mid = loader.next_id("match")
            for index, mentee in enumerate(mentees):
                mentor = mentors[(index // 5) % len(mentors)]
                status = "active" if index % 20 else ("paused" if index % 40 else "active")
                started = now - datetime.timedelta(days=DAYS - rng.randint(0, 60))
                if index >= len(mentors) * 5:
                    continue  # waiting for a mentor
                matches.append((mid, mentor, mentee, status, started, None, "", "", ids["coordinator"][0]))
                mentor_of[mentee], match_of[mentee] = mentor, mid
                mid += 1
            for index in range(int(len(mentees) * 0.25)):  # closed, earlier matches
                mentee = mentees[-1 - index]
                mentor = rng.choice(mentors[1:]) if len(mentors) > 1 else mentors[0]
                started = now - datetime.timedelta(days=DAYS + 200)
                matches.append((mid, mentor, mentee, "closed", started, started + datetime.timedelta(days=150),
                                "", "Moved away", ids["coordinator"][0]))
                mid += 1
            loader.insert("match", ["id", "mentor_id", "mentee_id", "status", "started", "ended", "status_reason",
                                    "closure_reason", "created_by_id"], matches)

            # Journal: a few write daily, most weekly. The bench mentee writes (almost) daily.
            entries, replies, reads = [], [], []
            eid = loader.next_id("journal_entry")
            for index, mentee in enumerate(mentees):
                habit = 0.75 if index == 0 else rng.choices([0.75, 0.33, 0.11], weights=[10, 25, 65])[0]
                mentor = mentor_of.get(mentee)
                for offset in range(DAYS):
                    if rng.random() >= habit:
                        continue
                    day = start_day + datetime.timedelta(days=offset)
                    created = datetime.datetime.combine(day, datetime.time(rng.randint(7, 22), rng.randint(0, 59)))
                    shared = mentor if mentor and rng.random() < 0.3 else None
                    feelings = rng.sample(FEELINGS, rng.randint(0, 3))
                    entries.append((eid, mentee, day, _text(rng), rng.randint(1, 5),
                                    ("|" + "|".join(feelings) + "|") if feelings else "", "", "", shared,
                                    created if shared else None, created, created, uuid.uuid4().hex))
                    if shared:
                        if rng.random() < 0.8:
                            reads.append((eid, shared, created + datetime.timedelta(hours=4)))
                        if rng.random() < 0.15:
                            replies.append((eid, shared, mentee, "Thank you for sharing this. I'm proud of you.",
                                            created + datetime.timedelta(hours=5), True))
                    eid += 1
                if len(entries) > 50000:
                    _flush_journal(loader, entries, replies, reads)
            _flush_journal(loader, entries, replies, reads)

            # Goals: ten per mentee, five steps each, two updates each.
            goals, steps, updates = [], [], []
            gid = loader.next_id("goal")
            for mentee in mentees:
                for number in range(10):
                    created = now - datetime.timedelta(days=rng.randint(1, DAYS))
                    status = rng.choices(["active", "achieved", "paused", "let_go"], weights=[5, 3, 1, 1])[0]
                    last = created + datetime.timedelta(days=rng.randint(0, 60))
                    last = min(last, now)
                    goals.append((gid, mentee, GOAL_TITLES[number], "Because it matters to me.", "recovery", None,
                                  status, "", mentee, created, last, last if status == "achieved" else None, last))
                    for position in range(5):
                        done = status == "achieved" or rng.random() < 0.4
                        steps.append((gid, f"Step {position + 1} of {GOAL_TITLES[number].lower()}",
                                      today + datetime.timedelta(days=rng.randint(-30, 30)), position,
                                      last if done else None, mentee if done else None, mentee, created))
                    updates.append((gid, mentee, "created", GOAL_TITLES[number], created))
                    updates.append((gid, mentor_of.get(mentee, mentee), "note", "Good progress this week.", last))
                    gid += 1
            loader.insert("goal", ["id", "mentee_id", "title", "why", "area", "target_date", "status", "status_note",
                                   "created_by_id", "created", "updated", "achieved_at", "last_activity"], goals)
            loader.insert("goal_step", ["goal_id", "title", "due_date", "position", "done_at", "done_by_id",
                                        "created_by_id", "created"], steps)
            loader.insert("goal_update", ["goal_id", "author_id", "kind", "body", "created"], updates)

            # Meetings: about thirty per match over the three years, mostly held, some upcoming.
            meetings = []
            for mentee, match_id in match_of.items():
                mentor = mentor_of[mentee]
                for number in range(30):
                    starts = now - datetime.timedelta(days=rng.randint(-20, DAYS), hours=rng.randint(0, 8))
                    future = starts > now
                    status = "scheduled" if future else rng.choices(["held", "missed", "cancelled"], weights=[85, 10, 5])[0]
                    held = status == "held"
                    meetings.append((match_id, mentor, starts, 60, "in_person", "Library", "", "", status, "",
                                     starts if held else None, starts + datetime.timedelta(minutes=55) if held else None,
                                     "", "|check_in|goals|" if held else "", "", _text(rng, 2, 4) if held else "",
                                     _text(rng, 1, 2) if held else "", starts if not future else None,
                                     mentor if not future else None, "", rng.randint(3, 5) if held else None,
                                     uuid.uuid4().hex, 0, starts, starts))
            loader.insert("meeting", ["match_id", "proposed_by_id", "starts_at", "duration_minutes", "format", "place",
                                      "video_link", "agenda", "status", "change_reason", "actual_start", "actual_end",
                                      "missed_reason", "topics", "topics_other", "summary", "private_note", "logged_at",
                                      "logged_by_id", "mentee_reflection", "helpfulness", "ical_uid", "sequence",
                                      "created", "updated"], meetings)

            # Audit trail: logins and reads, about 100 per person.
            events = []
            for user_id in ids["mentee"] + ids["mentor"]:
                for _ in range(100):
                    when = now - datetime.timedelta(days=rng.randint(0, DAYS), minutes=rng.randint(0, 1440))
                    events.append((user_id, rng.choice(["login.success", "journal.entry_create", "goal.step_tick",
                                                        "journal.entry_read", "logout"]), "user", user_id, user_id, "",
                                   when, "127.0.0.1"))
                if len(events) > 50000:
                    loader.insert("audit_event", ["actor_id", "action", "object_type", "object_id", "subject_id",
                                                  "detail", "created", "ip"], events)
                    events = []
            loader.insert("audit_event", ["actor_id", "action", "object_type", "object_id", "subject_id", "detail",
                                          "created", "ip"], events)
        if not is_sqlite(db):
            # Rows were inserted with explicit ids: move each id sequence past them.
            for table in db.get_tables():
                if "id" in {column.name for column in db.get_columns(table)}:
                    db.execute_sql(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                                   f"COALESCE((SELECT MAX(id) FROM \"{table}\"), 0) + 1, false)")
        if not is_sqlite(db):
            # PostgreSQL's autovacuum gathers planner statistics on its own. Nothing runs ANALYZE on a
            # program's SQLite file, so the benchmark's SQLite data has no statistics either, and its
            # queries are planned as a program's are.
            db.execute_sql("ANALYZE")
        if is_sqlite(db):
            db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close_all()
    loader.counts["seconds"] = round(time.time() - t0, 1)
    return loader.counts


def _flush_journal(loader, entries, replies, reads):
    loader.insert("journal_entry", ["id", "author_id", "entry_date", "body", "mood", "feelings", "feelings_other",
                                    "prompt", "shared_with_id", "shared_at", "created", "updated", "idempotency_key"],
                  entries)
    loader.insert("journal_reply", ["entry_id", "author_id", "mentee_id", "body", "created", "seen_by_mentee"], replies)
    loader.insert("journal_read", ["entry_id", "reader_id", "read_at"], reads)
    entries.clear()
    replies.clear()
    reads.clear()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = full size; 0.1 = one tenth")
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args()
    counts = generate(args.database_url, args.scale)
    for table, count in counts.items():
        print(f"{table:16} {count}")


if __name__ == "__main__":
    main()
