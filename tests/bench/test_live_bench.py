"""The live benchmark's own arithmetic (bench/live.py): reading a chunked SSE stream, spreading
streams over users, percentiles, and the check that no event was lost or leaked. No server, no
network, no database."""

import importlib.util
import json
import sys
from pathlib import Path
from unittest import mock

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _load():
    # bench/live.py imports its sibling run.py as `run`; the app `live` must stay the package.
    spec = importlib.util.spec_from_file_location("bench_live", BENCH / "live.py")
    module = importlib.util.module_from_spec(spec)
    with mock.patch.object(sys, "path", [*sys.path, str(BENCH)]):
        spec.loader.exec_module(module)
    return module


bench = _load()


def chunked(*pieces):
    body = b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces)
    return body + b"0\r\n\r\n"


def test_chunked_decoder_reassembles_a_body_cut_anywhere():
    pieces = [b"retry: 3000\n\n", b"id: 1-0\n\n", b"x" * 300, b"event: visit\r\n;data"]
    raw = chunked(*pieces)
    for step in (1, 2, 3, 7, len(raw)):
        decoder = bench.ChunkedDecoder()
        out = b"".join(decoder.feed(raw[i : i + step]) for i in range(0, len(raw), step))
        assert out == b"".join(pieces)
        assert decoder.done


def test_chunked_decoder_ignores_chunk_extensions():
    decoder = bench.ChunkedDecoder()
    assert decoder.feed(b"5;name=value\r\nhello\r\n0\r\n\r\n") == b"hello"
    assert decoder.done


def test_sse_parser_yields_whole_frames_only_and_counts_pings():
    parser = bench.SseParser()
    assert parser.feed("retry: 3000\n\nid: 17000-0\n\nid: 17001-2\nevent: vis") == [
        {"retry": "3000"},
        {"id": "17000-0"},
    ]
    frames = parser.feed('it\ndata: {"id":5}\r\n\r\n: ping\n\ndata: a\ndata: b\n\n')
    assert frames == [
        {"id": "17001-2", "event": "visit", "data": '{"id":5}'},
        {"data": "a\nb"},
    ]
    assert parser.comments == 1
    assert parser.buffer == ""


def test_event_ids_are_read_as_milliseconds_and_sequence():
    assert bench.parse_id("1764543825123-4") == (1764543825123, 4)
    for junk in (None, "", "12", "a-1", "1-b", "-"):
        assert bench.parse_id(junk) is None


def test_percentile_is_the_nearest_rank():
    values = list(range(1, 101))
    assert bench.percentile(values, 50) == 50
    assert bench.percentile(values, 95) == 95
    assert bench.percentile(values, 100) == 100
    assert bench.percentile([7], 95) == 7
    assert bench.percentile([3, 1, 2], 50) == 2
    assert bench.percentile([], 50) is None


def test_mix_reads_role_counts_and_refuses_unknown_roles():
    assert bench.parse_mix("technician:800, client:100,technician:5") == {
        "technician": 805,
        "client": 100,
    }
    for bad in ("janitor:3", "client", "client:x"):
        with pytest.raises(ValueError, match="bad mix entry"):
            bench.parse_mix(bad)


def test_streams_are_spread_over_the_users_with_each_roles_filters_in_turn():
    plan = bench.allocate(
        {"technician": 7, "client": 2}, {"technician": ["t1", "t2", "t3"], "client": ["c1"]}
    )
    assert [user for user, _role, _types in plan] == [
        "t1",
        "t2",
        "t3",
        "t1",
        "t2",
        "t3",
        "t1",
        "c1",
        "c1",
    ]
    technician = bench.FILTERS["technician"]
    assert [types for _user, role, types in plan if role == "technician"] == [
        technician[0],
        technician[0],
        technician[0],
        technician[1],
        technician[1],
        technician[1],
        technician[2],
    ]
    assert [types for _user, role, types in plan if role == "client"] == list(
        bench.FILTERS["client"]
    )
    with pytest.raises(ValueError, match="no inspector"):
        bench.allocate({"inspector": 1}, {"inspector": []})


FULL = {"id": 5, "site": 2, "change": "status_changed", "to_status": "in_progress"}
SUMMARY = {"id": 5, "site": 2, "change": "status_changed"}


def test_compare_counts_deliveries_lost_and_out_of_scope_events():
    expected = {
        0: {("visit", 5): "full", ("stock", 9): "full"},
        1: {("visit", 5): "summary"},
        2: {},
    }
    received = {
        0: [(("visit", 5), FULL)],  # the stock event never came
        1: [(("visit", 5), SUMMARY)],
        2: [(("visit", 5), FULL)],  # outside its scope
    }
    result = bench.compare(expected, received)
    assert {
        k: result[k] for k in ("deliveries", "summaries", "lost", "unexpected", "duplicates")
    } == {
        "deliveries": 2,
        "summaries": 1,
        "lost": 1,
        "unexpected": 1,
        "duplicates": 0,
    }
    assert sorted(result["examples"]) == [
        ("lost", 0, ("stock", 9)),
        ("unexpected full", 2, ("visit", 5)),
    ]


def test_compare_flags_the_full_event_sent_to_a_summary_receiver_and_the_reverse():
    expected = {0: {("visit", 5): "summary"}, 1: {("visit", 5): "full"}}
    received = {0: [(("visit", 5), FULL)], 1: [(("visit", 5), SUMMARY)]}
    result = bench.compare(expected, received)
    assert (result["deliveries"], result["unexpected"], result["lost"]) == (0, 2, 0)


def test_compare_counts_an_event_received_twice_once():
    received = {0: [(("visit", 5), FULL), (("visit", 5), FULL)]}
    result = bench.compare({0: {("visit", 5): "full"}}, received)
    assert (result["deliveries"], result["duplicates"], result["unexpected"]) == (1, 1, 0)


def test_a_frame_of_the_stream_becomes_a_comparable_receipt():
    frame = {"id": "1-0", "event": "visit", "data": json.dumps(SUMMARY)}
    data = json.loads(frame["data"])
    result = bench.compare(
        {3: {("visit", 5): "summary"}}, {3: [((frame["event"], data["id"]), data)]}
    )
    assert result["deliveries"] == 1
