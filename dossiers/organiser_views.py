"""The organiser's page, reached only through their signed, expiring link: what is still
missing, and a form to upload documents. No login; the link is the key to one dossier."""

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app import uploads
from app.errors import DomainError, NotFound
from app.extensions import limiter
from app.forms import apply_domain_error, form_status
from app.labels import options
from dossiers import checklist, links, services
from dossiers.forms import UploadForm

bp = Blueprint("dossiers_organiser", __name__)


def _upload_limit() -> str:
    return current_app.config.get("DOSSIER_UPLOAD_RATE_LIMIT", "30 per hour")


def _refused(message: str, status: int):
    return render_template("dossiers/link_refused.html", message=message), status


@bp.route("/dossier/<signed>", methods=["GET", "POST"])
@limiter.limit(_upload_limit, methods=["POST"])
def organiser(signed: str):
    try:
        dossier = services.get_by_link(signed)
    except links.LinkExpired:
        return _refused(
            _(
                "Deze link is verlopen. Vraag je dossierbeheerder om een nieuwe link, of gebruik de link "
                "in je meest recente mail."
            ),
            410,
        )
    except NotFound as error:
        return _refused(str(error), 404)
    form = UploadForm()
    form.file.render_kw = {"accept": uploads.accepted_extensions(services.DOCUMENT_KINDS)}
    open_items = services.open_items(dossier)
    form.item_id.choices = options(
        [(item.id, item.element.name) for item in open_items if services.uploadable(item)]
    )
    if form.validate_on_submit():
        upload = form.file.data
        try:
            services.upload_document(dossier, form.item_id.data, upload.stream, upload.filename)
        except NotFound:
            form.item_id.errors = [*form.item_id.errors, _("Kies een element uit de lijst.")]
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("Dank je! We hebben je document goed ontvangen."), "success")
            return redirect(url_for("dossiers_organiser.organiser", signed=signed))
    return (
        render_template(
            "dossiers/organiser.html",
            d=dossier,
            form=form,
            open_items=open_items,
            done=checklist.completeness(dossier.items),
            max_mb=current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024),
            can_upload=bool(form.item_id.choices)
            and dossier.state.value in ("intake", "documents", "completeness_check"),
        ),
        form_status(form),
    )
