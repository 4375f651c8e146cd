"""Input cleanup and token discovery (jwtlens.extract)."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from helpers import HS, make_jwe, make_token, only
from jwtlens.extract import MAX_CANDIDATES, find_candidates

TOKEN = make_token(HS, {"sub": "first"})
OTHER = make_token({"alg": "RS256", "kid": "k2"}, {"sub": "second"})


def single(text: str) -> tuple[str, object]:
    kind, candidates, problems = find_candidates(text)
    assert problems == [], [p.message for p in problems]
    assert len(candidates) == 1, candidates
    return kind, candidates[0]


@pytest.mark.parametrize("text", ["", "   ", "\n\t \r\n"])
def test_empty_input_is_empty_without_problems(text):
    assert find_candidates(text) == ("empty", [], [])


def test_bare_token():
    kind, c = single(TOKEN)
    assert kind == "token"
    assert (c.token, c.start, c.end, c.kind, c.alg, c.index) == (TOKEN, 0, len(TOKEN), "JWS", "HS256", 0)
    assert c.source == "pasted token"


@pytest.mark.parametrize("wrap", [
    lambda t: f"  \n{t}\n  ",
    lambda t: f"{t[:30]}\n{t[30:60]}\r\n{t[60:]}",  # wrapped by a terminal or an e-mail client
    lambda t: f"{t[:20]} {t[20:]}",
    lambda t: f'"{t}"',
    lambda t: f"'{t}'",
    lambda t: f"`{t}`",
    lambda t: f"\"'{t}'\"",
    lambda t: f'  "{t}",',  # copied out of a JSON array: the comma goes with a stray quote check below
])
def test_whitespace_and_quotes_are_removed(wrap):
    text = wrap(TOKEN)
    kind, candidates, _ = find_candidates(text)
    assert [c.token for c in candidates] == [TOKEN]


def test_span_points_at_the_token_in_the_original_text():
    text = f'  "{TOKEN}"  '
    _, c = single(text)
    assert text[c.start : c.end] == TOKEN


@pytest.mark.parametrize("text,source", [
    (f"Bearer {TOKEN}", "Bearer token"),
    (f"bearer {TOKEN}", "Bearer token"),
    (f"BEARER   {TOKEN}", "Bearer token"),
    (f"DPoP {TOKEN}", "Bearer token"),
    (f"Authorization: Bearer {TOKEN}", "Authorization header"),
    (f"authorization:bearer {TOKEN}", "Authorization header"),
    (f"  Authorization: Bearer {TOKEN}\r\n", "Authorization header"),
    (f'"Authorization: Bearer {TOKEN}"', "Authorization header"),
    (f"Authorization: {TOKEN}", "Authorization header"),
])
def test_authorization_header_and_bearer_prefix(text, source):
    kind, c = single(text)
    assert kind == "Authorization header"
    assert c.token == TOKEN
    assert c.source == source
    assert text[c.start : c.end] == TOKEN


def test_authorization_header_followed_by_more_header_lines():
    text = f"Authorization: Bearer {TOKEN}\nContent-Type: application/json\nX-Other: {OTHER}"
    kind, candidates, problems = find_candidates(text)
    assert kind == "Authorization header"
    assert candidates[0].token == TOKEN and candidates[0].source == "Authorization header"


@pytest.mark.parametrize("text,what", [
    ("Authorization: Bearer ", "Authorization header"),
    ("Authorization:", "Authorization header"),
    ("Bearer", "Bearer token"),
    ('""', "quotes"),
    ("''", "quotes"),
])
def test_prefix_without_token_is_input_empty(text, what):
    _, candidates, problems = find_candidates(text)
    assert candidates == []
    p = only(problems, "input.empty")
    assert what in p.message and p.segment == "input" and p.fix


def test_cookie_header():
    text = f"Cookie: theme=dark; session={TOKEN}; other={OTHER}; flag"
    kind, candidates, problems = find_candidates(text)
    assert kind == "cookie header" and problems == []
    assert [(c.token, c.source) for c in candidates] == [(TOKEN, "cookie session"), (OTHER, "cookie other")]
    assert all(text[c.start : c.end] == c.token for c in candidates)


def test_set_cookie_header_with_attributes_and_quotes():
    text = f'Set-Cookie: id_token="{TOKEN}"; Path=/; Secure; HttpOnly; SameSite=Lax'
    kind, c = single(text)
    assert kind == "cookie header"
    assert (c.token, c.source) == (TOKEN, "Set-Cookie id_token")
    assert text[c.start : c.end] == TOKEN


def test_percent_encoded_cookie_value():
    encoded = quote(TOKEN, safe="").replace(".", "%2E")
    kind, c = single(f"Cookie: jwt={encoded}")
    assert (kind, c.token, c.source) == ("cookie header", TOKEN, "cookie jwt")


def test_cookie_without_token():
    kind, candidates, problems = find_candidates("Cookie: a=1; b=2")
    assert kind == "cookie header" and candidates == []
    assert "cookie" in only(problems, "input.no-token").message


@pytest.mark.parametrize("url,source", [
    (f"https://app.example/callback#id_token={TOKEN}&state=xyz", "URL fragment id_token"),
    (f"https://app.example/callback#state=xyz&access_token={TOKEN}&token_type=Bearer", "URL fragment access_token"),
    (f"https://api.example/verify?token={TOKEN}", "URL query token"),
    (f"https://api.example/x?a=1&assertion={TOKEN}#frag", "URL query assertion"),
    (f"https://api.example/x?logout_hint={TOKEN}", "URL query logout_hint"),  # any parameter holding a JWT
    (f"com.example.app:/oauth2redirect#id_token={TOKEN}", "URL fragment id_token"),
    (f"/callback?id_token={TOKEN}", "URL query id_token"),
])
def test_url_query_and_fragment(url, source):
    kind, c = single(url)
    assert kind == "URL"
    assert (c.token, c.source) == (TOKEN, source)
    assert url[c.start : c.end] == TOKEN


def test_url_percent_encoded_token_is_decoded():
    url = "https://app.example/cb?id_token=" + TOKEN.replace(".", "%2e") + "&state=1"
    kind, c = single(url)
    assert (kind, c.token, c.source) == ("URL", TOKEN, "URL query id_token")
    assert url[c.start : c.end] == TOKEN.replace(".", "%2e")


def test_url_with_two_tokens_in_order():
    url = f"https://app.example/cb#access_token={OTHER}&id_token={TOKEN}"
    kind, candidates, _ = find_candidates(url)
    assert [(c.token, c.source) for c in candidates] == [
        (OTHER, "URL fragment access_token"), (TOKEN, "URL fragment id_token")]


def test_url_without_token():
    kind, candidates, problems = find_candidates("https://example.com/path?q=1#frag")
    assert kind == "URL" and candidates == []
    assert "URL" in only(problems, "input.no-token").message


def test_json_document_with_tokens():
    doc = json.dumps({"access_token": OTHER, "token_type": "Bearer", "expires_in": 3600, "id_token": TOKEN}, indent=2)
    kind, candidates, problems = find_candidates(doc)
    assert kind == "JSON" and problems == []
    assert [(c.token, c.source) for c in candidates] == [
        (OTHER, "JSON field access_token"), (TOKEN, "JSON field id_token")]
    assert all(doc[c.start : c.end] == c.token for c in candidates)


def test_json_nested_paths_and_arrays():
    doc = json.dumps({"data": {"tokens": [TOKEN, {"jwt": f"Bearer {OTHER}"}]}})
    _, candidates, _ = find_candidates(doc)
    assert [(c.token, c.source) for c in candidates] == [
        (TOKEN, "JSON field data.tokens[0]"), (OTHER, "JSON field data.tokens[1].jwt")]


def test_json_field_with_malformed_token_is_still_a_candidate():
    broken = TOKEN.replace("-", "+") + "=="  # standard base64 padding: the raw scan alone would stop short
    doc = json.dumps({"id_token": broken, "note": "x.y"})
    kind, candidates, _ = find_candidates(doc)
    assert kind == "JSON"
    assert [(c.token, c.source) for c in candidates] == [(broken, "JSON field id_token")]


def test_json_without_token():
    kind, candidates, problems = find_candidates('{"a": "b.c", "n": [1, 2]}')
    assert kind == "JSON" and candidates == []
    assert "JSON" in only(problems, "input.no-token").message


def test_text_finds_every_token_with_line_numbers_and_dedupes():
    text = f"first try:\n  got {TOKEN} and\nthen {OTHER}.\nagain {TOKEN}\n"
    kind, candidates, problems = find_candidates(text)
    assert kind == "text" and problems == []
    assert [(c.token, c.source) for c in candidates] == [(TOKEN, "text, line 2"), (OTHER, "text, line 3")]
    assert [c.index for c in candidates] == [0, 1]
    assert all(text[c.start : c.end] == c.token for c in candidates)


def test_text_context_names_the_source():
    text = (
        "POST /token HTTP/1.1\n"
        f"Authorization: Bearer {TOKEN}\n"
        f"Cookie: a=b; sid={OTHER}\n"
        "\n"
        f"grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion={make_token(HS, {'n': 3})}\n"
        f'log: {{"refresh_token": "{make_token(HS, {"n": 4})}"}} and more\n'
        f"see https://x.example/cb#id_token={make_token(HS, {'n': 5})}\n"
    )
    _, candidates, _ = find_candidates(text)
    assert [c.source for c in candidates] == [
        "Authorization header", "cookie sid", "parameter assertion", "JSON field refresh_token",
        "URL fragment id_token"]


def test_trailing_sentence_dot_is_not_a_segment():
    kind, candidates, _ = find_candidates(f"The token is {TOKEN}. Thanks")
    assert [c.token for c in candidates] == [TOKEN]


def test_jwe_and_unsecured_are_found():
    jwe = make_jwe({"alg": "RSA-OAEP", "enc": "A256GCM"})
    unsecured = make_token({"alg": "none"}, {"sub": "x"}, "")
    _, candidates, _ = find_candidates(f"{jwe}\n{unsecured}")
    assert [(c.token, c.kind, c.alg) for c in candidates] == [(jwe, "JWE", "RSA-OAEP"), (unsecured, "JWS", "none")]


def test_dir_jwe_with_empty_encrypted_key():
    jwe = make_jwe({"alg": "dir", "enc": "A128GCM"}, encrypted_key=b"")
    _, c = single(jwe)
    assert c.kind == "JWE" and ".." in c.token


def test_no_false_positives_in_ordinary_text():
    text = "Visit example.com.au or read e.g. the v1.2.3 notes; eyes.are.open; ey.a.b"
    kind, candidates, problems = find_candidates(text)
    assert (kind, candidates) == ("text", [])
    p = only(problems, "input.no-token")
    assert p.segment == "input" and "eyJ" in p.fix


@pytest.mark.parametrize("broken,kind", [
    (TOKEN.replace("-", "+").replace("_", "/") + "==", "JWS"),  # standard base64 with padding
    (TOKEN[:10] + "!" + TOKEN[10:], "JWS"),  # a stray character
    (TOKEN[:10] + "\u2026" + TOKEN[10:], "JWS"),  # an ellipsis from a shortened display
    (TOKEN.rsplit(".", 1)[0], "unknown"),  # 2 segments
    (TOKEN + ".extra", "unknown"),  # 4 segments
    (TOKEN.split(".")[0], "unknown"),  # only the header
])
def test_single_malformed_token_is_still_a_candidate(broken, kind):
    text_kind, c = single(f"\n {broken} \n")
    assert (text_kind, c.token, c.kind, c.source) == ("token", broken, kind, "pasted token")


def test_token_cut_short_by_standard_base64_is_taken_whole():
    std = make_token(HS, {"sub": "a"}, b"\xfb\xff\xbf" * 4).replace("_", "/").replace("-", "+")
    assert "/" in std.split(".")[2]
    _, c = single(std)
    assert c.token == std


def test_too_many_tokens_are_capped():
    text = "\n".join(make_token(HS, {"i": i}) for i in range(MAX_CANDIDATES + 5))
    _, candidates, problems = find_candidates(text)
    assert len(candidates) == MAX_CANDIDATES
    p = only(problems, "input.too-many-tokens")
    assert p.level == "warning"


def test_hostile_text_around_tokens_stays_data():
    hostile = "<img src=x onerror=alert(1)>"
    doc = json.dumps({hostile: TOKEN})
    _, c = single(doc)
    assert c.source == f"JSON field {hostile}"


def test_token_inside_a_curl_command_and_a_code_block():
    _, candidates, _ = find_candidates(f'curl -H "Authorization: Bearer {TOKEN}" https://api.example/me')
    assert [(c.token, c.source) for c in candidates] == [(TOKEN, "Authorization header")]
    _, c = single(f"```\n{TOKEN}\n```")
    assert c.token == TOKEN
    _, c = single(json.dumps({"Authorization": f"Bearer {TOKEN}"}))
    assert c.source == "JSON field Authorization"


@pytest.mark.parametrize("text", [
    f"{TOKEN}\n{OTHER}",
    f"{TOKEN} {OTHER}",
    f"{TOKEN}\n\n{OTHER}\n",
])
def test_two_tokens_on_separate_lines_are_not_joined(text):
    _, candidates, _ = find_candidates(text)
    assert [c.token for c in candidates] == [TOKEN, OTHER]


def test_token_wrapped_at_its_dots_is_joined():
    h, p, s = TOKEN.split(".")
    _, c = single(f"{h}.\n{p}.\n{s}")
    assert c.token == TOKEN


def test_token_followed_by_words_is_not_joined():
    _, candidates, _ = find_candidates(f"{TOKEN} is the token: see it")
    assert [(c.token, c.source) for c in candidates] == [(TOKEN, "text, line 1")]


def test_wrapped_standard_base64_token_in_authorization_header():
    std = make_token(HS, {"sub": "a"}, b"\xfb\xff\xbf" * 4).replace("_", "/").replace("-", "+")
    kind, c = single(f"Authorization: Bearer {std[:30]}\n {std[30:]}")
    assert (kind, c.token, c.source) == ("Authorization header", std, "Authorization header")


def test_whitespace_is_dropped_exactly_as_the_regex_class_would():
    # extract._squeeze uses str.split() for speed; it must drop the same characters as \s (all of Unicode)
    import re

    from jwtlens.extract import _squeeze

    every_char = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    assert _squeeze(every_char) == re.sub(r"\s+", "", every_char)


def test_a_wrapped_token_with_a_stray_character_is_still_the_token() -> None:
    """A broken token wrapped over lines is found whole, so the decoder can point at the stray character."""
    import jwt

    import jwtlens

    token = jwt.encode({"sub": "1234567890", "name": "John Doe"}, "k" * 32, algorithm="HS256")
    broken = token[:50] + "!" + token[51:]
    wrapped = "\n".join(broken[i:i + 40] for i in range(0, len(broken), 40))
    report = jwtlens.inspect(wrapped)
    assert report.input_kind == "token" and [c.token for c in report.candidates] == [broken]
    assert [p.code for p in report.token.problems][0] == "base64url.invalid-char"
    assert jwtlens.inspect("a few words\nof prose, not a token!").candidates == []
