"""UI text in the launch's language: Babel catalogues (lti_tool/translations), English default.

The catalogues ship as .po files and are compiled in memory on first use, so a checkout, an
editable install and the wheel read the same files and no compiled .mo can lag its .po.
Update them with `make translations` (pybabel extract + update; see babel.cfg).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from io import BytesIO
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from flask import Flask, before_render_template, g, has_app_context
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

LANGUAGES = ("en", "de", "es")  # English is the source text; the others have catalogues
DOMAIN = "messages"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark only"
    """Mark `message` for the catalogue without translating it (it is translated where shown)."""
    return message


def catalogue_path(language: str) -> Any:
    """The .po file of `language` inside the installed package."""
    return resources.files("lti_tool") / "translations" / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=len(LANGUAGES))
def translations_for(language: str) -> NullTranslations:
    """The compiled catalogue of `language` (a two-letter code); English text for any other."""
    if language not in LANGUAGES[1:]:
        return NullTranslations()
    with catalogue_path(language).open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def language_of(locale: str | None) -> str:
    """The catalogue language for an LMS locale claim (`de-DE`, `es_419`, ...), else `en`."""
    language = (locale or "").strip().replace("_", "-").split("-", 1)[0].lower()
    return language if language in LANGUAGES else "en"


def use_locale(locale: str | None) -> str:
    """Show this request's pages in the language of `locale`; returns that language."""
    language = language_of(locale)
    g.cp_language = language
    return language


def current_language() -> str:
    return g.get("cp_language", "en") if has_app_context() else "en"


def gettext(message: str, **variables: Any) -> str:
    """`message` in the current request's language, with `%(name)s` variables filled in."""
    text = translations_for(current_language()).gettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables: Any) -> str:
    """The singular or plural form for `n` in the current language (`%(num)s` is `n`)."""
    text = translations_for(current_language()).ngettext(singular, plural, n)
    return text % {"num": n, **variables}


def _jinja_gettext(message: str) -> str:
    return translations_for(current_language()).gettext(message)


def _jinja_ngettext(singular: str, plural: str, n: int) -> str:
    return translations_for(current_language()).ngettext(singular, plural, n)


# Jinja's own new-style callables go through three `Context.call`s per `_()` (the alias,
# the wrapper, our function); a launch's readiness page has ~130 of them, about a third of
# its rendering time. These do the same in one call: the message in the current language,
# Markup under autoescape (so the variables are escaped), `%` always applied.
#
# Under autoescape the result for a message and language is the same every time when the
# message has no variables (a page's labels and headings: most of its `_()` calls), and the
# catalogue text's Markup is when it has some: both kept per process, as the catalogues are
# (`translations_for`), up to a bound in case a template translates a computed string.
_MARKUP_LIMIT = 20_000
_catalogue_markup: dict[tuple[str, str], Markup] = {}
_static_markup: dict[tuple[str, str], Markup] = {}


@pass_context
def _template_gettext(context: Context, message: str, **variables: Any) -> str:
    if not context.eval_ctx.autoescape:
        return translations_for(current_language()).gettext(message) % variables
    key = (current_language(), message)
    if not variables:
        done = _static_markup.get(key)
        if done is None:
            done = _markup(key) % variables
            if len(_static_markup) < _MARKUP_LIMIT:
                _static_markup[key] = done
        return done
    return _markup(key) % variables


def _markup(key: tuple[str, str]) -> Markup:
    """The catalogue text of (language, message) as Markup: our text, as Jinja treats it."""
    found = _catalogue_markup.get(key)
    if found is None:
        found = Markup(translations_for(key[0]).gettext(key[1]))  # noqa: S704 - our catalogue
        if len(_catalogue_markup) < _MARKUP_LIMIT:
            _catalogue_markup[key] = found
    return found


@pass_context
def _template_ngettext(context: Context, singular: str, plural: str, num: int,
                       **variables: Any) -> str:
    variables.setdefault("num", num)
    text = translations_for(current_language()).ngettext(singular, plural, num)
    if context.eval_ctx.autoescape:
        return Markup(text) % variables  # noqa: S704 - our catalogue text, as Jinja does
    return text % variables


def _follow_the_launch(sender: Flask, template: Any, context: dict[str, Any],
                       **extra: Any) -> None:
    """A page rendered for a launch (a `launch` session or a `locale` in its context) is in
    that launch's language, whichever view renders it."""
    launch = context.get("launch")
    if launch is not None and hasattr(launch, "locale"):
        use_locale(launch.locale)
    elif "locale" in context:
        use_locale(context["locale"])


def init_app(app: Flask) -> None:
    """Give the templates `_`, `gettext`, `ngettext` and `{% trans %}` (Jinja's i18n)."""
    before_render_template.connect(_follow_the_launch, app)
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.globals["current_language"] = current_language  # base.html's <html lang>
    # new style: variables are keyword arguments, escaped under autoescape, `%` done by Jinja
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        _jinja_gettext, _jinja_ngettext, newstyle=True)
    app.jinja_env.globals.update(_=_template_gettext, gettext=_template_gettext,
                                 ngettext=_template_ngettext)
