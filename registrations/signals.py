"""What the registrations package tells packages further along (materials, dossiers).

Sent inside the service's transaction, before the commit, so a receiver's writes (a lead, a
mail) commit or roll back together with the change. Receivers must not commit.
"""

from blinker import Namespace

_signals = Namespace()

#: sender: the Registration, whose e-mail address is now confirmed (by the person's click, or
#: because staff typed it); its status is confirmed or waitlisted. Sent once per registration.
registration_confirmed = _signals.signal("registration-confirmed")
#: sender: the Registration, now attended (checked in at the door or imported from an online
#: meeting's attendee list). Sent once per registration, not again on an undo and redo.
registration_attended = _signals.signal("registration-attended")
