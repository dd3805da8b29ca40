"""A session's deck, in rooms: `gathering` (what the slides show, from the database),
`generating` (the deck built on the current master and kept by the version of its data),
`masters` (the master an admin uploads, or the default), `finals` (the expert's final version,
which replaces the generated deck) and `library` (the slides per agenda block). Everything is
re-exported here, so callers write `from materials.decks import services` and
`services.generate_deck(...)`; a test that replaces a function patches the room that calls it."""

from materials.decks.services.finals import (
    FINAL_AREA,
    deck_filename,
    final_deck,
    final_deck_path,
    remove_final,
    upload_final,
)
from materials.decks.services.gathering import (
    ASKING,
    COUNTED,
    INTAKE_PATH,
    blocks_for,
    deck_data,
    intake_url,
    place_of,
    placeholder_values,
)
from materials.decks.services.generating import (
    agency_logo,
    build_session_deck,
    code_files,
    code_version,
    deck_version,
    generate_deck,
)
from materials.decks.services.library import (
    BlockData,
    delete_block,
    get_block,
    library_overview,
    save_block,
)
from materials.decks.services.masters import (
    MASTER_AREA,
    current_master,
    master_bytes,
    reset_master,
    upload_master,
)

__all__ = [
    "ASKING",
    "COUNTED",
    "FINAL_AREA",
    "INTAKE_PATH",
    "MASTER_AREA",
    "BlockData",
    "agency_logo",
    "blocks_for",
    "build_session_deck",
    "code_files",
    "code_version",
    "current_master",
    "deck_data",
    "deck_filename",
    "deck_version",
    "delete_block",
    "final_deck",
    "final_deck_path",
    "generate_deck",
    "get_block",
    "intake_url",
    "library_overview",
    "master_bytes",
    "place_of",
    "placeholder_values",
    "remove_final",
    "reset_master",
    "save_block",
    "upload_final",
    "upload_master",
]
