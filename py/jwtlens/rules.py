"""Every security-review rule in one table: id, severity, title, risk, fix and reference, as ``problems.py`` holds
every problem code. The review (lint.py) only decides whether a rule fires and with which values; the words live
here, as ``str.format`` templates filled by ``finding(rule_id, where, **values)``.

A rule id is part of the automation contract (``#findings li[data-rule]``): never rename one, only add. A few rules
say different things in different situations (a forgery confirmed or only attempted, an access token or any token);
those situations are variants of the same id, rows of VARIANTS.

Severity scale (the page's summary line shows the highest):

- critical: the token can be forged or altered right now by anyone who holds it: no signature, a signature made
  with a well-known secret, a public key accepted as an HMAC secret.
- high: a MUST of the specifications is broken, or a verifier that follows a common default can be attacked
  (header URLs and embedded keys, injectable kid, short HMAC or RSA key), or the payload exposes secrets, card or
  national id numbers.
- medium: weakens security depending on the verifier (no exp, very long lifetime, unknown crit, b64: false,
  compression, a key that does not fit the alg, a dir key of the wrong size, duplicate members, non-UTF-8).
- low: hygiene and profile conformance (no aud/iss on a general token, missing explicit typing, nested JWT,
  personal data outside the standard identity claims, a private key in the key box).
- info: worth knowing, not a weakness: personal data in the standard identity claims of an ID token (e.g. the
  OIDC `email` claim is expected there; it is still readable by anyone holding the token).
"""

from __future__ import annotations

from dataclasses import dataclass

from .report import Finding, Severity

SEVERITIES: tuple[Severity, ...] = ("critical", "high", "medium", "low", "info")


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    title: str
    risk: str
    fix: str
    reference: str


