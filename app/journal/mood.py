"""Mood over time, streaks and "on this day", computed with a fixed number of queries.

The chart is server-rendered SVG with a text alternative: no chart library in the browser.
"""
import datetime
from dataclasses import dataclass, field

from peewee import fn

from app.journal.models import MOOD_LABELS, JournalEntry
from app.prepared import PreparedQuery

CHART_WIDTH = 320
CHART_HEIGHT = 140
PAD_LEFT = 28
PAD_BOTTOM = 18
PAD_TOP = 8


@dataclass
class MoodSummary:
    days: int
    points: list = field(default_factory=list)  # (date, average mood)
    average: float = None
    trend: str = "none"  # up, down, steady, none
    best_day: tuple = None
    hardest_day: tuple = None
    polyline: str = ""
    dots: list = field(default_factory=list)  # (x, y, date, value)

    @property
    def has_data(self):
        return bool(self.points)


def daily_moods(author, start, end):
    """(date, average mood) per day with a mood, between start and end inclusive: one query."""
    rows = (
        JournalEntry.select(JournalEntry.entry_date, fn.AVG(JournalEntry.mood))
        .where(
            (JournalEntry.author == author)
            & (JournalEntry.entry_date >= start)
            & (JournalEntry.entry_date <= end)
            & JournalEntry.mood.is_null(False)
        )
        .group_by(JournalEntry.entry_date)
        .order_by(JournalEntry.entry_date)
        .tuples()
    )
    return [(_as_date(day), float(avg)) for day, avg in rows]


def _as_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, str):
        return datetime.date.fromisoformat(value[:10])
    return value


def summarise(author, today, days):
    start = today - datetime.timedelta(days=days - 1)
    points = daily_moods(author, start, today)
    summary = MoodSummary(days=days, points=points)
    if not points:
        return summary
    values = [value for _, value in points]
    summary.average = round(sum(values) / len(values), 1)
    summary.best_day = max(points, key=lambda p: (p[1], p[0]))
    summary.hardest_day = min(points, key=lambda p: (p[1], -p[0].toordinal()))
    summary.trend = _trend(points)
    inner_width = CHART_WIDTH - PAD_LEFT - 4
    inner_height = CHART_HEIGHT - PAD_BOTTOM - PAD_TOP
    coords = []
    for day, value in points:
        x = PAD_LEFT + inner_width * ((day - start).days / max(days - 1, 1))
        y = PAD_TOP + inner_height * (5 - value) / 4
        coords.append((round(x, 1), round(y, 1), day, round(value, 1)))
    summary.dots = coords
    summary.polyline = " ".join(f"{x},{y}" for x, y, _, _ in coords)
    return summary


def _trend(points):
    """Compare the first and second half of the period."""
    if len(points) < 4:
        return "none"
    half = len(points) // 2
    first = sum(v for _, v in points[:half]) / half
    second = sum(v for _, v in points[half:]) / (len(points) - half)
    if second - first >= 0.3:
        return "up"
    if first - second >= 0.3:
        return "down"
    return "steady"


def chart_axis():
    """Y positions of mood levels 1-5 for gridlines and labels."""
    inner_height = CHART_HEIGHT - PAD_BOTTOM - PAD_TOP
    return [(level, round(PAD_TOP + inner_height * (5 - level) / 4, 1), MOOD_LABELS[level]) for level in range(1, 6)]


_days_written = PreparedQuery(
    lambda author, last, after: JournalEntry.select(JournalEntry.entry_date)
    .where((JournalEntry.author == author) & (JournalEntry.entry_date <= last) & (JournalEntry.entry_date > after))
    .group_by(JournalEntry.entry_date)
    .order_by(JournalEntry.entry_date.desc())
    .tuples(),
    slots=("author", "last", "after"),
)


# A streak is read in at most two steps: the last two weeks, then, only for a streak that fills them,
# everything before them back to ten years (a few thousand small rows at most, from the index).
STREAK_FIRST_READ_DAYS = 14
STREAK_MAX_DAYS = 3650


def streak(author, today):
    """Days in a row with an entry, ending today (or yesterday, so the streak survives until bedtime).

    Most streaks are shorter than two weeks, so one small query is the usual cost, and the longest
    take two, however long they are.
    """
    count = 0
    expected = None  # the next day the streak needs, going back
    window_end = today
    for window in (STREAK_FIRST_READ_DAYS, STREAK_MAX_DAYS - STREAK_FIRST_READ_DAYS):
        window_start = window_end - datetime.timedelta(days=window)  # the window is (start, end]
        days = [_as_date(row[0]) for row in _days_written.all(author=author, last=window_end, after=window_start)]
        if expected is None:
            if not days:
                return 0
            expected = today if days[0] == today else today - datetime.timedelta(days=1)
        for day in days:
            if day != expected:
                return count
            count += 1
            expected -= datetime.timedelta(days=1)
        if expected > window_start:
            return count  # the day before the streak, inside this window, has no entry
        window_end = expected  # the streak fills the window: read on from the day before it
    return count


def on_this_day(author, today, months_back=36):
    """Entries written on this day of the month in earlier months and years: one query."""
    dates = []
    for months in range(1, months_back + 1):
        year = today.year + (today.month - 1 - months) // 12
        month = (today.month - 1 - months) % 12 + 1
        try:
            dates.append(datetime.date(year, month, today.day))
        except ValueError:
            continue  # e.g. the 31st in a 30-day month
    return list(
        JournalEntry.select()
        .where((JournalEntry.author == author) & JournalEntry.entry_date.in_(dates))
        .order_by(JournalEntry.entry_date.desc(), JournalEntry.created.desc())
        .limit(5)
    )
