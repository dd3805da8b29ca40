"""What the sessions package tells packages further along (registrations, materials).

Sent inside the service's transaction, before the commit, so a receiver's writes (an outbox
mail, a promoted registration) commit or roll back together with the change.
"""

from blinker import Namespace

_signals = Namespace()

#: sender: the InfoSession; kwargs: changes (set of "time", "place")
session_rescheduled = _signals.signal("session-rescheduled")
#: sender: the InfoSession (status already cancelled, cancel_reason set)
session_cancelled = _signals.signal("session-cancelled")
#: sender: the InfoSession; kwargs: old_capacity
session_capacity_raised = _signals.signal("session-capacity-raised")
#: sender: the InfoSession
session_completed = _signals.signal("session-completed")
