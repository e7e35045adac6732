"""The chart goes into the thread as a PNG drawn by Kaleido with the system Chromium;
without one, the reply says so."""
from __future__ import annotations

import json
import struct

from conftest import CHANNEL, mention
from test_replies import _texts

from charts.png import NO_BROWSER, RENDER_FAILED, render_chart_png


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


def test_the_chart_is_uploaded_into_the_thread(make_slack, slack_api):
    slack = make_slack()  # the default browser, /usr/bin/chromium
    slack.event(mention("installs by network last month", "1700002000.000100"), "Ev0IMAGE001")
    completed = slack_api.wait_for("files.completeUploadExternal")[0].params
    slack.drain()
    methods = [c.method for c in slack_api.calls() if c.method.split(".")[0] not in ("reactions", "auth")]
    assert methods == ["chat.postMessage", "files.getUploadURLExternal", "upload",
                       "files.completeUploadExternal"]
    requested = slack_api.calls("files.getUploadURLExternal")[0].params
    png = slack_api.calls("upload")[0].body
    assert requested["filename"] == "chart.png" and int(requested["length"]) == len(png)
    assert _png_size(png) == (900, 520)
    assert (completed["channel_id"], completed["thread_ts"]) == (CHANNEL, "1700002000.000100")
    file_id = slack_api.calls("upload")[0].params["path"].rsplit("/", 1)[-1]
    assert json.loads(completed["files"])[0]["id"] == file_id
    reply = slack_api.calls("chat.postMessage")[0].params
    assert "Chart not shown" not in _texts(reply["blocks"])


def test_without_a_browser_the_reply_says_so_and_keeps_the_table(make_slack, slack_api, tmp_path):
    slack = make_slack(slack_chromium_path=tmp_path / "no-chromium-here")
    slack.event(mention("installs by platform last month", "1700002100.000100"), "Ev0NOBROWS1")
    reply = slack_api.wait_for("chat.postMessage")[0].params
    slack.drain()
    text = _texts(reply["blocks"])
    assert NO_BROWSER in text
    table = next(b["text"]["text"] for b in reply["blocks"]
                 if b["type"] == "section" and "```" in b["text"]["text"])
    assert "platform" in table and "Android" in table and "21,356" in table
    assert slack_api.calls("files.getUploadURLExternal") == []


def test_no_figure_means_no_image_and_no_note(tmp_path):
    assert render_chart_png(None, tmp_path / "missing") == render_chart_png({}, None)
    assert render_chart_png(None, None).png is None and render_chart_png(None, None).note is None


def test_a_browser_that_fails_leaves_the_answer_and_a_note(make_slack, slack_api):
    slack = make_slack(slack_chromium_path="/bin/false")  # starts and exits at once: Kaleido fails
    slack.event(mention("installs by network last month", "1700002200.000100"), "Ev0BADBROW1")
    answer, note = (c.params for c in slack_api.wait_for("chat.postMessage", 2))
    slack.drain()
    assert "Facebook" in _texts(answer["blocks"])
    assert note["thread_ts"] == "1700002200.000100" and note["text"] == RENDER_FAILED
    assert slack_api.calls("files.getUploadURLExternal") == []
