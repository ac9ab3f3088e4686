"""Follow-up schedule: referrer links, referrer invitations, reminders sent

Revision ID: 0002_schedule
Revises: 0001
Create Date: 2026-11-23 11:06:51.412575

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0002_schedule'
down_revision = "0002_reports"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('referrer_invitations',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('email_index', sa.String(length=64), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('user_id', sa.String(length=36), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_referrer_invitations_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referrer_invitations')),
    sa.UniqueConstraint('email_index', name=op.f('uq_referrer_invitations_email_index')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_referrer_invitations_token_hash'))
    )
    op.create_table('reminders_sent',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('participant_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_reminders_sent_participant_id_participants')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reminders_sent_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders_sent')),
    sa.UniqueConstraint('user_id', 'participant_id', 'kind', 'due_on',
                        name=op.f('uq_reminders_sent_user_id_participant_id_kind_due_on'))
    )
    with op.batch_alter_table('reminders_sent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminders_sent_user_id'), ['user_id'], unique=False)

    op.create_table('referrer_links',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('participant_id', sa.String(length=36), nullable=False),
    sa.Column('email_index', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_referrer_links_event_id_events')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_referrer_links_participant_id_participants')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_referrer_links_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referrer_links')),
    sa.UniqueConstraint('event_id', name=op.f('uq_referrer_links_event_id'))
    )
    with op.batch_alter_table('referrer_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referrer_links_email_index'), ['email_index'], unique=False)
        batch_op.create_index(batch_op.f('ix_referrer_links_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referrer_links_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('referrer_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referrer_links_user_id'))
        batch_op.drop_index(batch_op.f('ix_referrer_links_participant_id'))
        batch_op.drop_index(batch_op.f('ix_referrer_links_email_index'))

    op.drop_table('referrer_links')
    with op.batch_alter_table('reminders_sent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminders_sent_user_id'))

    op.drop_table('reminders_sent')
    op.drop_table('referrer_invitations')
