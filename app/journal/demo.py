"""Demo journal content: a few months of believable entries, some shared, with replies."""
import datetime
import random

from app.journal.drafts import new_idempotency_key
from app.journal.models import JournalEntry, JournalRead, JournalReply, JournalSettings, pack_feelings

ENTRIES = [
    (4, ["hopeful", "calm"], "Went to my meeting tonight and actually shared for the first time. My hands were shaking but people nodded along. I felt less alone."),
    (2, ["tired", "anxious"], "Rough day at work. My manager snapped at me and I wanted to drink. I called my sponsor instead and we talked for twenty minutes."),
    (3, ["stressed"], "Rent is due Friday and I'm short. Made a list of what I can do: ask about the payment plan, pick up the Saturday shift."),
    (5, ["proud", "grateful"], "Ninety days today. My sister drove up and we had lunch. She said I sound like myself again."),
    (3, ["calm"], "Slow Sunday. Cleaned the kitchen, went for a walk by the river. Nothing big, and that's fine."),
    (2, ["lonely", "sad"], "Couldn't sleep. Kept thinking about the people I used to hang out with. I know why I can't go back there but I miss having a crowd."),
    (4, ["connected"], "Coffee with my mentor. We talked about the job application and she helped me practice the interview questions."),
    (1, ["craving", "angry"], "Really bad night. Walked past the bar on 5th and almost went in. Went to the 24-hour diner instead and texted the group chat until it passed."),
    (4, ["hopeful"], "Got a call back about the warehouse job. Interview on Thursday. Trying not to get my hopes up too much."),
    (3, ["tired"], "Long day, early shift. Made dinner instead of grabbing fast food. Small win."),
    (5, ["proud", "connected"], "Got the job! Start Monday. Told my mentor first, then my mom."),
    (2, ["anxious"], "First week at the new job. Everyone seems to know each other already. Breathing exercises in the bathroom helped."),
    (4, ["grateful", "calm"], "My counselor said I've been more open in our sessions. I notice it too. Writing here helps me sort my thoughts before I talk."),
    (3, [], "Just checking in. Meh day. Ate, worked, watched a show. Going to bed early."),
    (4, ["hopeful", "proud"], "Opened a savings account today. Only $40 in it, but it's mine and it's a start."),
    (2, ["sad"], "Anniversary of my dad's death. Went to the cemetery. Cried a lot. Didn't use. That counts for something."),
    (5, ["grateful"], "Birthday dinner with people who actually know me now. Nobody had to worry about me. I didn't have to worry about me."),
    (3, ["stressed", "tired"], "Court date moved again. Frustrating. I wrote down the questions I want to ask the caseworker."),
]

REPLIES = [
    "Thank you for sharing this with me. Calling your sponsor instead was a big deal. I'm proud of you.",
    "That takes real courage. See you Thursday, and let's talk more about it then.",
    "I remember that feeling. You got through it, and you'll get through the next one too.",
    "Congratulations! That's huge. Let's celebrate at our next meeting.",
    "Sending you strength today. I'm here if you want to talk.",
]


def create_demo_journals(people, mentors_by_mentee, today=None):
    """Entries for each demo mentee over about three months."""
    rng = random.Random(20261127)
    today = today or datetime.date.today()
    for index, mentee in enumerate(people):
        mentor = mentors_by_mentee.get(mentee.id)
        # Some write nearly daily, others about weekly.
        gap_choices = [1, 1, 1, 2] if index % 2 == 0 else [3, 5, 7, 7]
        day = today - datetime.timedelta(days=95)
        written = 0
        if index == 0:
            JournalSettings.create(user=mentee, share_new_by_default=False, mood_visible_to_mentor=True)
        while day <= today:
            mood, feelings, body = ENTRIES[(written + index * 3) % len(ENTRIES)]
            created = datetime.datetime.combine(day, datetime.time(hour=rng.choice([8, 12, 19, 21, 22]),
                                                                   minute=rng.randrange(60)))
            shared = mentor is not None and rng.random() < 0.35
            entry = JournalEntry.create(
                author=mentee, entry_date=day, body=body, mood=mood, feelings=pack_feelings(feelings),
                created=created, updated=created, idempotency_key=new_idempotency_key(),
                shared_with=mentor if shared else None, shared_at=created if shared else None,
            )
            if shared and rng.random() < 0.6:
                JournalRead.create(entry=entry, reader=mentor, read_at=created + datetime.timedelta(hours=5))
                if rng.random() < 0.6:
                    JournalReply.create(entry=entry, author=mentor, body=rng.choice(REPLIES),
                                        created=created + datetime.timedelta(hours=6),
                                        seen_by_mentee=day < today - datetime.timedelta(days=3))
            written += 1
            day += datetime.timedelta(days=rng.choice(gap_choices))
