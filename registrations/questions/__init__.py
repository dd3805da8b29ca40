"""Questions the team defines: extra registration questions per topic or per session, and their
answers, kept with the registration (key and label as answered, so old answers stay readable)."""

from registrations.questions import models  # noqa: F401 - registers the table
