"""Lesson text (Markdown per language, editable by a teacher) and the figures that go with it."""
