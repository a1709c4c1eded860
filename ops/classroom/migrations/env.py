"""Alembic environment: always run programmatically by ops.classroom.migrate on a connection it passes in."""

from alembic import context

from ops.classroom.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
