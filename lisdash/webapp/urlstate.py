"""View state in the URL: every choice a page offers is a query parameter, validated on every run."""

from __future__ import annotations

import streamlit as st

from lisdash.views.urlparams import Param, parse, parse_list

WIDGET_CHANGE = "_changed_by_widget"
FOLLOWS = ("cluster",)  # a choice that follows the visitor from page to page, unless the URL says otherwise


def url_choices(spec: list[Param]) -> dict[str, str]:
    """Values of URL parameters that no widget shows (bad ones get a notice and the default)."""
    values, problems = parse({p.name: st.query_params.get(p.name) for p in spec}, spec)
    if not st.session_state.get(WIDGET_CHANGE):
        for problem in problems:
            st.warning(problem, icon=":material/warning:")
    return values


def choose(label: str, param: Param, labels: dict[str, str] | None = None, horizontal: bool = False,
           blocked: dict[str, str] | None = None) -> str:
    """A choice kept in the URL (query parameter `param.name`), which is the source of truth on every run.

    A bad value typed into the URL gets a visible notice and the default; a value left stale by the
    user's own change of another widget (e.g. a year the new measure lacks) falls back quietly. A
    value `blocked` for the current selection (a source that cannot show the cluster) is not offered;
    asked for, it gives the reason and the choice shown instead. A choice in FOLLOWS (the cluster)
    chosen on one page is the default of the next page the visitor opens without it in the URL.
    """
    blocked = blocked or {}
    options = [o for o in param.options if o not in blocked]
    followed = st.session_state.get(f"_follow_{param.name}") if param.name in FOLLOWS else None
    default = followed if followed in options else param.default
    param = Param(param.name, options, default if default in options else options[0])
    key = f"pick_{param.name}"
    asked = st.query_params.get(param.name)
    if asked in blocked:
        shown = labels.get(param.default, param.default) if labels else param.default
        st.info(f"{blocked[asked]} Showing {shown} instead.", icon=":material/info:")
        st.query_params[param.name] = param.default
    values, problems = parse({param.name: st.query_params.get(param.name)}, [param])
    if not st.session_state.get(WIDGET_CHANGE):
        for problem in problems:
            st.warning(problem, icon=":material/warning:")
    st.session_state[key] = values[param.name]
    st.query_params[param.name] = values[param.name]
    fmt = (lambda v: labels.get(v, v)) if labels else str
    widget = st.radio if horizontal else st.selectbox
    extra = {"horizontal": True} if horizontal else {}
    chosen = widget(label, options, format_func=fmt, key=key, on_change=_to_url, args=(param.name, key), **extra)
    if param.name in FOLLOWS:
        st.session_state[f"_follow_{param.name}"] = chosen
    return chosen


def choose_many(label: str, name: str, options: list[str], default: list[str], labels: dict[str, str],
                limit: int) -> list[str]:
    """A multiple choice kept in the URL as a comma-separated list (at most `limit` values)."""
    key = f"pick_{name}"
    chosen, problems = parse_list(st.query_params.get(name), options, limit, name)
    if not st.session_state.get(WIDGET_CHANGE):
        for problem in problems:
            st.warning(problem, icon=":material/warning:")
    if name not in st.query_params:
        chosen = default
    st.session_state[key] = chosen
    st.query_params[name] = ",".join(chosen)
    return st.multiselect(label, options, format_func=lambda v: labels.get(v, v), key=key, max_selections=limit,
                          on_change=_list_to_url, args=(name, key))


def _list_to_url(name: str, key: str) -> None:
    st.session_state[WIDGET_CHANGE] = True
    st.query_params[name] = ",".join(st.session_state[key])


def _to_url(name: str, key: str) -> None:
    st.session_state[WIDGET_CHANGE] = True
    st.query_params[name] = st.session_state[key]



def run_done() -> None:
    """Mark the end of a page's run: the next notices are about URLs, not the user's own widget changes."""
    st.session_state[WIDGET_CHANGE] = False
