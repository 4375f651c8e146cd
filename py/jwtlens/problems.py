"""Every stable problem code in one place.

A code is part of the automation contract (``#problems li[data-code]``): never rename one, only add. Each code has a
default fix and a default level; the place that raises a problem writes the message (it knows the segment and the
position) and may give a more specific fix.
"""

from __future__ import annotations

from typing import Literal

from .report import Problem, SegmentName

Level = Literal["error", "warning"]


class Code:
    # input and token shape
    INPUT_EMPTY = "input.empty"
    INPUT_NO_TOKEN = "input.no-token"
    INPUT_TOO_MANY_TOKENS = "input.too-many-tokens"
    TOKEN_SEGMENT_COUNT = "token.segment-count"
    TOKEN_EMPTY_SEGMENT = "token.empty-segment"
    # base64url text of a segment
    B64_INVALID_CHAR = "base64url.invalid-char"
    B64_STANDARD_ALPHABET = "base64url.standard-alphabet"
    B64_PADDING = "base64url.padding"
    B64_IMPOSSIBLE_LENGTH = "base64url.impossible-length"
    B64_NON_CANONICAL = "base64url.non-canonical"
    # decoded bytes and JSON
    UTF8_INVALID = "utf8.invalid"
    JSON_SYNTAX = "json.syntax"
    JSON_NOT_OBJECT = "json.not-object"
    JSON_DUPLICATE_MEMBER = "json.duplicate-member"
    JSON_NUMBER_TOO_LARGE = "json.number-too-large"
    JSON_NON_STANDARD_CONSTANT = "json.non-standard-constant"
    JSON_TOO_DEEP = "json.too-deep"
    # header
    HEADER_ALG_MISSING = "header.alg-missing"
    HEADER_ALG_TYPE = "header.alg-type"
    # claims
    CLAIM_TIME_NOT_NUMERIC = "claim.time-not-numeric"
    CLAIM_TIME_ABSURD = "claim.time-absurd"
    CLAIM_EXP_BEFORE_IAT = "claim.exp-before-iat"
    CLAIM_NBF_AFTER_EXP = "claim.nbf-after-exp"
    CLAIM_ISS_TYPE = "claim.iss-type"
    CLAIM_SUB_TYPE = "claim.sub-type"
    CLAIM_AUD_TYPE = "claim.aud-type"
    CLAIM_STRING_TYPE = "claim.string-type"
    # kinds of token
    JWE_ENCRYPTED = "jwe.encrypted"
    JWS_UNSECURED = "jws.unsecured"
    # last resort: a stage of inspect() failed; the message carries the exception text
    INTERNAL_ERROR = "internal.error"


