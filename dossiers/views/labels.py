"""Words for the codes the dossier pages show, registered as template globals."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.labels import label
from dossiers import checklist, workflow
from dossiers import models as labels
from registrations import labels as registration_labels

ASSESSMENTS = {
    "sufficient": _l("voldoende"),
    "doubtful": _l("twijfelachtig"),
    "insufficient": _l("onvoldoende"),
}
GUIDANCE = {"not_needed": _l("niet nodig"), "recommended": _l("aanbevolen"), "required": _l("verplicht")}


def item_status_label(item) -> str:
    mapping = checklist.RECORD_ONLY_LABELS if item.element.record_only else checklist.ITEM_STATUS_LABELS
    return str(mapping[item.status])


def _code_label(mapping: dict):
    return lambda value: "—" if value is None else label(mapping, value)


def init_app(app) -> None:
    """The words the dossier templates use for codes."""
    app.jinja_env.globals.update(
        dossier_state_label=workflow.state_label,
        dossier_action_label=lambda state: str(workflow.ACTION_LABELS[state]),
        dossier_type_label=lambda value: labels.label(labels.DOSSIER_TYPE_LABELS, value),
        item_status_label=item_status_label,
        legal_form_label=lambda value: registration_labels.label(registration_labels.LEGAL_FORMS, value),
        proposal_outcome_label=lambda value: labels.label(labels.PROPOSAL_OUTCOMES, value),
        complaint_kind_label=lambda value: labels.label(labels.COMPLAINT_KINDS, value),
        complaint_channel_label=lambda value: labels.label(labels.COMPLAINT_CHANNELS, value),
        intake_assessment_label=_code_label(ASSESSMENTS),
        intake_guidance_label=_code_label(GUIDANCE),
    )
