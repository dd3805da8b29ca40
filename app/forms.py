"""The base of every form, and helpers shared by every form."""

import re
from datetime import date

from babel.dates import get_month_names
from flask import flash
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms.fields import Field, StringField
from wtforms.utils import unset_value
from wtforms.validators import DataRequired, Length, ValidationError
from wtforms.widgets import Select, html_params

from app.errors import DomainError, InvalidInput


class Form(FlaskForm):
    """FlaskForm with CSRF, and WTForms' own messages ("Dit veld is verplicht.", "Geen geldig
    getal.") in the page's language.

    Through WTForms' documented hook: `Meta.locales` names the language, and WTForms loads that
    language's catalogue once per process and keeps it (`Meta.cache_translations`, on by
    default). Flask-WTF's own i18n, which reads the catalogue from disk again in every request,
    is off (`WTF_I18N_ENABLED = False` in app/config.py): with it on, Flask-WTF would ignore
    `locales`.
    """

    class Meta(FlaskForm.Meta):
        @property
        def locales(self):
            locale = get_locale()  # nl_BE or en_GB; gettext also tries nl and en
            return [str(locale)] if locale else False

        def render_field(self, field, render_kw):
            # A page may hold several forms: their CSRF tokens must not all say id="csrf_token".
            if field.type == "CSRFTokenField":
                render_kw = {"id": False, **render_kw}
            return super().render_field(field, render_kw)


class ActionForm(Form):
    """A button that changes something (confirm, cancel, tick, delete…): a POST with only its
    CSRF token, so no change is ever a GET and every change is covered by CSRF."""


def apply_domain_error(form, error: DomainError, field_names: dict[str, str] | None = None) -> None:
    """Show a rule's message beside its field, or at the top of the form when it has none; every
    message of an InvalidInput (several broken rules at once).

    `field_names` maps a service's field name to the form's where they differ.
    """
    if isinstance(error, InvalidInput):
        for one in error.errors:
            apply_domain_error(form, one, field_names)
        return
    name = (field_names or {}).get(error.field, error.field) if error.field else None
    field = getattr(form, name, None) if name else None
    if field is not None:
        if str(error) not in field.errors:
            field.errors = [*field.errors, str(error)]
    else:
        form.form_errors.append(str(error))
        flash(str(error), "error")


class Rule:
    """A field validator that runs a domain rule: a function that raises DomainError for a bad
    value (app.validation.normalise_phone, app.geo.lookup_postcode…). The rule stays written
    once, in its own module; the form only calls it, so a person sees every mistake in one
    answer, the format rules beside the shape checks. Silent for an empty field (Optional() and
    DataRequired() speak for that) and for a field that already has a message."""

    def __init__(self, rule):
        self.rule = rule

    def __call__(self, form, field):
        value = field.data
        if field.errors or value is None or (isinstance(value, str) and not value.strip()):
            return
        try:
            self.rule(value)
        except DomainError as error:
            raise ValidationError(str(error)) from error


def form_status(form) -> int:
    """422 when the form shows errors (its fields' or a rule's), else 200."""
    return 422 if form.errors or form.form_errors else 200


# --------------------------------------------------------------------------- month and year


_MONTH_FIELD_SUFFIX, _YEAR_FIELD_SUFFIX = "-maand", "-jaar"
_LEGACY_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
MIN_YEAR, MAX_YEAR = 1900, 2999


def month_names() -> list[str]:
    """The twelve months in the request's language ('januari' … 'december'), January first."""
    names = get_month_names("wide", context="stand-alone", locale=str(get_locale() or "nl_BE"))
    return [names[number] for number in range(1, 13)]


def parse_month(month: str, year: str) -> date:
    """The first day of the month chosen in two selects; ValueError with a Dutch message."""
    month, year = (month or "").strip(), (year or "").strip()
    if not month and not year:
        raise ValueError(_l("Kies een maand en een jaar."))
    if not month:
        raise ValueError(_l("Kies ook de maand."))
    if not year:
        raise ValueError(_l("Kies ook het jaar."))
    if not (month.isdigit() and 1 <= int(month) <= 12):
        raise ValueError(_l("Kies een maand uit de lijst."))
    if not (year.isdigit() and MIN_YEAR <= int(year) <= MAX_YEAR):
        raise ValueError(_l("Kies een jaar uit de lijst."))
    return date(int(year), int(month), 1)