_R = Rule
_TABLE = (
    # -- algorithm --
    _R("alg.none", "critical", "Unsigned token (alg '{alg}'){odd}",
       "Anyone can change the claims of an unsigned token; a verifier that honours 'none'{case} accepts forged tokens.",
       "Reject 'none' in every letter case: verifiers must accept only an allow-list of signed algorithms.",
       "RFC 8725 2.1, 3.1, 3.2; RFC 7518 3.6"),
    _R("alg.missing", "high", "No algorithm in the header",
       "Without 'alg' a verifier has to guess how the token is protected, and some treat it as unsigned.",
       "Issue tokens with an explicit 'alg', and have verifiers accept only their one expected algorithm.",
       "RFC 7515 4.1.1; RFC 8725 3.1"),
    _R("alg.case", "medium", "Algorithm name in the wrong case: '{alg}' instead of '{match}'",
       "Algorithm names are case-sensitive; a verifier that compares them case-insensitively can be steered past its "
       "allow-list, and a correct one rejects this token.",
       "Issue the token with alg '{match}' exactly, and compare algorithm names exactly when verifying.",
       "RFC 7515 4.1.1; RFC 8725 3.1"),
    _R("alg.unregistered", "high", "Unknown {kind} algorithm '{alg}'",
       "An algorithm outside the registry has no reviewed security properties, and verifiers disagree on what to do "
       "with it.",
       "Use a registered algorithm such as RS256, PS256, ES256 or EdDSA, and reject anything else.",
       "RFC 7518 3.1; RFC 8725 3.2"),
    _R("signature.empty", "critical", "The signature is empty",
       "The header says '{alg}' but the token carries no signature: anyone could have written it, and a verifier "
       "that skips verification for empty signatures accepts forgeries.",
       "Reject tokens without a valid signature for the expected algorithm; never accept stripped signatures.",
       "RFC 8725 2.1, 3.1, 3.3"),
    # -- keys --
    _R("key.confusion", "high", "Public key used as an HMAC secret",
       "An {alg} token checked against a public key ({material}) is the algorithm-confusion attack: the public key "
       "is no secret, so anyone can compute a valid HMAC with it.",
       "Verify with the algorithm configured for the key (e.g. RS256 for an RSA key), never the token's 'alg'; keep "
       "one algorithm per key.",
       "RFC 8725 2.1, 3.1"),
    _R("hmac.short-secret", "high", "HMAC secret shorter than the hash: {bits} bits for {alg}",
       "{alg} needs a key of at least {need} bits; shorter secrets are easier to brute-force offline from any one "
       "token.",
       "Use a random secret of at least {need_bytes} bytes from a cryptographic random generator.",
       "RFC 7518 3.2; RFC 8725 3.5"),
    _R("hmac.weak-secret", "critical", "Signed with {named}",
       "This {alg} token is signed with {named}, found in a public list of weak secrets: anyone who holds one token "
       "can find it offline and forge tokens that the issuer's verifiers accept.",
       "Replace the secret with at least {need_bytes} random bytes from a cryptographic random generator (or move to "
       "an asymmetric algorithm), and revoke every token signed with the old one.",
       "RFC 8725 2.2, 3.5; RFC 7518 3.2"),
    _R("key.alg-mismatch", "medium", "The key does not fit the algorithm: {mismatch}",
       "A key must be used with exactly one algorithm; a token whose 'alg' does not fit the issuer's key is either "
       "meant for another key or was altered.",
       "Check that this is the issuer's key for this token, and pin the algorithm per key in the verifier.",
       "RFC 8725 3.1"),
    _R("key.rsa-short", "high", "RSA key of only {bits} bits",
       "RSA keys below {need} bits are too weak for signatures; 1024-bit keys are within reach of well-funded "
       "attackers.",
       "Issue tokens with an RSA key of 2048 bits or more (3072 for long-term use), or with ES256/EdDSA.",
       "RFC 7518 3.3, 3.5"),
    _R("key.private", "low", "A private key was pasted",
       "Verifying needs only the public key; a private key that was copied around (clipboard, chat, tickets) lets "
       "whoever sees it sign tokens.",
       "Paste the public key or certificate instead; if this private key is a production key, treat it as exposed "
       "and rotate it.",
       "RFC 8725 2.2"),
    # -- header --
    _R("header.jku", "high", "Header names a key URL ('jku', JWK Set URL)",
       "A verifier that fetches keys from 'jku' lets the token's author choose the verification key, and makes the "
       "server request an attacker-chosen URL (SSRF){plain}; JWT Lens never fetches it.",
       "Verifiers must ignore 'jku' or accept only exact, allow-listed HTTPS URLs of the issuer; take keys from "
       "configuration.",
       "RFC 8725 2.9, 3.10; RFC 7515 4.1.2"),
    _R("header.x5u", "high", "Header names a key URL ('x5u', X.509 certificate URL)",
       "A verifier that fetches keys from 'x5u' lets the token's author choose the verification key, and makes the "
       "server request an attacker-chosen URL (SSRF){plain}; JWT Lens never fetches it.",
       "Verifiers must ignore 'x5u' or accept only exact, allow-listed HTTPS URLs of the issuer; take keys from "
       "configuration.",
       "RFC 8725 2.9, 3.10; RFC 7515 4.1.5"),
    _R("header.jwk", "high", "Header embeds its own verification key ('jwk')",
       "A verifier that trusts the key inside the token accepts tokens signed by anyone with any key (the "
       "embedded-JWK attack, CVE-2018-0114).",
       "Ignore 'jwk' for trust: verify only with keys the application already knows to belong to the issuer.",
       "RFC 7515 4.1.3; RFC 8725 3.8"),
    _R("header.x5c", "medium", "Header embeds a certificate chain ('x5c')",
       "The certificates in the token prove nothing by themselves: a verifier that uses them without validating the "
       "chain to its own trust anchor accepts keys the attacker made.",
       "Validate the chain against a configured trust anchor (RFC 5280) and check that it identifies the expected "
       "issuer, or verify with a configured key instead.",
       "RFC 7515 4.1.6; RFC 8725 3.8"),
    _R("kid.injection", "high", "Key id ('kid') contains {found}",
       "A verifier that puts 'kid' into a file path, SQL or NoSQL query, LDAP filter or shell command can be made to "
       "pick a key the attacker knows (e.g. /dev/null or an injected empty value).",
       "Treat 'kid' as untrusted: look it up only in a fixed map of known key ids, never in a path or query.",
       "RFC 8725 2.9, 3.10; RFC 7515 4.1.4"),
    _R("header.crit", "medium", "Critical header extensions ('crit') a verifier must reject",
       "A verifier must reject a token whose 'crit' it does not fully understand; one that ignores 'crit' processes "
       "the token with semantics the issuer did not intend: {reasons}.",
       "List in 'crit' only extension parameters that are present and that every verifier implements, or drop them.",
       "RFC 7515 4.1.11"),
    _R("header.b64-false", "medium", "Unencoded payload ('b64': false)",
       "The signature covers the raw payload, which JWTs must not use; verifiers that do not implement RFC 7797 "
       "compute a different signing input{crit}.",
       "Issue JWTs with the default base64url payload; if RFC 7797 is really needed, list 'b64' in 'crit'.",
       "RFC 7797 3, 6, 7"),
    # -- JWE --
    _R("jwe.zip", "medium", "Compressed before encryption ('zip': '{zip}')",
       "The ciphertext length then depends on the content, which leaks secrets when attacker-controlled data is "
       "encrypted alongside them; decompression without a size limit also invites decompression bombs.",
       "Do not compress encryption inputs; if you must, never mix attacker-controlled data in and cap the "
       "decompressed size.",
       "RFC 8725 2.4, 3.6; RFC 7516 4.1.3"),
    _R("jwe.rsa1_5", "high", "RSA PKCS#1 v1.5 key encryption (RSA1_5)",
       "RSAES-PKCS1-v1_5 decryption is open to Bleichenbacher-style padding-oracle attacks that recover the content "
       "key.",
       "Use RSA-OAEP-256 (or ECDH-ES) for key management and reject RSA1_5.",
       "RFC 8725 3.2; RFC 7518 4.2"),
    _R("jwe.p2c", "high", "PBES2 iteration count of {p2c:,} ('p2c')",
       "The recipient must run that many PBKDF2 iterations before it can even reject the token: a cheap "
       "denial-of-service lever for whoever sends it.",
       "Recipients should refuse 'p2c' above a fixed limit (e.g. {limit:,}); issuers should use a sensible count or "
       "a random key instead of a password.",
       "RFC 7518 4.8.1.2; RFC 8725 2.2, 3.5"),
    _R("jwe.p2c-low", "low", "PBES2 iteration count of only {p2c:,} ('p2c')",
       "Few iterations make the password that protects the content key cheap to brute-force.",
       "Use at least {minimum:,} iterations (far more for human passwords), or a random key.",
       "RFC 7518 4.8.1.2"),
    _R("jwe.pbes2-weak-password", "high", "PBES2 password of little strength ({estimate})",
       "Anyone holding the token can guess the password offline, at the cost of {p2c:,} PBKDF2 iterations a guess; "
       "a password this weak falls to a dictionary or brute-force search, and with it anyone can read and make such "
       "tokens.",
       "Use a random key (A256KW, or dir with a random key) or a long random passphrase, and revoke what the old "
       "password protected.",
       "RFC 8725 2.2, 3.5; RFC 7518 4.8.1"),
    _R("jwe.dir-key", "medium", "Direct encryption key of {bits} bits for {enc}, which needs {need}",
       "With 'dir' the key is the content encryption key itself: a key of another size cannot decrypt the token, and "
       "one cut or padded to fit is weaker than {enc} is meant to be.",
       "Give the recipient and the sender the same random {need_bytes}-byte key, or use a key-wrapping algorithm "
       "(A256KW, ECDH-ES+A256KW).",
       "RFC 7518 4.5, 5.2, 5.3; RFC 8725 3.5"),
    _R("jwe.ecdh-no-party-info", "info", "ECDH-ES without party information ('apu', 'apv')",
       "The derived key is bound to the two keys and the algorithm only; protocols that name the sender and the "
       "recipient in apu/apv bind it to them as well. Harmless where no protocol asks for them.",
       "Where the protocol defines them, set apu and apv to the parties' identifiers.",
       "RFC 7518 4.6.1.2, 4.6.1.3, 4.6.2"),
    _R("jwe.epk-invalid", "high", "Unusable ephemeral key ('epk') in an ECDH-ES token",
       "{why} A recipient that uses a point off its curve leaks its private key, a few bits a token (the "
       "invalid-curve attack); this token is either such an attack or broken.",
       "Recipients must check that 'epk' is a point on the expected curve before any key agreement; reject this "
       "token.",
       "RFC 8725 2.5, 3.4; RFC 7518 4.6.1.1"),
    # -- typing --
    _R("typ.missing", "low", "Access token without explicit typing ({shown})",
       "The payload looks like an OAuth access token (scope/scp/client_id), but without typ 'at+jwt' a verifier "
       "cannot tell it from an ID token or another JWT of the same issuer, so one kind can be replayed as another.",
       "Issue access tokens with the header typ 'at+jwt', and have resource servers require it.",
       "RFC 9068 2.1, 4; RFC 8725 3.11"),
    _R("typ.nested-jwt", "low", "Nested JWT ('cty': 'JWT')",
       "The content is another JWT: libraries that unwrap the outer layer do not always validate the inner token's "
       "signature and claims.",
       "Validate both layers with the keys and algorithms the application expects, and reject the whole token if "
       "either fails.",
       "RFC 7519 5.2; RFC 8725 2.3, 3.3"),
    # -- claims --
    _R("claims.no-exp", "medium", "The token never expires (no 'exp')",
       "A token without expiry stays usable forever once leaked, logged or stolen; only rotating the key revokes it.",
       "Issue tokens with 'exp' (minutes for access tokens) and have verifiers require it.",
       "RFC 7519 4.1.4"),
    _R("claims.long-lifetime", "medium", "Long {basis}: {duration} for a token",
       "A leaked token stays usable for {duration}; more than a week gives a thief a long window.",
       "Shorten the lifetime and use refresh tokens (or re-authentication) for long sessions.",
       "RFC 6819 5.1.5.3"),
    _R("claims.iat-future", "medium", "Issued in the future: 'iat' is {ahead} ahead",
       "Either the issuer's clock is wrong or the token was made by hand; verifiers that check 'iat' reject it and "
       "those that do not may accept a token dated to outlive its intended expiry.",
       "Fix the issuer's clock (NTP) or find out who minted this token; keep the verifier's leeway small.",
       "RFC 7519 4.1.6"),
    _R("claims.nbf-after-exp", "medium", "Never valid: 'nbf' is after 'exp'",
       "No moment exists at which this token is valid; a verifier that checks only one of the two accepts it anyway, "
       "which points at a broken issuer or a hand-made token.",
       "Fix the issuer so that nbf <= iat < exp.",
       "RFC 7519 4.1.4, 4.1.5"),
    _R("claims.nbf-future", "low", "Not valid yet: 'nbf' is {ahead} ahead",
       "Verifiers reject the token until then; a far-future 'nbf' often means clock skew or a token made in advance "
       "to be used later.",
       "Check the issuer's clock; issue tokens when they are needed.",
       "RFC 7519 4.1.5"),
    _R("claims.exp-before-iat", "medium", "Expired when issued: 'exp' is not after 'iat'",
       "The issuer's lifetime setting or clock is broken; verifiers that ignore 'exp' would accept a token the issuer "
       "meant to be dead.",
       "Fix the issuer's token lifetime so that exp > iat.",
       "RFC 7519 4.1.4, 4.1.6"),
    _R("claims.no-aud", "low", "No audience ('aud')",
       "Without 'aud' a token meant for one service can be replayed at another service that trusts the same issuer "
       "(substitution).",
       "Put the intended recipient in 'aud' and have every verifier check that it is named there.",
       "RFC 8725 2.7, 3.9"),
    _R("claims.no-iss", "low", "No issuer ('iss')",
       "Without 'iss' a verifier cannot tie the token to the issuer whose keys should verify it, which invites "
       "cross-issuer confusion.",
       "Put the issuer identifier in 'iss' and have verifiers require their expected issuer.",
       "RFC 8725 3.8"),
    # -- encoding and contents --
    _R("header.duplicate-member", "medium", "Duplicate member names in the header JSON",
       "JSON parsers disagree on which duplicate wins (first, last, or error), so the verifier and the application "
       "can act on different values, e.g. two different 'sub' or 'alg'.",
       "Reject tokens with duplicate member names; issuers must emit each name once.",
       "RFC 7519 4; RFC 7515 4"),
    _R("payload.duplicate-member", "medium", "Duplicate member names in the payload JSON",
       "JSON parsers disagree on which duplicate wins (first, last, or error), so the verifier and the application "
       "can act on different values, e.g. two different 'sub' or 'alg'.",
       "Reject tokens with duplicate member names; issuers must emit each name once.",
       "RFC 7519 4; RFC 7515 4"),
    _R("header.not-utf8", "medium", "The header is not valid UTF-8",
       "Different decoders repair or reject invalid bytes differently, which a crafted token can use to look "
       "different to the verifier and to the application.",
       "Reject tokens whose JSON is not valid UTF-8; issuers must encode JSON as UTF-8.",
       "RFC 8725 2.6, 3.7"),
    _R("payload.not-utf8", "medium", "The payload is not valid UTF-8",
       "Different decoders repair or reject invalid bytes differently, which a crafted token can use to look "
       "different to the verifier and to the application.",
       "Reject tokens whose JSON is not valid UTF-8; issuers must encode JSON as UTF-8.",
       "RFC 8725 2.6, 3.7"),
    _R("payload.sensitive", "low", "{title}",
       "The payload is readable by anyone who holds the token (it is only base64url-encoded, not encrypted): {what} "
       "in {paths} reaches every client, proxy and log that sees it.",
       "Keep it out of the token (store it server-side and refer to it by an opaque id), or encrypt the token (JWE) "
       "if it must travel.",
       "RFC 7519 12"),
    _R("text.invisible", "medium", "Invisible or direction-changing characters in {where_words}",
       "{examples} in {paths}: the value shows differently from what a program compares (a zero-width space makes "
       "a second \"admin\", a right-to-left override shows \"gnp.exe\" as \"exe.png\"), which misleads people "
       "reading tokens, logs and admin screens.",
       "Reject or strip format characters (Unicode category Cf) and bidirectional controls in identifiers; compare "
       "identifiers only after normalising them (Unicode TR 36, TR 39).",
       "RFC 8725 3.10; Unicode TR 36 3.4"),
    _R("text.mixed-script", "medium", "Letters of different scripts mixed in one word ({examples})",
       "{paths}: a word mixes Latin letters with Cyrillic or Greek ones that look the same, so it reads as another "
       "name (an account, a domain, a role) than the one it is.",
       "Restrict identifiers to one script, or check them against Unicode TR 39's confusable skeletons before "
       "trusting or showing them.",
       "RFC 8725 3.10; Unicode TR 36 3.1"),
    # -- SD-JWT (sdjwt.py) --
    _R("sdjwt.no-key-binding", "medium", "Holder-bound SD-JWT presented without Key Binding",
       "The credential names a holder key (cnf), but no KB-JWT proves the presenter has it: whoever obtained this "
       "presentation can replay it.",
       "Verifiers that rely on cnf must require an SD-JWT+KB with a fresh nonce and their own aud.",
       "RFC 9901 7.3, 9.5"),
    _R("sdjwt.short-salt", "medium", "Salts shorter than {min_bits} bits",
       "Short salts ({listed}) let anyone who sees a digest guess undisclosed claims of a small value space (birth "
       "dates, yes/no claims) by trying salts and values.",
       "Issue each disclosure with a fresh salt of at least {min_bits} bits from a secure random source.",
       "RFC 9901 9.3"),
    _R("sdjwt.sd-alg", "low", "Disclosure hash {name} is not SHA-2",
       "{name} is secure, but verifiers only have to support sha-256; many will reject this SD-JWT.",
       "Use _sd_alg sha-256 unless every verifier is known to support this hash.",
       "RFC 9901 4.1.1"),
    _R("sdjwt.vc-legacy-typ", "low", "SD-JWT VC typed with the old vc+sd-jwt",
       "Drafts since November 2024 require typ dc+sd-jwt; verifiers that check the type will reject this one.",
       "Issue SD-JWT VCs with \"typ\": \"dc+sd-jwt\".",
       "draft-ietf-oauth-sd-jwt-vc 2.2.1"),
    _R("sdjwt.vc-claim-disclosable", "medium", "SD-JWT VC control claims made disclosable: {names}",
       "The holder can withhold them, so a verifier may never see the issuer, validity period, holder key, type or "
       "status it has to check.",
       "Put iss, nbf, exp, cnf, vct, vct#integrity, aka_vcts and status in the clear.",
       "draft-ietf-oauth-sd-jwt-vc 2.2.2.3"),
    # -- DPoP (dpop.py) --
    _R("dpop.alg-not-asymmetric", "critical", "DPoP proof not signed with an asymmetric algorithm",
       "A proof with alg none or an HMAC proves nothing about a private key: anyone can make one.",
       "Servers must accept only their allow-list of asymmetric algorithms (e.g. ES256, PS256) for DPoP.",
       "RFC 9449 4.2, 4.3 step 5"),
    _R("dpop.jwk-private", "critical", "The DPoP proof discloses its private key",
       "The header's jwk carries private members, so every server and log that sees the proof can sign proofs for "
       "this key and use the tokens bound to it.",
       "Send only the public key in jwk; revoke tokens bound to this key and make a new key pair.",
       "RFC 9449 4.2"),
    _R("dpop.no-ath", "medium", "DPoP proof without ath sent with an access token",
       "Without ath the proof is not tied to the token, so a captured proof can be replayed with another token "
       "bound to the same key.",
       "Resource servers must require ath and compare it with the token presented.",
       "RFC 9449 4.3, 7"),
    _R("dpop.token-not-bound", "high", "Access token sent with DPoP is not bound to a key",
       "The access token has no cnf.jkt: the DPoP proof adds nothing, and anyone holding the token can use it.",
       "Issue DPoP access tokens with cnf.jkt, and have resource servers reject DPoP tokens without it.",
       "RFC 9449 6.1, 7.1"),
    _R("lint.internal-error", "info", "A security check could not run",
       "The check {check} failed ({error}), so this review may be incomplete.",
       "Report this token shape to the JWT Lens maintainers; the other checks still ran.",
       "-"),
)
RULES: dict[str, Rule] = {r.id: r for r in _TABLE}

