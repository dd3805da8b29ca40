"""The dossiers' rules, in rooms: `dossiers` (making a dossier, its data, the workflow), `queries`
(finding and listing), `items` (the checklist, the organiser's uploads, what is missing and the
reminders), `analysis` (the rules checked, arguments, the proposal, complaints) and `catalogue`
(admins' edits of the checklist elements). Everything is re-exported here, so callers write
`from dossiers import services` and `services.change_state(...)`."""

from dossiers.services.analysis import (
    PROPOSAL_STATES,
    ComplaintData,
    RuleResult,
    add_argument,
    add_complaint,
    check_rules,
    remove_argument,
    save_proposal,
    update_complaint,
)
from dossiers.services.catalogue import catalogue_elements, get_element, save_element
from dossiers.services.dossiers import (
    DossierData,
    DuplicateDossier,
    assign_owner,
    change_state,
    create_dossier,
    data_from_lead,
    find_open_duplicate,
    lock_dossier,
    update_dossier,
)
from dossiers.services.items import (
    DOCUMENT_KINDS,
    ReminderReport,
    get_by_link,
    get_document,
    open_items,
    remind_overdue,
    send_missing_list,
    update_item,
    upload_document,
    uploadable,
)
from dossiers.services.queries import (
    DossierFilters,
    get_dossier,
    has_dossier,
    list_dossiers,
    open_dossier_of_lead,
    overdue_counts,
    owners,
    trail,
)

__all__ = [
    "DOCUMENT_KINDS",
    "PROPOSAL_STATES",
    "ComplaintData",
    "DossierData",
    "DossierFilters",
    "DuplicateDossier",
    "ReminderReport",
    "RuleResult",
    "add_argument",
    "add_complaint",
    "assign_owner",
    "catalogue_elements",
    "get_element",
    "save_element",
    "change_state",
    "check_rules",
    "create_dossier",
    "data_from_lead",
    "find_open_duplicate",
    "get_by_link",
    "get_document",
    "get_dossier",
    "has_dossier",
    "list_dossiers",
    "lock_dossier",
    "open_dossier_of_lead",
    "open_items",
    "overdue_counts",
    "owners",
    "remind_overdue",
    "remove_argument",
    "save_proposal",
    "send_missing_list",
    "trail",
    "update_complaint",
    "update_dossier",
    "update_item",
    "upload_document",
    "uploadable",
]