class MonthYearWidget:
    """Two selects, month then year, inside the field's fieldset (the `field` macro draws it).

    The month select carries the field's id, so a label or an error summary that links to the
    field lands on it; the year select has the id followed by "-jaar". Both get the extra
    attributes the macro passes (aria-describedby, aria-invalid)."""

    def __call__(self, field, **kwargs):
        kwargs.pop("id", None)
        required = bool(field.flags.required)
        month, year = field.selected_parts()
        months = [("", _l("maand"))] + [(str(n), name) for n, name in enumerate(month_names(), start=1)]
        years = [("", _l("jaar"))] + [(str(y), str(y)) for y in field.year_choices(year)]
        parts = []
        option = Markup('<option value="{}"{}>{}</option>')
        part = Markup(
            '<div class="month-year-part"><label class="month-year-label" for="{}">{}</label>'
            "<select {}>{}</select></div>"
        )
        for suffix, element_id, label, choices, chosen in (
            (_MONTH_FIELD_SUFFIX, field.id, _l("Maand"), months, month),
            (_YEAR_FIELD_SUFFIX, f"{field.id}{_YEAR_FIELD_SUFFIX}", _l("Jaar"), years, year),
        ):
            options = Markup("").join(
                option.format(value, Markup(" selected") if value == chosen else "", text)
                for value, text in choices
            )
            attributes = html_params(id=element_id, name=field.name + suffix, required=required, **kwargs)
            params = Markup(attributes)  # noqa: S704 - html_params escapes every value
            parts.append(part.format(element_id, label, params, options))
        return Markup('<div class="month-year">{}</div>').format(Markup("").join(parts))