# code -> (default level, default fix)
DEFAULTS: dict[str, tuple[Level, str]] = {
    Code.INPUT_EMPTY: ("error", "Paste the token itself, not only the header name, prefix or quotes around it."),
    Code.INPUT_NO_TOKEN: (
        "error",
        "Paste a JWT: three (signed, JWS) or five (encrypted, JWE) base64url parts separated by dots, "
        "usually starting with 'eyJ'.",
    ),
    Code.INPUT_TOO_MANY_TOKENS: ("warning", "Paste a smaller part of the text to see the other tokens."),
    Code.TOKEN_SEGMENT_COUNT: (
        "error",
        "Copy the whole token again: a signed JWT (JWS) has 3 segments separated by 2 dots, "
        "an encrypted JWT (JWE) has 5 segments separated by 4 dots.",
    ),
    Code.TOKEN_EMPTY_SEGMENT: ("error", "Copy the whole token again: this segment must not be empty."),
    Code.B64_INVALID_CHAR: (
        "error",
        "Remove the character: base64url allows only A-Z, a-z, 0-9, '-' and '_'. "
        "Stray characters usually come from copying (quotes, ellipses, escapes).",
    ),
    Code.B64_STANDARD_ALPHABET: (
        "error",
        "The token looks standard-base64 encoded: replace '+' with '-' and '/' with '_' and drop '=' padding.",
    ),
    Code.B64_PADDING: ("warning", "Drop the trailing '=' characters: JWTs use base64url without padding."),
    Code.B64_IMPOSSIBLE_LENGTH: (
        "error",
        "Copy the segment again: one character is missing or one is too many (often a truncated copy).",
    ),
    Code.B64_NON_CANONICAL: (
        "warning",
        "The last character carries non-zero unused bits; a correct encoder never produces that. "
        "Check that the token was not edited by hand.",
    ),
    Code.UTF8_INVALID: ("error", "The issuer must encode the JSON as UTF-8."),
    Code.JSON_SYNTAX: ("error", "Fix the JSON at the given line and column, or re-issue the token."),
    Code.JSON_NOT_OBJECT: ("error", "A JWT header and a JWT payload must each be a JSON object: {...}."),
    Code.JSON_DUPLICATE_MEMBER: (
        "error",
        "Use each member name once: parsers disagree on which value wins (this page shows the last one, "
        "like PyJWT).",
    ),
    Code.JSON_NUMBER_TOO_LARGE: (
        "warning",
        "Use a number of sensible size (or a string if the digits matter); it is shown here as text.",
    ),
    Code.JSON_NON_STANDARD_CONSTANT: (
        "error",
        "NaN, Infinity and -Infinity are not JSON; use a number or null.",
    ),
    Code.JSON_TOO_DEEP: ("error", "Nesting this deep is not a real token; it was not parsed."),
    Code.HEADER_ALG_MISSING: ("error", "A JWS header must name its algorithm in 'alg' (RFC 7515 4.1.1)."),
    Code.HEADER_ALG_TYPE: ("error", "'alg' must be a string such as \"RS256\" or \"HS256\"."),
    Code.CLAIM_TIME_NOT_NUMERIC: (
        "error",
        "Write the time as a JSON number of seconds since 1970-01-01T00:00:00Z (a NumericDate, RFC 7519 2).",
    ),
    Code.CLAIM_TIME_ABSURD: (
        "error",
        "Use seconds (not milliseconds) since 1970-01-01T00:00:00Z, a finite number between 0 and year 9999.",
    ),
    Code.CLAIM_EXP_BEFORE_IAT: ("error", "The issuer's clock or token lifetime setting is wrong: exp must follow iat."),
    Code.CLAIM_NBF_AFTER_EXP: ("error", "The token is never valid: nbf must come before exp."),
    Code.CLAIM_ISS_TYPE: ("error", "'iss' must be a string (a StringOrURI, RFC 7519 4.1.1)."),
    Code.CLAIM_SUB_TYPE: ("error", "'sub' must be a string (a StringOrURI, RFC 7519 4.1.2)."),
    Code.CLAIM_AUD_TYPE: ("error", "'aud' must be a string or an array of strings (RFC 7519 4.1.3)."),
    Code.CLAIM_STRING_TYPE: ("error", "Use a JSON string for this claim, as its specification requires."),
    Code.JWE_ENCRYPTED: (
        "warning",
        "Decrypting needs the recipient's private or shared key; this page only reads the header.",
    ),
    Code.JWS_UNSECURED: (
        "warning",
        "Never accept unsigned tokens: anyone can forge them. Sign with a real algorithm (e.g. RS256, ES256).",
    ),
    Code.INTERNAL_ERROR: ("error", "This is a bug in JWT Lens; the rest of the report may be incomplete."),
}


def problem(
    code: str,
    message: str,
    *,
    segment: SegmentName | None = None,
    position: int | None = None,
    fix: str | None = None,
    level: Level | None = None,
    line: int | None = None,
    column: int | None = None,
) -> Problem:
    """A Problem with the code's default fix and level unless given."""
    default_level, default_fix = DEFAULTS.get(code, ("error", None))
    return Problem(
        code=code,
        message=message,
        segment=segment,
        position=position,
        fix=fix if fix is not None else default_fix,
        level=level or default_level,
        line=line,
        column=column,
    )


# ---------------------------------------------------------------------------------------------------------------
# codes added by verification / lint
# (append below: a constant on a class of your own or plain module constants, and entries via DEFAULTS.update)
# ---------------------------------------------------------------------------------------------------------------


# -- signature verification and the key box (verify.py, keys.py) ----------------------------------------------


class KeyCode:
    """Problems about the key box (segment "key") and the signature check (segment "signature")."""

    KEY_UNREADABLE = "key.unreadable"
    KEY_IS_TOKEN = "key.is-token"
    KEY_PEM_INVALID = "key.pem-invalid"
    KEY_DER_INVALID = "key.der-invalid"
    KEY_JSON_INVALID = "key.json-invalid"
    KEY_JWK_INVALID = "key.jwk-invalid"
    KEY_JWKS_EMPTY = "key.jwks-empty"
    KEY_JWKS_MEMBER = "key.jwks-member-unusable"
    KEY_UNSUPPORTED = "key.unsupported"
    KEY_ENCRYPTED = "key.encrypted"
    KEY_SECRET_INVALID = "key.secret-invalid"
    KEY_SECRET_SHORT = "key.secret-short"
    KEY_PRIVATE = "key.private-pasted"
    KEY_PAIR_MISMATCH = "key.pair-mismatch"
    KEY_RSA_SMALL = "key.rsa-small"
    KEY_CERT_EXPIRED = "key.cert-expired"
    KEY_CERT_NOT_YET_VALID = "key.cert-not-yet-valid"
    KEY_WRONG_TYPE = "key.wrong-type"
    KEY_CONFUSION = "key.confusion"
    KEY_NO_MATCH = "key.no-match"
    KEY_KID_MISMATCH = "key.kid-mismatch"
    SIG_ALG_UNSUPPORTED = "signature.alg-unsupported"
    SIG_WRONG_LENGTH = "signature.wrong-length"
    SIG_MISMATCH = "signature.mismatch"
    SIG_UNDECODABLE = "signature.undecodable"