# (rule id, situation) -> the row for that situation; the id and the reference stay the rule's own.
VARIANTS: dict[tuple[str, str], Rule] = {
    ("key.confusion", "forged"): _R(
        "key.confusion", "critical", "Public key used as an HMAC secret: this token was forged with it",
        "An {alg} token checked against a public key ({material}) is the algorithm-confusion attack: the public key "
        "is no secret, so anyone can compute a valid HMAC with it, and this signature verifies that way.",
        RULES["key.confusion"].fix, RULES["key.confusion"].reference),
    ("hmac.weak-secret", "unverified"): _R(
        "hmac.weak-secret", "high", "The secret in the key box is {named}",
        "You checked the token against {named}, found in public lists of weak secrets: anyone holding a token can "
        "find it offline and forge tokens.",
        "Use at least {need_bytes} random bytes from a cryptographic random generator (or an asymmetric algorithm) "
        "and revoke tokens signed with the old secret.", "RFC 8725 2.2, 3.5"),
    ("claims.no-exp", "access"): _R(
        "claims.no-exp", "high", "The access token never expires (no 'exp')", RULES["claims.no-exp"].risk,
        RULES["claims.no-exp"].fix, "RFC 7519 4.1.4; RFC 9068 2.2"),
    ("claims.long-lifetime", "access"): _R(
        "claims.long-lifetime", "medium", "Long {basis}: {duration} for an access token",
        "A leaked access token stays usable for {duration}; access tokens should live minutes to hours (more than 24 "
        "hours is long).", RULES["claims.long-lifetime"].fix, RULES["claims.long-lifetime"].reference),
    ("claims.no-aud", "access"): _R(
        "claims.no-aud", "medium", RULES["claims.no-aud"].title, RULES["claims.no-aud"].risk,
        RULES["claims.no-aud"].fix, "RFC 8725 2.7, 3.9; RFC 9068 2.2"),
    ("claims.no-iss", "access"): _R(
        "claims.no-iss", "medium", RULES["claims.no-iss"].title, RULES["claims.no-iss"].risk,
        RULES["claims.no-iss"].fix, "RFC 8725 3.8; RFC 9068 2.2"),
    ("typ.nested-jwt", "jwe"): _R(
        "typ.nested-jwt", "info", RULES["typ.nested-jwt"].title, RULES["typ.nested-jwt"].risk,
        RULES["typ.nested-jwt"].fix, RULES["typ.nested-jwt"].reference),
    ("sdjwt.sd-alg", "truncated"): _R(
        "sdjwt.sd-alg", "high", "Truncated disclosure hash {name}",
        "{name} keeps only {bits} bits, which is far too few: disclosures with the same digest can be forged and "
        "hidden claims guessed.",
        "Issue the SD-JWT with _sd_alg sha-256 (or sha-384/sha-512).", "RFC 9901 9.4"),
    ("jwe.pbes2-weak-password", "listed"): _R(
        "jwe.pbes2-weak-password", "critical", "PBES2 password from a public list of weak passwords",
        "The token's password is in public lists of common and example passwords: anyone holding the token finds it "
        "offline, then reads and makes such tokens at will.", RULES["jwe.pbes2-weak-password"].fix,
        RULES["jwe.pbes2-weak-password"].reference),
    ("jwe.dir-key", "text"): _R(
        "jwe.dir-key", "high", "Direct encryption key typed as text ({estimate})",
        "With 'dir' the key is the content encryption key itself, and {enc} expects {need} random bits: a key of "
        "readable characters has far fewer, and anyone holding the token can search for it offline.",
        RULES["jwe.dir-key"].fix, RULES["jwe.dir-key"].reference),
    ("payload.sensitive", "identity"): _R(
        "payload.sensitive", "info", "{title}", RULES["payload.sensitive"].risk,
        "Expected in an ID token: send it only to the client it is for, and keep personal data out of access "
        "tokens.", RULES["payload.sensitive"].reference),
}
RULE_IDS = tuple(RULES)


def finding(rule_id: str, where: str | None = None, variant: str | None = None, severity: Severity | None = None,
            **values: object) -> Finding:
    """The finding of a rule, its templates filled with ``values``; ``variant`` picks a row of VARIANTS."""
    rule = VARIANTS[(rule_id, variant)] if variant else RULES[rule_id]
    return Finding(
        rule=rule.id,
        severity=severity or rule.severity,
        title=rule.title.format(**values),
        risk=rule.risk.format(**values),
        fix=rule.fix.format(**values),
        reference=rule.reference,
        where=where,
    )
