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
    INPUT_TOO_LARGE = "input.too-large"
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
    # the key box (segment "key")
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
    # the signature check (segment "signature", or "header" for the algorithm)
    SIG_ALG_UNSUPPORTED = "signature.alg-unsupported"
    SIG_WRONG_LENGTH = "signature.wrong-length"
    SIG_MISMATCH = "signature.mismatch"
    SIG_UNDECODABLE = "signature.undecodable"
    SIG_IMPLAUSIBLE_LENGTH = "signature.implausible-length"
    # SD-JWT (sdjwt.py, keybinding.py; RFC 9901)
    SDJWT_NOT_SD_JWT = "sdjwt.not-sd-jwt"
    SDJWT_JSON_INVALID = "sdjwt.json-invalid"
    SDJWT_JSON_LEGACY_LAYOUT = "sdjwt.json-legacy-layout"
    SDJWT_JSON_EXTRA_HEADER = "sdjwt.json-extra-header"
    SDJWT_FINAL_TILDE_MISSING = "sdjwt.final-tilde-missing"
    SDJWT_PAYLOAD_UNUSABLE = "sdjwt.payload-unusable"
    SDJWT_UNKNOWN_SD_ALG = "sdjwt.unknown-sd-alg"
    SDJWT_SD_ALG_MISPLACED = "sdjwt.sd-alg-misplaced"
    SDJWT_SD_MALFORMED = "sdjwt.sd-malformed"
    SDJWT_ELLIPSIS_MISUSED = "sdjwt.ellipsis-misused"
    SDJWT_DISCLOSURE_MALFORMED = "sdjwt.disclosure-malformed"
    SDJWT_DISCLOSURE_REUSED = "sdjwt.disclosure-reused"
    SDJWT_DISCLOSURE_WRONG_KIND = "sdjwt.disclosure-wrong-kind"
    SDJWT_DISCLOSURE_UNREFERENCED = "sdjwt.disclosure-unreferenced"
    SDJWT_DIGEST_DUPLICATE = "sdjwt.digest-duplicate"
    SDJWT_RECURSIVE_DISCLOSURE = "sdjwt.recursive-disclosure"
    SDJWT_CLAIM_NAME_RESERVED = "sdjwt.claim-name-reserved"
    SDJWT_CLAIM_EXISTS = "sdjwt.claim-exists"
    SDJWT_TOO_DEEP = "sdjwt.too-deep"
    SDJWT_KB_MISSING = "sdjwt.kb-missing"
    SDJWT_KB_MALFORMED = "sdjwt.kb-malformed"
    SDJWT_KB_TYP = "sdjwt.kb-typ"
    SDJWT_KB_ALG = "sdjwt.kb-alg"
    SDJWT_KB_NO_HOLDER_KEY = "sdjwt.kb-no-holder-key"
    SDJWT_KB_SIGNATURE = "sdjwt.kb-signature"
    SDJWT_KB_SD_HASH = "sdjwt.kb-sd-hash"
    SDJWT_KB_IAT = "sdjwt.kb-iat"
    SDJWT_KB_AUD = "sdjwt.kb-aud"
    SDJWT_KB_NONCE = "sdjwt.kb-nonce"
    # DPoP proofs (dpop.py; RFC 9449)
    DPOP_MALFORMED = "dpop.malformed"
    DPOP_TYP_WRONG = "dpop.typ-wrong"
    DPOP_ALG_NOT_ASYMMETRIC = "dpop.alg-not-asymmetric"
    DPOP_JWK_INVALID = "dpop.jwk-invalid"
    DPOP_JWK_PRIVATE = "dpop.jwk-private"
    DPOP_SIGNATURE_INVALID = "dpop.signature-invalid"
    DPOP_CLAIM_MISSING = "dpop.claim-missing"
    DPOP_HTM_MISMATCH = "dpop.htm-mismatch"
    DPOP_HTU_MISMATCH = "dpop.htu-mismatch"
    DPOP_HTU_HAS_QUERY = "dpop.htu-has-query"
    DPOP_IAT_FUTURE = "dpop.iat-future"
    DPOP_IAT_TOO_OLD = "dpop.iat-too-old"
    DPOP_NONCE_MISMATCH = "dpop.nonce-mismatch"
    DPOP_ATH_MISSING = "dpop.ath-missing"
    DPOP_ATH_MISMATCH = "dpop.ath-mismatch"
    DPOP_JKT_MISMATCH = "dpop.jkt-mismatch"
    DPOP_TOKEN_NOT_BOUND = "dpop.token-not-bound"
    # OIDC token pairs (pairs.py; at_hash, c_hash)
    OIDC_AT_HASH_MISMATCH = "oidc.at-hash-mismatch"
    OIDC_C_HASH_MISMATCH = "oidc.c-hash-mismatch"
    OIDC_HASH_CLAIM_TYPE = "oidc.hash-claim-type"
    OIDC_HASH_UNKNOWN = "oidc.hash-unknown"
    # creating tokens (encode.py)
    ENCODE_HEADER_JSON = "encode.header-json"
    ENCODE_PAYLOAD_JSON = "encode.payload-json"
    ENCODE_HEADER_B64_FALSE = "encode.header-b64-false"
    ENCODE_CLAIM_INVALID = "encode.claim-invalid"
    ENCODE_ALG_UNSUPPORTED = "encode.alg-unsupported"
    ENCODE_ALG_NONE_REFUSED = "encode.alg-none-refused"
    ENCODE_UNSIGNED = "encode.unsigned"
    ENCODE_KEY_MISSING = "encode.key-missing"
    ENCODE_KEY_WRONG_TYPE = "encode.key-wrong-type"
    ENCODE_KEY_NOT_PRIVATE = "encode.key-not-private"
    ENCODE_KEY_AMBIGUOUS = "encode.key-ambiguous"
    ENCODE_SECRET_SHORT = "encode.secret-short"
    ENCODE_KEY_SHORT = "encode.key-short"
    ENCODE_KID_UNAVAILABLE = "encode.kid-unavailable"
    # JWE decryption (jwe/; RFC 7516, RFC 7518): the header, the segments, the key, the decryption, the content
    JWE_ALG_UNSUPPORTED = "jwe.alg-unsupported"
    JWE_ENC_MISSING = "jwe.enc-missing"
    JWE_ENC_UNSUPPORTED = "jwe.enc-unsupported"
    JWE_ZIP_UNSUPPORTED = "jwe.zip-unsupported"
    JWE_HEADER_PARAM = "jwe.header-param-invalid"
    JWE_EPK_INVALID = "jwe.epk-invalid"
    JWE_P2C_REFUSED = "jwe.p2c-refused"
    JWE_P2S_INVALID = "jwe.p2s-invalid"
    JWE_SEGMENT_INVALID = "jwe.segment-invalid"
    JWE_SEGMENT_LENGTH = "jwe.segment-length"
    JWE_KEY_WRONG_TYPE = "jwe.key-wrong-type"
    JWE_KEY_SIZE = "jwe.key-size"
    JWE_KEY_NOT_PRIVATE = "jwe.key-not-private"
    JWE_KEY_USE = "jwe.key-use"
    JWE_KEY_NO_MATCH = "jwe.key-no-match"
    JWE_KEY_UNWRAP = "jwe.key-unwrap"
    JWE_CEK_LENGTH = "jwe.cek-length"
    JWE_TAG_MISMATCH = "jwe.tag-mismatch"
    JWE_PADDING = "jwe.padding"
    JWE_ZIP_INVALID = "jwe.zip-invalid"
    JWE_ZIP_TOO_LARGE = "jwe.zip-too-large"
    JWE_PBES2_PENDING = "jwe.pbes2-pending"
    JWE_NESTED_INVALID = "jwe.nested-invalid"
    JWE_NESTED_TOO_DEEP = "jwe.nested-too-deep"
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
    Code.INPUT_TOO_LARGE: ("error", "Paste the token alone, or the part of the text that holds it: real tokens are "
                                    "kilobytes, not megabytes."),
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
        "Paste the recipient's private key, the shared key or the password into the key box to decrypt it.",
    ),
    Code.JWS_UNSECURED: (
        "warning",
        "Never accept unsigned tokens: anyone can forge them. Sign with a real algorithm (e.g. RS256, ES256).",
    ),
    Code.INTERNAL_ERROR: ("error", "This is a bug in JWT Lens; the rest of the report may be incomplete."),
    Code.KEY_UNREADABLE: (
        "error",
        "Paste an HMAC secret, a PEM public key or certificate, a JWK or a JWKS ({\"keys\": [...]}).",
    ),
    Code.KEY_IS_TOKEN: ("error", "The key box needs the key or secret, not a token."),
    Code.KEY_PEM_INVALID: (
        "error",
        "Copy the PEM again, with its BEGIN and END lines and nothing changed between them.",
    ),
    Code.KEY_DER_INVALID: (
        "error",
        "The key's binary (DER) structure is damaged or not a key: copy it again from its source.",
    ),
    Code.KEY_JSON_INVALID: ("error", "Fix the JSON syntax at the given line and column."),
    Code.KEY_JWK_INVALID: (
        "error",
        "A JWK needs 'kty' and the members of its type (RFC 7517/7518): RSA n, e; EC crv, x, y; "
        "OKP crv, x; oct k; all base64url.",
    ),
    Code.KEY_JWKS_EMPTY: ("error", "The JWKS has no keys: paste the issuer's current key set."),
    Code.KEY_JWKS_MEMBER: ("warning", "This member of the key set was skipped; the others were used."),
    Code.KEY_UNSUPPORTED: (
        "error",
        "JWS signatures use RSA (2048+ bits), EC P-256/P-384/P-521/secp256k1, Ed25519/Ed448 or an HMAC secret.",
    ),
    Code.KEY_ENCRYPTED: (
        "error",
        "The key is password-protected; paste the public key instead (openssl pkey -pubout) - it is enough "
        "to verify.",
    ),
    Code.KEY_SECRET_INVALID: (
        "error",
        "Choose the secret format that matches what you pasted (text, base64, base64url or hex).",
    ),
    Code.KEY_SECRET_SHORT: (
        "warning",
        "Use a random secret at least as long as the hash (32 bytes for HS256, 48 for HS384, 64 for HS512; "
        "RFC 7518 3.2).",
    ),
    Code.KEY_PRIVATE: (
        "warning",
        "A public key is enough to verify. The private key stays in this tab (nothing is sent), "
        "but treat it as exposed if you pasted it somewhere you should not have.",
    ),
    Code.KEY_PAIR_MISMATCH: (
        "error",
        "The private and public parts of this key do not belong together: the key was edited or mixed up.",
    ),
    Code.KEY_RSA_SMALL: (
        "warning",
        "Use RSA keys of 2048 bits or more (RFC 7518 3.3); 1024-bit keys are within reach of factoring.",
    ),
    Code.KEY_CERT_EXPIRED: (
        "warning",
        "The certificate is past its notAfter date: the issuer should publish a current one.",
    ),
    Code.KEY_CERT_NOT_YET_VALID: ("warning", "The certificate's notBefore date is still ahead."),
    Code.KEY_WRONG_TYPE: (
        "error",
        "Use a key of the type the token's algorithm needs: HS* a secret, RS*/PS* RSA, ES256 P-256, "
        "ES384 P-384, ES512 P-521, ES256K secp256k1, EdDSA Ed25519/Ed448.",
    ),
    Code.KEY_CONFUSION: (
        "error",
        "Never verify an HS* token with a public key as the secret: pin the algorithm per key "
        "(RFC 8725 3.1, 3.2).",
    ),
    Code.KEY_NO_MATCH: (
        "error",
        "Paste the key set that contains the token's key (match 'kid'), or the issuer's current keys.",
    ),
    Code.KEY_KID_MISMATCH: (
        "warning",
        "The token's 'kid' names a different key: a verifier that selects keys by kid would not use this one.",
    ),
    Code.SIG_ALG_UNSUPPORTED: (
        "error",
        "Use a registered JWS algorithm; names are case-sensitive (RFC 7518 3.1).",
    ),
    Code.SIG_WRONG_LENGTH: (
        "error",
        "The signature has the wrong size for this algorithm and key: it was truncated, re-encoded, "
        "or made with another key.",
    ),
    Code.SIG_MISMATCH: (
        "error",
        "Check that this is the issuer's key for this token; otherwise the token was altered or forged.",
    ),
    Code.SIG_UNDECODABLE: ("error", "Copy the token again: the signature segment must be base64url."),
    Code.SIG_IMPLAUSIBLE_LENGTH: ("error", "Copy the whole token again: the signature was cut (a copy that stopped "
                                           "short, a log that truncates), or the header names the wrong algorithm."),
    Code.SDJWT_NOT_SD_JWT: (
        "error",
        "An SD-JWT is <issuer-signed JWT>~<disclosure>~...~ (RFC 9901 4), optionally followed by a Key Binding "
        "JWT, or a JWS JSON object with a 'disclosures' header (RFC 9901 8).",
    ),
    Code.SDJWT_JSON_INVALID: (
        "error",
        "The JSON serialization needs 'payload', 'protected' and 'signature' (or 'signatures'), with the "
        "disclosures as an array of strings in the unprotected 'header' (RFC 9901 8.1).",
    ),
    Code.SDJWT_JSON_LEGACY_LAYOUT: (
        "warning",
        "Put 'disclosures' and 'kb_jwt' into the unprotected 'header' member (RFC 9901 8.1); older drafts and "
        "libraries put them at the top level.",
    ),
    Code.SDJWT_JSON_EXTRA_HEADER: (
        "error",
        "Only the first unprotected header may carry 'disclosures' and 'kb_jwt' (RFC 9901 8.3).",
    ),
    Code.SDJWT_FINAL_TILDE_MISSING: (
        "error",
        "An SD-JWT without Key Binding ends with '~' (RFC 9901 4): copy the whole presentation, final '~' "
        "included.",
    ),
    Code.SDJWT_PAYLOAD_UNUSABLE: (
        "error",
        "The issuer-signed JWT must carry a JSON object payload for its digests to be processed.",
    ),
    Code.SDJWT_UNKNOWN_SD_ALG: (
        "error",
        "Use a hash name from IANA's Named Information Hash Algorithm registry, spelled exactly, e.g. "
        "\"sha-256\" (RFC 9901 4.1.1).",
    ),
    Code.SDJWT_SD_ALG_MISPLACED: (
        "warning",
        "_sd_alg belongs at the top level of the payload only (RFC 9901 4.1.1).",
    ),
    Code.SDJWT_SD_MALFORMED: (
        "error",
        "_sd must be an array of digest strings (RFC 9901 4.2.4.1); the issuer must not use the name otherwise.",
    ),
    Code.SDJWT_ELLIPSIS_MISUSED: (
        "warning",
        "The key \"...\" is only for array element digests, {\"...\": \"<digest>\"} with no other key "
        "(RFC 9901 4.2.4.2).",
    ),
    Code.SDJWT_DISCLOSURE_MALFORMED: (
        "error",
        "A disclosure is base64url of a UTF-8 JSON array: [salt, claim name, value] or [salt, value], "
        "the salt a string (RFC 9901 4.2.1, 4.2.2).",
    ),
    Code.SDJWT_DISCLOSURE_REUSED: (
        "error",
        "Send each disclosure once (RFC 9901 4); remove the copy.",
    ),
    Code.SDJWT_DISCLOSURE_WRONG_KIND: (
        "error",
        "_sd digests need [salt, name, value] disclosures and {\"...\": digest} array elements need "
        "[salt, value] ones (RFC 9901 7.1 step 3).",
    ),
    Code.SDJWT_DISCLOSURE_UNREFERENCED: (
        "error",
        "Send only disclosures of this SD-JWT, together with every disclosure that contains their digests "
        "(RFC 9901 4.2.6, 7.1 step 5).",
    ),
    Code.SDJWT_DIGEST_DUPLICATE: (
        "error",
        "Each digest may appear once in the whole SD-JWT (RFC 9901 4.1, 7.1 step 4); the issuer must re-issue it.",
    ),
    Code.SDJWT_RECURSIVE_DISCLOSURE: (
        "error",
        "A disclosure cannot contain its own digest, directly or through other disclosures; it can never be "
        "processed.",
    ),
    Code.SDJWT_CLAIM_NAME_RESERVED: (
        "error",
        "A disclosed claim cannot be named \"_sd\" or \"...\" (RFC 9901 4.2.1, 7.1 step 3).",
    ),
    Code.SDJWT_CLAIM_EXISTS: (
        "error",
        "A disclosed claim cannot replace a claim that already exists in the same object (RFC 9901 7.1 step 3).",
    ),
    Code.SDJWT_TOO_DEEP: ("error", "Nesting this deep is not a real SD-JWT; processing stopped there."),
    Code.SDJWT_KB_MISSING: (
        "error",
        "This verifier requires Key Binding: the holder must append a KB-JWT (RFC 9901 7.3 step 2).",
    ),
    Code.SDJWT_KB_MALFORMED: (
        "error",
        "The last component must be a compact JWS, the Key Binding JWT (RFC 9901 4.3).",
    ),
    Code.SDJWT_KB_TYP: ("error", "The KB-JWT header must say \"typ\": \"kb+jwt\" (RFC 9901 4.3)."),
    Code.SDJWT_KB_ALG: (
        "error",
        "Sign the KB-JWT with a registered asymmetric algorithm, never none or HMAC (RFC 9901 4.3, 7.3).",
    ),
    Code.SDJWT_KB_NO_HOLDER_KEY: (
        "error",
        "Key Binding needs the holder's public key in the issuer-signed JWT, e.g. \"cnf\": {\"jwk\": {...}} "
        "(RFC 9901 4.1.2).",
    ),
    Code.SDJWT_KB_SIGNATURE: (
        "error",
        "The KB-JWT must be signed with the private key of cnf.jwk; otherwise the presenter is not the holder.",
    ),
    Code.SDJWT_KB_SD_HASH: (
        "error",
        "sd_hash must be the base64url _sd_alg hash of the presentation up to and including the last '~' "
        "(RFC 9901 4.3.1); a mismatch means disclosures were added, removed or changed.",
    ),
    Code.SDJWT_KB_IAT: (
        "error",
        "iat must be a NumericDate in an acceptable window before now (RFC 9901 4.3, 7.3 step 5).",
    ),
    Code.SDJWT_KB_AUD: (
        "error",
        "aud must be a single string naming this verifier (RFC 9901 4.3, 7.3 step 6).",
    ),
    Code.SDJWT_KB_NONCE: (
        "error",
        "nonce must be the string this verifier issued for this transaction (RFC 9901 4.3, 7.3 step 6).",
    ),
    Code.DPOP_MALFORMED: ("error", "The DPoP header must hold one signed JWT: header.payload.signature."),
    Code.DPOP_TYP_WRONG: ("error", "A DPoP proof's header must say \"typ\": \"dpop+jwt\" (RFC 9449 4.2)."),
    Code.DPOP_ALG_NOT_ASYMMETRIC: (
        "error",
        "Sign DPoP proofs with a registered asymmetric algorithm such as ES256 or PS256; never none or HMAC "
        "(RFC 9449 4.2).",
    ),
    Code.DPOP_JWK_INVALID: (
        "error",
        "The header must carry the client's public key as a JWK in 'jwk' (RFC 9449 4.2).",
    ),
    Code.DPOP_JWK_PRIVATE: (
        "error",
        "Put only the public key in 'jwk' (RFC 9449 4.2); treat this private key as compromised and replace it.",
    ),
    Code.DPOP_SIGNATURE_INVALID: (
        "error",
        "The proof must be signed with the private key of its own 'jwk'; it was altered or signed with "
        "another key.",
    ),
    Code.DPOP_CLAIM_MISSING: (
        "error",
        "A DPoP proof needs jti (string), htm (string), htu (string) and iat (NumericDate) (RFC 9449 4.2).",
    ),
    Code.DPOP_HTM_MISMATCH: ("error", "htm must be the method of the request the proof is sent with, e.g. \"GET\"."),
    Code.DPOP_HTU_MISMATCH: (
        "error",
        "htu must be the request's URL without query and fragment (RFC 9449 4.2, 4.3 step 9).",
    ),
    Code.DPOP_HTU_HAS_QUERY: ("warning", "Leave the query and fragment out of htu (RFC 9449 4.2)."),
    Code.DPOP_IAT_FUTURE: ("error", "The client's clock is ahead, or the proof was made for later use."),
    Code.DPOP_IAT_TOO_OLD: (
        "error",
        "Make a fresh proof for every request; servers accept proofs only for a short time (RFC 9449 11.1).",
    ),
    Code.DPOP_NONCE_MISMATCH: ("error", "Put the server's latest DPoP-Nonce value into 'nonce' (RFC 9449 8, 9)."),
    Code.DPOP_ATH_MISSING: (
        "error",
        "A proof sent with an access token must carry ath, the base64url SHA-256 of the token (RFC 9449 4.2, 7).",
    ),
    Code.DPOP_ATH_MISMATCH: (
        "error",
        "ath must be base64url(SHA-256(access token)): this proof was made for another token.",
    ),
    Code.DPOP_JKT_MISMATCH: (
        "error",
        "The access token is bound to another key (cnf.jkt): sign proofs with the key the token was issued for.",
    ),
    Code.DPOP_TOKEN_NOT_BOUND: (
        "error",
        "A DPoP access token must name its key in cnf.jkt (RFC 9449 6.1); this one is a bearer token.",
    ),
    Code.OIDC_AT_HASH_MISMATCH: (
        "error",
        "The access token was not issued with this ID token (or was altered): reject both (OIDC Core 3.2.2.9).",
    ),
    Code.OIDC_C_HASH_MISMATCH: (
        "error",
        "The authorization code was not issued with this ID token (or was swapped): reject it (OIDC Core "
        "3.3.2.10).",
    ),
    Code.OIDC_HASH_CLAIM_TYPE: ("error", "at_hash and c_hash are base64url strings (OIDC Core 3.1.3.6)."),
    Code.JWE_ALG_UNSUPPORTED: (
        "error",
        "Use a registered JWE key-management algorithm (RFC 7518 4.1: RSA-OAEP-256, ECDH-ES, A256KW, dir, ...); "
        "names are case-sensitive.",
    ),
    Code.JWE_ENC_MISSING: ("error", "A JWE header must name its content encryption in 'enc' (RFC 7516 4.1.2)."),
    Code.JWE_ENC_UNSUPPORTED: (
        "error",
        "Use a registered content encryption (RFC 7518 5.1): A128GCM, A192GCM, A256GCM, A128CBC-HS256, "
        "A192CBC-HS384 or A256CBC-HS512.",
    ),
    Code.JWE_ZIP_UNSUPPORTED: ("error", "The only registered 'zip' value is \"DEF\" (raw DEFLATE, RFC 7516 4.1.3)."),
    Code.JWE_HEADER_PARAM: (
        "error",
        "Give the header parameters the algorithm needs, base64url-encoded where RFC 7518 says so.",
    ),
    Code.JWE_EPK_INVALID: (
        "error",
        "ECDH-ES needs the sender's ephemeral public key in 'epk': a public JWK on the recipient key's curve "
        "(RFC 7518 4.6.1.1). A point off the curve is an invalid-curve attack and is never used.",
    ),
    Code.JWE_P2C_REFUSED: (
        "error",
        "PBES2 needs 'p2c', a positive iteration count this recipient accepts (RFC 7518 4.8.1.2).",
    ),
    Code.JWE_P2S_INVALID: ("error", "PBES2 needs 'p2s', a base64url salt of at least 8 bytes (RFC 7518 4.8.1.1)."),
    Code.JWE_SEGMENT_INVALID: ("error", "Copy the token again: each JWE segment must be base64url."),
    Code.JWE_SEGMENT_LENGTH: (
        "error",
        "The segment was cut, padded or made for another algorithm: copy the whole token again.",
    ),
    Code.JWE_KEY_WRONG_TYPE: (
        "error",
        "Use the key the alg needs: RSA1_5/RSA-OAEP* an RSA private key, ECDH-ES* a P-256/P-384/P-521 or "
        "X25519/X448 private key, A*KW/A*GCMKW/dir a secret, PBES2* a password.",
    ),
    Code.JWE_KEY_SIZE: ("error", "Use a secret of exactly the size the algorithm names (e.g. 16 bytes for A128KW)."),
    Code.JWE_KEY_NOT_PRIVATE: (
        "error",
        "Decrypting needs the recipient's private key; the public key only encrypts.",
    ),
    Code.JWE_KEY_USE: (
        "error",
        "The key's JWK says it is not for this: 'use', 'key_ops' and 'alg' must allow JWE decryption with this alg.",
    ),
    Code.JWE_KEY_NO_MATCH: (
        "error",
        "Paste the key set that holds the recipient's key (match 'kid'), or the key itself.",
    ),
    Code.JWE_KEY_UNWRAP: (
        "error",
        "Check that this is the recipient's key; otherwise the encrypted key was altered.",
    ),
    Code.JWE_CEK_LENGTH: (
        "error",
        "The content key does not fit the 'enc': the sender used another enc or a broken encrypter.",
    ),
    Code.JWE_TAG_MISMATCH: (
        "error",
        "Check that this is the recipient's key; otherwise the token was altered and must be rejected.",
    ),
    Code.JWE_PADDING: ("error", "The sender's encrypter is faulty (bad PKCS#7 padding under a valid tag)."),
    Code.JWE_ZIP_INVALID: ("error", "'zip': \"DEF\" content must be a complete raw DEFLATE stream (RFC 1951)."),
    Code.JWE_ZIP_TOO_LARGE: (
        "error",
        "The compressed content inflates beyond the limit: a decompression bomb, or content far larger than a token.",
    ),
    Code.JWE_PBES2_PENDING: (
        "warning",
        "The password is being run through PBKDF2 in slices; the token decrypts when that finishes.",
    ),
    Code.JWE_NESTED_INVALID: (
        "error",
        "With 'cty': \"JWT\" the content must be a compact JWT (RFC 7519 5.2).",
    ),
    Code.JWE_NESTED_TOO_DEEP: ("error", "Nesting this deep is not a real token; the inner tokens were not opened."),
    Code.OIDC_HASH_UNKNOWN: (
        "warning",
        "The hash follows from the ID token's alg; with this alg none is defined, so the value cannot be checked.",
    ),
    Code.ENCODE_HEADER_JSON: ("error", "Fix the header JSON at the given line and column; it must be an object."),
    Code.ENCODE_PAYLOAD_JSON: (
        "error",
        "Fix the payload JSON at the given line and column; a JWT payload must be an object {...}.",
    ),
    Code.ENCODE_HEADER_B64_FALSE: (
        "error",
        "Remove \"b64\": false: unencoded payloads (RFC 7797) are not supported, and most verifiers reject them.",
    ),
    Code.ENCODE_CLAIM_INVALID: (
        "error",
        "Give a duration as a number of minutes or with a unit: 30s, 15m, 1h, 2d, 1w (or combined: 1h30m).",
    ),
    Code.ENCODE_ALG_UNSUPPORTED: (
        "error",
        "Choose a JWS signature algorithm: HS256/384/512, RS256/384/512, PS256/384/512, ES256/384/512, "
        "ES256K, EdDSA, Ed25519 or Ed448.",
    ),
    Code.ENCODE_ALG_NONE_REFUSED: (
        "error",
        "Choose a signing algorithm. An unsigned token (alg \"none\") can be forged by anyone; make one only "
        "to test that a verifier rejects it, and say so explicitly.",
    ),
    Code.ENCODE_UNSIGNED: (
        "warning",
        "This token is unsigned: any verifier that accepts it can be fooled by anyone (RFC 8725 3.2). Use it "
        "only to test that verifiers reject it.",
    ),
    Code.ENCODE_KEY_MISSING: (
        "error",
        "Paste the key to sign with: an HMAC secret for HS*, a private key (PEM or JWK) for the others, or "
        "generate one.",
    ),
    Code.ENCODE_KEY_WRONG_TYPE: (
        "error",
        "Use a key of the type the algorithm needs: HS* a secret, RS*/PS* RSA, ES256 P-256, ES384 P-384, "
        "ES512 P-521, ES256K secp256k1, EdDSA Ed25519/Ed448 (or change the algorithm).",
    ),
    Code.ENCODE_KEY_NOT_PRIVATE: (
        "error",
        "Signing needs the private key (PEM \"PRIVATE KEY\", \"RSA PRIVATE KEY\", \"EC PRIVATE KEY\", or a JWK "
        "with \"d\"); a public key or certificate only verifies.",
    ),
    Code.ENCODE_KEY_AMBIGUOUS: (
        "error",
        "Leave only the key to sign with in the key box, or set the header's kid to the one to use.",
    ),
    Code.ENCODE_KEY_SHORT: (
        "warning",
        "Use an RSA key of 2048 bits or more (RFC 7518 3.3): 1024-bit keys are within reach of factoring. Fine for a "
        "test token, never for a real issuer.",
    ),
    Code.ENCODE_SECRET_SHORT: (
        "warning",
        "Use a random secret at least as long as the hash: 32 bytes for HS256, 48 for HS384, 64 for HS512 "
        "(RFC 7518 3.2). Short secrets can be brute-forced from any token.",
    ),
    Code.ENCODE_KID_UNAVAILABLE: (
        "warning",
        "Set a kid by hand if the verifier needs one: an HMAC secret has no public thumbprint, and a hash of "
        "the secret in every token would help whoever guesses it.",
    ),
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