DEFAULTS.update(
    {
        KeyCode.KEY_UNREADABLE: (
            "error",
            "Paste an HMAC secret, a PEM public key or certificate, a JWK or a JWKS ({\"keys\": [...]}).",
        ),
        KeyCode.KEY_IS_TOKEN: ("error", "The key box needs the key or secret, not a token."),
        KeyCode.KEY_PEM_INVALID: (
            "error",
            "Copy the PEM again, with its BEGIN and END lines and nothing changed between them.",
        ),
        KeyCode.KEY_DER_INVALID: (
            "error",
            "The key's binary (DER) structure is damaged or not a key: copy it again from its source.",
        ),
        KeyCode.KEY_JSON_INVALID: ("error", "Fix the JSON syntax at the given line and column."),
        KeyCode.KEY_JWK_INVALID: (
            "error",
            "A JWK needs 'kty' and the members of its type (RFC 7517/7518): RSA n, e; EC crv, x, y; "
            "OKP crv, x; oct k; all base64url.",
        ),
        KeyCode.KEY_JWKS_EMPTY: ("error", "The JWKS has no keys: paste the issuer's current key set."),
        KeyCode.KEY_JWKS_MEMBER: ("warning", "This member of the key set was skipped; the others were used."),
        KeyCode.KEY_UNSUPPORTED: (
            "error",
            "JWS signatures use RSA (2048+ bits), EC P-256/P-384/P-521/secp256k1, Ed25519/Ed448 or an HMAC secret.",
        ),
        KeyCode.KEY_ENCRYPTED: (
            "error",
            "The key is password-protected; paste the public key instead (openssl pkey -pubout) - it is enough "
            "to verify.",
        ),
        KeyCode.KEY_SECRET_INVALID: (
            "error",
            "Choose the secret format that matches what you pasted (text, base64, base64url or hex).",
        ),
        KeyCode.KEY_SECRET_SHORT: (
            "warning",
            "Use a random secret at least as long as the hash (32 bytes for HS256, 48 for HS384, 64 for HS512; "
            "RFC 7518 3.2).",
        ),
        KeyCode.KEY_PRIVATE: (
            "warning",
            "A public key is enough to verify. The private key stays in this tab (nothing is sent), "
            "but treat it as exposed if you pasted it somewhere you should not have.",
        ),
        KeyCode.KEY_PAIR_MISMATCH: (
            "error",
            "The private and public parts of this key do not belong together: the key was edited or mixed up.",
        ),
        KeyCode.KEY_RSA_SMALL: (
            "warning",
            "Use RSA keys of 2048 bits or more (RFC 7518 3.3); 1024-bit keys are within reach of factoring.",
        ),
        KeyCode.KEY_CERT_EXPIRED: (
            "warning",
            "The certificate is past its notAfter date: the issuer should publish a current one.",
        ),
        KeyCode.KEY_CERT_NOT_YET_VALID: ("warning", "The certificate's notBefore date is still ahead."),
        KeyCode.KEY_WRONG_TYPE: (
            "error",
            "Use a key of the type the token's algorithm needs: HS* a secret, RS*/PS* RSA, ES256 P-256, "
            "ES384 P-384, ES512 P-521, ES256K secp256k1, EdDSA Ed25519/Ed448.",
        ),
        KeyCode.KEY_CONFUSION: (
            "error",
            "Never verify an HS* token with a public key as the secret: pin the algorithm per key "
            "(RFC 8725 3.1, 3.2).",
        ),
        KeyCode.KEY_NO_MATCH: (
            "error",
            "Paste the key set that contains the token's key (match 'kid'), or the issuer's current keys.",
        ),
        KeyCode.KEY_KID_MISMATCH: (
            "warning",
            "The token's 'kid' names a different key: a verifier that selects keys by kid would not use this one.",
        ),
        KeyCode.SIG_ALG_UNSUPPORTED: (
            "error",
            "Use a registered JWS algorithm; names are case-sensitive (RFC 7518 3.1).",
        ),
        KeyCode.SIG_WRONG_LENGTH: (
            "error",
            "The signature has the wrong size for this algorithm and key: it was truncated, re-encoded, "
            "or made with another key.",
        ),
        KeyCode.SIG_MISMATCH: (
            "error",
            "Check that this is the issuer's key for this token; otherwise the token was altered or forged.",
        ),
        KeyCode.SIG_UNDECODABLE: ("error", "Copy the token again: the signature segment must be base64url."),
    }
)


