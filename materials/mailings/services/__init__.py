"""Follow-up mailings, in rooms: `audience` (who is in a segment, the news rule, the preview),
`editing` (drafts, text, scheduling, the test mail), `sending` (resumable, never twice),
`progress` (the mailing's state and each recipient's, derived from the outbox) and `retry` (a failed
mail queued again). Everything is re-exported here: `from materials.mailings import services`.

Sending is resumable and never sends twice. `send_mailing` writes the recipients in batches, each
batch in its own transaction: a MailingRecipient row per address (UNIQUE per mailing) and its
outbox intent (dedup key `mailing:<id>:<address>`), in bulk; nothing is rendered then: the
outbox's worker renders each mail (`mails`, `rendering`). A crash halfway leaves whole batches
behind; running it again skips every address already written. A second click, a rerun of the
worker or two of them at once add nobody twice: both tables ignore a key they already hold.

Who gets what (the news rule): a mailing to attendees is about the session they booked and goes
to every attendee. A mailing to no-shows, the waiting list or those who cancelled invites them to
other dates: that is news about later sessions, which the privacy notice promises only to people
who ticked "news" when registering (Registration.news_opt_in) and never to an unsubscribed
address; such mail carries one-click unsubscribe (RFC 8058). An unsubscribe counts at once, also
for the batches of a mailing that is going out.
"""

from materials.mailings.services.audience import (
    SEGMENT_STATUS,
    Audience,
    audience,
    chosen_recipient,
    get_mailing,
    mailings_of,
    preview,
    sibling_sessions,
)
from materials.mailings.services.editing import (
    EDITABLE,
    FOLLOW_UP_TIME,
    MailingData,
    create_mailing,
    default_follow_up_time,
    schedule_mailing,
    send_test,
    unschedule_mailing,
    update_mailing,
)
from materials.mailings.services.progress import (
    PER_PAGE,
    Progress,
    RecipientState,
    State,
    progress,
    progress_of,
    recipients,
)
from materials.mailings.services.retry import retry_recipient
from materials.mailings.services.sending import (
    BATCH_SIZE,
    STALE_SENDING,
    outbox_key,
    send_due,
    send_mailing,
    sessions_completed,
)

__all__ = [
    "BATCH_SIZE",
    "EDITABLE",
    "FOLLOW_UP_TIME",
    "SEGMENT_STATUS",
    "STALE_SENDING",
    "Audience",
    "PER_PAGE",
    "MailingData",
    "Progress",
    "RecipientState",
    "State",
    "audience",
    "chosen_recipient",
    "create_mailing",
    "default_follow_up_time",
    "get_mailing",
    "mailings_of",
    "outbox_key",
    "preview",
    "progress",
    "progress_of",
    "recipients",
    "retry_recipient",
    "schedule_mailing",
    "send_due",
    "send_mailing",
    "send_test",
    "sessions_completed",
    "sibling_sessions",
    "unschedule_mailing",
    "update_mailing",
]
