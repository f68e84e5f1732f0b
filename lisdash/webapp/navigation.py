"""Every page is served through app.py's st.navigation, even on a fresh server's first deep link.

Streamlit treats a `pages/` folder beside the main script as a legacy multipage app until the main
script has called st.navigation once in the process, and a page run that way has none of app.py's
page config, data provisioning or error boundary, under a sidebar of file names. So each page starts
with `declared_page()`: in a legacy run it switches that mode off and reruns, and the rerun goes
through app.py, whose st.navigation serves the page asked for. The rerun is raised from the page,
never while `lisdash.webapp` is being imported (other sessions may be importing it at that moment).
"""

from __future__ import annotations

from pathlib import Path

from streamlit.proto.WidgetStates_pb2 import WidgetStates
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.scriptrunner_utils.exceptions import RerunException
from streamlit.runtime.scriptrunner_utils.script_requests import RerunData

TRIGGERS = ("trigger_value", "string_trigger_value", "json_trigger_value", "chat_input_value")


def declared_page() -> None:
    """Rerun through app.py if this run is Streamlit's legacy pages-folder mode (app.py listed as a page).

    A first visit has no clicks. A run that carries one (only AppTest, which resets the mode before
    every run, gets here with a click) is let through once as it is: its callbacks have already run,
    and replaying the click would run them twice.
    """
    ctx = get_script_run_ctx()
    if ctx is None:
        return
    main = Path(ctx.main_script_path).resolve()
    if not any(Path(info.get("script_path", "")).resolve() == main for info in ctx.pages_manager.get_pages().values()):
        return
    PagesManager.uses_pages_directory = False
    states = ctx.session_state.get_widget_states()
    if any(state.WhichOneof("value") in TRIGGERS for state in states):
        return
    raise RerunException(RerunData(query_string=ctx.query_string, page_script_hash=ctx.page_script_hash,
                                   widget_states=WidgetStates(widgets=states), context_info=ctx.context_info))