# -- creating tokens (encode.py) -------------------------------------------------------------------------------


class EncodeCode:
    """Problems of the Encode view and ``jwtlens encode``: the header and payload editors, the algorithm, the key."""

    HEADER_JSON = "encode.header-json"
    PAYLOAD_JSON = "encode.payload-json"
    HEADER_B64_FALSE = "encode.header-b64-false"
    CLAIM_INVALID = "encode.claim-invalid"
    ALG_UNSUPPORTED = "encode.alg-unsupported"
    ALG_NONE_REFUSED = "encode.alg-none-refused"
    UNSIGNED = "encode.unsigned"
    KEY_MISSING = "encode.key-missing"
    KEY_WRONG_TYPE = "encode.key-wrong-type"
    KEY_NOT_PRIVATE = "encode.key-not-private"
    KEY_AMBIGUOUS = "encode.key-ambiguous"
    SECRET_SHORT = "encode.secret-short"
    KID_UNAVAILABLE = "encode.kid-unavailable"


DEFAULTS.update(
    {
        EncodeCode.HEADER_JSON: ("error", "Fix the header JSON at the given line and column; it must be an object."),
        EncodeCode.PAYLOAD_JSON: (
            "error",
            "Fix the payload JSON at the given line and column; a JWT payload must be an object {...}.",
        ),
        EncodeCode.HEADER_B64_FALSE: (
            "error",
            "Remove \"b64\": false: unencoded payloads (RFC 7797) are not supported, and most verifiers reject them.",
        ),
        EncodeCode.CLAIM_INVALID: (
            "error",
            "Give a duration as a number of minutes or with a unit: 30s, 15m, 1h, 2d, 1w (or combined: 1h30m).",
        ),
        EncodeCode.ALG_UNSUPPORTED: (
            "error",
            "Choose a JWS signature algorithm: HS256/384/512, RS256/384/512, PS256/384/512, ES256/384/512, "
            "ES256K, EdDSA, Ed25519 or Ed448.",
        ),
        EncodeCode.ALG_NONE_REFUSED: (
            "error",
            "Choose a signing algorithm. An unsigned token (alg \"none\") can be forged by anyone; make one only "
            "to test that a verifier rejects it, and say so explicitly.",
        ),
        EncodeCode.UNSIGNED: (
            "warning",
            "This token is unsigned: any verifier that accepts it can be fooled by anyone (RFC 8725 3.2). Use it "
            "only to test that verifiers reject it.",
        ),
        EncodeCode.KEY_MISSING: (
            "error",
            "Paste the key to sign with: an HMAC secret for HS*, a private key (PEM or JWK) for the others, or "
            "generate one.",
        ),
        EncodeCode.KEY_WRONG_TYPE: (
            "error",
            "Use a key of the type the algorithm needs: HS* a secret, RS*/PS* RSA, ES256 P-256, ES384 P-384, "
            "ES512 P-521, ES256K secp256k1, EdDSA Ed25519/Ed448 (or change the algorithm).",
        ),
        EncodeCode.KEY_NOT_PRIVATE: (
            "error",
            "Signing needs the private key (PEM \"PRIVATE KEY\", \"RSA PRIVATE KEY\", \"EC PRIVATE KEY\", or a JWK "
            "with \"d\"); a public key or certificate only verifies.",
        ),
        EncodeCode.KEY_AMBIGUOUS: (
            "error",
            "Leave only the key to sign with in the key box, or set the header's kid to the one to use.",
        ),
        EncodeCode.SECRET_SHORT: (
            "warning",
            "Use a random secret at least as long as the hash: 32 bytes for HS256, 48 for HS384, 64 for HS512 "
            "(RFC 7518 3.2). Short secrets can be brute-forced from any token.",
        ),
        EncodeCode.KID_UNAVAILABLE: (
            "warning",
            "Set a kid by hand if the verifier needs one: an HMAC secret has no public thumbprint, and a hash of "
            "the secret in every token would help whoever guesses it.",
        ),
    }
)
