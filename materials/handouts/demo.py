"""Demo handouts: a few small PDFs made by code (no binary in the repository) and a link."""

import io

from sqlalchemy import select

from app.extensions import db
from materials.handouts import services
from materials.handouts.models import Visibility
from sessions.models import InfoSession, SessionStatus, Topic


def _pdf_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def tiny_pdf(text: str) -> bytes:
    """A valid one-page A4 PDF showing one line of Latin-1 text, with an exact xref table."""
    stream = f"BT /F1 18 Tf 60 760 Td ({_pdf_text(text)}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


HANDOUTS = [
    ("Checklist: je vergunningsaanvraag voorbereiden", Visibility.ATTENDEES, "checklist-vergunning.pdf"),
    ("Tijdlijn van het starterstraject", Visibility.PUBLIC, "tijdlijn-starterstraject.pdf"),
    ("Draaiboek voor de presentator", Visibility.STAFF, "draaiboek.pdf"),
]


def load(context: dict) -> None:
    topic = db.session.scalar(select(Topic).where(Topic.slug == "kinderopvang-starten")) or db.session.scalar(
        select(Topic).order_by(Topic.id)
    )
    if topic is None:
        return
    for title, visibility, filename in HANDOUTS:
        services.add_material(
            services.MaterialData(title=title, visibility=visibility),
            topic=topic,
            stream=io.BytesIO(tiny_pdf(title)),
            filename=filename,
        )
    session = db.session.scalar(
        select(InfoSession)
        .where(InfoSession.topic_id == topic.id, InfoSession.status == SessionStatus.PUBLISHED)
        .order_by(InfoSession.starts_at)
    )
    if session is not None:
        services.add_material(
            services.MaterialData(
                title="Opgroeien: een kinderopvang starten",
                visibility=Visibility.PUBLIC,
                link_url="https://www.opgroeien.be/kinderopvang",
            ),
            session=session,
        )
