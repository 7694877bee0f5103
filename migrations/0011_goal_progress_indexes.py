"""Indexes for goal progress, so the counts on goal lists and the mentor's home read no step or goal rows.

- Steps by (goal, done_at, due_date): how many of a goal's steps are done, and how many open steps
  are due soon across a mentor's mentees, are counted in the index instead of reading every step.
- Goals by (mentee, status, last_activity), in place of (mentee, status): the mentor's count of
  goals gone quiet needs no goal rows, and every use of the old index can use the new one.
"""


def up(migrator, db):
    migrator.migrate(
        migrator.add_index('goal_step', ('goal_id', 'done_at', 'due_date')),
        migrator.add_index('goal', ('mentee_id', 'status', 'last_activity')),
        migrator.drop_index('goal', 'goal_mentee_id_status'),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.add_index('goal', ('mentee_id', 'status'), name='goal_mentee_id_status'),
        migrator.drop_index('goal', 'goal_mentee_id_status_last_activity'),
        migrator.drop_index('goal_step', 'goal_step_goal_id_done_at_due_date'),
    )