class MonthYearField(Field):
    """A month (a date on the 1st) asked as two selects, month and year: never a native
    `<input type="month">`, which browsers draw in their own language.

    `years` is a callable giving the years to offer (default: from this year to five years on);
    a year already chosen is always offered too. A single value `name=YYYY-MM` is read as well,
    so older links, bookmarks and scripts keep working. Errors are Dutch: a month without a
    year (or the other way round) says which half is missing."""

    widget = MonthYearWidget()

    def __init__(self, label=None, validators=None, years=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.years = years or _default_years
        self._parts: tuple[str, str] = ("", "")

    def process(self, formdata, data=unset_value, extra_filters=None):
        super().process(formdata, data, extra_filters)
        if formdata is None:
            return
        month = formdata.get(self.name + _MONTH_FIELD_SUFFIX, "")
        year = formdata.get(self.name + _YEAR_FIELD_SUFFIX, "")
        legacy = (formdata.get(self.name) or "").strip()
        if not (month or year) and legacy:
            self._parts = ("", "")
            self.raw_data = [legacy]
            found = _LEGACY_MONTH.match(legacy)
            try:
                if not found:
                    raise ValueError(_l("Kies een maand en een jaar."))
                self.data = parse_month(str(int(found.group(2))), found.group(1))
            except ValueError as error:
                self.data = None
                self.process_errors.append(error.args[0])
            return
        self._parts = (month.strip(), year.strip())
        # Optional() looks at the first raw value only: blank means "nothing chosen at all".
        self.raw_data = [f"{year}-{month}".strip("-")] if (month.strip() or year.strip()) else []
        if not self.raw_data:
            self.data = None
            return
        try:
            self.data = parse_month(month, year)
        except ValueError as error:
            self.data = None
            self.process_errors.append(error.args[0])

    def selected_parts(self) -> tuple[str, str]:
        """(month, year) as strings for the selects: what was posted, else the field's date."""
        if any(self._parts):
            return self._parts
        if isinstance(self.data, date):
            return str(self.data.month), str(self.data.year)
        return "", ""

    def year_choices(self, chosen: str = "") -> list[int]:
        years = list(self.years())
        if chosen.isdigit() and MIN_YEAR <= int(chosen) <= MAX_YEAR and int(chosen) not in years:
            years = sorted([*years, int(chosen)])
        return years

    def _value(self):
        return self.data.strftime("%Y-%m") if isinstance(self.data, date) else ""


def _default_years() -> range:
    this_year = date.today().year
    return range(this_year, this_year + 6)


def years_around(back: int, ahead: int):
    """A `years` callable for MonthYearField: this year minus `back` to this year plus `ahead`."""

    def years() -> range:
        this_year = date.today().year
        return range(this_year - back, this_year + ahead + 1)

    return years


def month_args(args: MultiDict, *names: str) -> MultiDict:
    """A query string whose month filters came as two selects (`van-maand`, `van-jaar`), with
    each month also written as the single `van=YYYY-MM` that the filters read.

    A half-chosen month (only a year, say) becomes a value the filters refuse with their own
    message; a month given the old way (`?van=2027-01`) is left alone."""
    combined = MultiDict(args)
    for name in names:
        month = (args.get(name + _MONTH_FIELD_SUFFIX) or "").strip()
        year = (args.get(name + _YEAR_FIELD_SUFFIX) or "").strip()
        if not (month or year):
            continue
        if month.isdigit() and year.isdigit():
            combined[name] = f"{int(year):04d}-{int(month):02d}"
        else:
            combined[name] = f"{year}-{month}"  # refused by the filter, which says why
    return combined


def month_select_parts(value: date | None, args=None, name: str | None = None) -> tuple[str, str]:
    """(month, year) for the two selects of a GET filter: as typed in the query string, else
    the filter's current month."""
    if args is not None and name:
        month = (args.get(name + _MONTH_FIELD_SUFFIX) or "").strip()
        year = (args.get(name + _YEAR_FIELD_SUFFIX) or "").strip()
        if month or year:
            return month, year
    if isinstance(value, date):
        return str(value.month), str(value.year)
    return "", ""


# --------------------------------------------------------------------------- day, month, year


_DAY_SUFFIX = "-dag"
_LEGACY_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def parse_day(day: str, month: str, year: str) -> date:
    """A date typed as three numbers (GOV.UK's date input); ValueError with a Dutch message."""
    day, month, year = ((value or "").strip() for value in (day, month, year))
    missing = [
        name
        for name, value in ((_l("de dag"), day), (_l("de maand"), month), (_l("het jaar"), year))
        if not value
    ]
    if len(missing) == 3:
        raise ValueError(_l("Vul een datum in."))
    if missing:
        raise ValueError(_l("Vul ook %(part)s in.", part=missing[0]))
    if not (day.isdigit() and month.isdigit() and year.isdigit()):
        raise ValueError(_l("Een datum bestaat uit cijfers, bijvoorbeeld 27 3 2027."))
    if len(year) != 4 or not MIN_YEAR <= int(year) <= MAX_YEAR:
        raise ValueError(_l("Het jaar heeft vier cijfers, bijvoorbeeld 2027."))
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(_l("Deze datum bestaat niet.")) from None


class DayMonthYearWidget:
    """Three short inputs, day, month and year, each with its own label (the `field` macro draws
    the fieldset and legend around them). The day input carries the field's id."""

    def __call__(self, field, **kwargs):
        kwargs.pop("id", None)
        day, month, year = field.typed_parts()
        part = Markup('<div class="date-input-part{}"><label for="{}">{}</label><input {}></div>')
        parts = []
        for suffix, element_id, label, value, extra in (
            (_DAY_SUFFIX, field.id, _l("Dag"), day, ""),
            (_MONTH_FIELD_SUFFIX, f"{field.id}{_MONTH_FIELD_SUFFIX}", _l("Maand"), month, ""),
            (_YEAR_FIELD_SUFFIX, f"{field.id}{_YEAR_FIELD_SUFFIX}", _l("Jaar"), year, " year"),
        ):
            attributes = html_params(
                id=element_id,
                name=field.name + suffix,
                type="text",
                inputmode="numeric",
                value=value,
                required=bool(field.flags.required),
                **kwargs,
            )
            parts.append(part.format(extra, element_id, label, Markup(attributes)))  # noqa: S704 - escaped
        return Markup('<div class="date-input">{}</div>').format(Markup("").join(parts))


class DayMonthYearField(Field):
    """A date asked as three numbers, day, month and year (the GOV.UK date input): for dates
    people know by heart (a date of birth, a date on a letter), never a browser's date picker.
    A single value `name=YYYY-MM-DD` is read as well."""

    widget = DayMonthYearWidget()

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self._typed: tuple[str, str, str] = ("", "", "")

    def process(self, formdata, data=unset_value, extra_filters=None):
        super().process(formdata, data, extra_filters)
        if formdata is None:
            return
        typed = tuple(
            (formdata.get(self.name + suffix) or "").strip()
            for suffix in (_DAY_SUFFIX, _MONTH_FIELD_SUFFIX, _YEAR_FIELD_SUFFIX)
        )
        legacy = (formdata.get(self.name) or "").strip()
        if not any(typed) and legacy:
            found = _LEGACY_DAY.match(legacy)
            typed = (found.group(3), found.group(2), found.group(1)) if found else ("", "", legacy)
        self._typed = typed
        self.raw_data = ["-".join(typed)] if any(typed) else []
        if not self.raw_data:
            self.data = None
            return
        try:
            self.data = parse_day(*typed)
        except ValueError as error:
            self.data = None
            self.process_errors.append(error.args[0])

    def typed_parts(self) -> tuple[str, str, str]:
        if any(self._typed):
            return self._typed
        if isinstance(self.data, date):
            return str(self.data.day), str(self.data.month), str(self.data.year)
        return "", "", ""

    def _value(self):
        return self.data.isoformat() if isinstance(self.data, date) else ""


# --------------------------------------------------------------------------- selects


PLACEHOLDER_SELECT = Select()


def render_select(field, placeholder=None, **kwargs) -> Markup:
    """A select as WTForms draws it, but a required select always starts with an empty
    "Kies …" option (HTML requires it, and nobody's answer is chosen for them)."""
    html = PLACEHOLDER_SELECT(field, **kwargs)
    choices = list(field.iter_choices())
    first_value = _choice_value(choices[0]) if choices else ""
    required = kwargs.get("required", bool(field.flags.required))
    if required and first_value not in ("", None):
        opening_end = html.index(">") + 1
        option = Markup('<option value="">{}</option>').format(placeholder or _l("Kies …"))
        html = Markup("").join((html[:opening_end], option, html[opening_end:]))
    return html


def _choice_value(choice) -> str:
    value = choice.value if hasattr(choice, "value") else choice[0]
    return "" if value is None else str(value)


def hidden_fields(form) -> Markup:
    """The form's hidden inputs (its CSRF token first) without ids: a page with several forms
    must not repeat `id="csrf_token"`, and nothing points at a hidden input by its id."""
    return Markup("").join(f(id=False) for f in form if getattr(f.widget, "input_type", None) == "hidden")


class LogoForm(Form):
    """The admin's logo upload; the content is checked by `app.branding.save_logo`."""

    file = FileField(
        _l("Logo"),
        description=_l("PNG, JPEG of SVG, hoogstens 1 MB. Een liggend logo op wit werkt best."),
        render_kw={"accept": ".png,.jpg,.jpeg,.svg,image/png,image/jpeg,image/svg+xml"},
    )
    alt = StringField(
        _l("Tekst van het logo"),
        validators=[
            DataRequired(message=_l("Geef de tekst van het logo (bv. de naam van het agentschap).")),
            Length(max=200),
        ],
        description=_l("Wat er in het logo staat, voor wie het niet ziet (bv. de naam van het agentschap)."),
    )
