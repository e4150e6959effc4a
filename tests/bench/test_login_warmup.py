"""The login load logs every one of its accounts in once before wrk measures it (bench/run.py),
so that a password re-hashed to this tree's hasher at a first login is not counted as the
login's cost. No server, no network, no database: the HTTP helper is replaced."""

from unittest import mock

import pytest
import run
from run import Page

HEADERS = {"Cookie": "csrftoken=abc", "X-CSRFToken": "abc"}


def login_page(*names):
    return Page(
        "login",
        "Login (GET form + POST)",
        "anonymous",
        "POST",
        ["/accounts/login/"],
        kind="login",
        bodies=[f"username={name}&password=pw" for name in names],
        expect=(302,),
    )


def test_every_account_of_the_load_logs_in_once_in_turn_with_the_csrf_headers():
    page = login_page("tech001", "tech002", "tech003")
    with mock.patch.object(run, "http_request", return_value=(302, {}, b"")) as request:
        run.warm_logins(8000, page, HEADERS)
    assert [call.args for call in request.call_args_list] == [
        (8000, "POST", "/accounts/login/") for _ in page.bodies
    ]
    assert [call.kwargs["body"] for call in request.call_args_list] == page.bodies
    assert all(call.kwargs["headers"] == HEADERS for call in request.call_args_list)


def test_a_failing_login_stops_the_warm_up_without_trying_the_next_accounts():
    page = login_page("tech001", "tech002", "tech003")
    answers = [(302, {}, b""), (200, {}, b"form with errors")]
    with (
        mock.patch.object(run, "http_request", side_effect=answers) as request,
        pytest.raises(RuntimeError, match="answered 200"),
    ):
        run.warm_logins(8000, page, HEADERS)
    assert request.call_count == 2


def test_only_the_login_load_is_warmed_before_wrk(tmp_path):
    args = mock.Mock(duration=1, timeout=1)
    login = login_page("tech001", "tech002")
    sites = Page("sites", "Sites", "coordinator", "GET", ["/sites/"])
    with (
        mock.patch.object(run, "warm_logins") as warm,
        mock.patch.object(run, "wrk", return_value={"rps": 1.0}) as drive,
    ):
        run.run_wrk(8000, sites, {"sessionid": "s"}, 8, args, tmp_path)
        assert not warm.called
        run.run_wrk(8000, login, {"csrftoken": "abc"}, 8, args, tmp_path)
    warm.assert_called_once()
    assert warm.call_args.args[:2] == (8000, login)
    assert warm.call_args.args[2]["X-CSRFToken"] == "abc"
    assert drive.call_count == 2
