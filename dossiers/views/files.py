"""What a dossier's page lets one download: its documents, the proposal as Word, the coded export."""

from __future__ import annotations

import json

from flask import Response, abort, send_file
from flask_login import current_user

from app import uploads
from app.auth.access import role_required
from app.errors import NotFound
from dossiers import export, proposal, services
from dossiers.views.common import READERS, bp, dossier_or_404, today_in_brussels

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@bp.get("/<reference>/voorstel.docx")
@role_required(*READERS)
def proposal_docx(reference: str):
    dossier = dossier_or_404(reference)
    data = proposal.build(dossier, today=today_in_brussels(), author=current_user.name)
    return Response(
        data,
        mimetype=DOCX_MIMETYPE,
        headers={"Content-Disposition": f'attachment; filename="voorstel-{dossier.reference}.docx"'},
    )


@bp.get("/<reference>/documenten/<int:document_id>")
@role_required(*READERS)
def document(reference: str, document_id: int):
    dossier = dossier_or_404(reference)
    try:
        doc = services.get_document(dossier, document_id)
        path = uploads.open_stored(doc.storage_key)
    except NotFound:
        abort(404)
    return send_file(path, mimetype=doc.content_type, as_attachment=True, download_name=doc.original_name)


@bp.get("/<reference>.json")
@role_required(*READERS)
def export_json(reference: str):
    dossier = dossier_or_404(reference)
    body = json.dumps(export.record(dossier, today_in_brussels()), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json")


@bp.get("/<reference>.csv")
@role_required(*READERS)
def export_csv(reference: str):
    dossier = dossier_or_404(reference)
    return Response(
        "\ufeff" + export.csv_text(dossier, today_in_brussels()),  # the BOM makes spreadsheets read UTF-8
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{dossier.reference}.csv"'},
    )
