"""The outbox's services, in rooms: `queueing` (mail intents into the caller's transaction, copies
for a resend, forgetting mail), `rendering` (a kind's renderer, stored once; the viewer's preview),
`delivery` (claims, SMTP, outcomes, the worker) and `reading` (what the viewer lists). Everything
is re-exported here: `from app.outbox import services` and `services.enqueue(...)`.

To queue a mail of a kind: register the kind once (`app.outbox.kinds.mail_kind`), then

    services.enqueue(MailIntent(kind=MY_KIND, to=..., dedup_key=..., ids={...}, snapshot={...}))

in the transaction of the change. Nothing renders or sends mail inside a request.
"""

from app.outbox.kinds import KINDS, AsOf, MailIntent, MailKind, RenderedMail, mail_kind
from app.outbox.services.claims import backoff
from app.outbox.services.delivery import (
    DeliveryReport,
    default_worker_id,
    deliver_all_due,
    deliver_due,
    run_worker,
    smtp_settings,
)
from app.outbox.services.queueing import enqueue, enqueue_many, forget_recipient, purge, resend
from app.outbox.services.reading import count_queued, get_message, kinds, list_messages, status_counts
from app.outbox.services.rendering import (
    Preview,
    RenderError,
    intent_of,
    preview,
    render,
    render_queued,
    subjects,
)

__all__ = [
    "KINDS",
    "AsOf",
    "DeliveryReport",
    "MailIntent",
    "MailKind",
    "Preview",
    "RenderError",
    "RenderedMail",
    "backoff",
    "count_queued",
    "default_worker_id",
    "deliver_all_due",
    "deliver_due",
    "enqueue",
    "enqueue_many",
    "forget_recipient",
    "get_message",
    "intent_of",
    "kinds",
    "list_messages",
    "mail_kind",
    "preview",
    "purge",
    "render",
    "render_queued",
    "resend",
    "run_worker",
    "smtp_settings",
    "status_counts",
    "subjects",
]
