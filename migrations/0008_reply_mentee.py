"""Each journal reply names the mentee whose entry it answers, with an index (mentee, newest first).

The mentee's home page shows their latest replies. Found through the entries, that walked the
mentee's whole journal on every visit (over a thousand entries after a few years of daily writing);
through the new index it reads three rows. The column is a copy of the entry's author, filled in
here for the replies already there and on save for new ones (JournalReply.save).
"""
from peewee import ForeignKeyField, Model


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    mentee = ForeignKeyField(User, field=User.id, null=True, on_delete='CASCADE', index=False)
    migrator.migrate(migrator.add_column('journal_reply', 'mentee_id', mentee))
    db.execute_sql('UPDATE journal_reply SET mentee_id = (SELECT author_id FROM journal_entry'
                   ' WHERE journal_entry.id = journal_reply.entry_id)')
    migrator.migrate(
        migrator.add_not_null('journal_reply', 'mentee_id'),
        migrator.add_index('journal_reply', ('mentee_id', 'created')),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index('journal_reply', 'journal_reply_mentee_id_created'),
        migrator.drop_column('journal_reply', 'mentee_id'),
    )
