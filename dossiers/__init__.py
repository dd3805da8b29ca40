"""Dossiers: leads from the sessions, intake conversations, and intake dossiers with their
checklist, documents, workflow, decision proposal and audit trail.

`dossiers.leads` holds the leads, the lead rules and the intake conversations; the package root
holds the dossiers themselves. Leads live here rather than in registrations (as DESIGN.md first
drew it) because a lead is the start of a dossier: registrations only send signals
(`registrations.signals`) and never need to know a lead rule.
"""


def init_app(app) -> None:
    from dossiers import leads

    leads.init_app(app)
