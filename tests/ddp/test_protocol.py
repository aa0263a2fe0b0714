"""The DDP session, sans I/O: frames in, messages and requests out."""

from datetime import UTC, datetime

from chinwag.ddp.protocol import DdpSession, MethodCall, MethodError, Subscribe, Unsubscribe

CONNECT = '{"msg":"connect","version":"1","support":["1","pre2","pre1"]}'


def connected() -> DdpSession:
    session = DdpSession(session_id="s1")
    session.receive(CONNECT)
    session.outgoing()
    return session


def test_connect_then_ping_is_answered_with_its_id() -> None:
    session = DdpSession(session_id="s1")
    session.receive(CONNECT)
    session.receive('{"msg":"ping","id":"7"}')
    session.receive('{"msg":"ping"}')
    assert session.outgoing() == [
        {"msg": "connected", "session": "s1"},
        {"msg": "pong", "id": "7"},
        {"msg": "pong"},
    ]


def test_unknown_version_fails_and_closes() -> None:
    session = DdpSession(session_id="s1")
    session.receive('{"msg":"connect","version":"9","support":["9"]}')
    assert session.outgoing() == [{"msg": "failed", "version": "1"}]
    assert session.closed


def test_anything_before_connect_is_an_error() -> None:
    session = DdpSession(session_id="s1")
    assert session.receive('{"msg":"method","id":"1","method":"x","params":[]}') == []
    assert session.outgoing()[0]["msg"] == "error"


def test_method_call_is_returned_with_ejson_dates_decoded() -> None:
    session = connected()
    requests = session.receive(
        '{"msg":"method","id":"3","method":"loadHistory","params":["GENERAL",{"$date":0},20]}'
    )
    assert requests == [
        MethodCall("3", "loadHistory", ["GENERAL", datetime(1970, 1, 1, tzinfo=UTC), 20])
    ]


def test_result_is_followed_by_updated() -> None:
    session = connected()
    session.result("3", {"ok": 1})
    session.result("4", error=MethodError("error-not-allowed", "Not allowed"))
    out = session.outgoing()
    assert out[0] == {"msg": "result", "id": "3", "result": {"ok": 1}}
    assert out[1] == {"msg": "updated", "methods": ["3"]}
    assert out[2]["error"] == {
        "isClientSafe": True,
        "error": "error-not-allowed",
        "reason": "Not allowed",
        "message": "Not allowed [error-not-allowed]",
        "errorType": "Meteor.Error",
    }


def test_sub_unsub_ready_nosub() -> None:
    session = connected()
    requests = session.receive(
        '{"msg":"sub","id":"a","name":"stream-room-messages","params":["GENERAL",false]}'
    )
    assert requests == [Subscribe("a", "stream-room-messages", ["GENERAL", False])]
    session.ready("a")
    assert session.receive('{"msg":"unsub","id":"a"}') == [Unsubscribe("a")]
    session.nosub("a")
    assert session.outgoing() == [
        {"msg": "ready", "subs": ["a"]},
        {"msg": "nosub", "id": "a"},
    ]
    assert session.subscriptions == set()


def test_garbage_frames_get_error_messages_not_exceptions() -> None:
    session = connected()
    for frame in ("{", "[]", '"x"', '{"msg":1}', '{"msg":"method","id":1}', '{"msg":"nope"}'):
        assert session.receive(frame) == []
    assert [m["msg"] for m in session.outgoing()] == ["error"] * 6
