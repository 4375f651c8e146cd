"""One-line descriptions of header parameters and claims, with the specification that defines each.

To add a description: put ``"name": ("What it means, in one line.", "Spec")`` into the table of the family it comes
from. Header parameters and payload claims are separate tables because a few names mean different things in each
(``typ``, ``nonce``). Payload lookups go through the general tables first and Microsoft Entra ID last, except for
tokens issued by Entra ID, where its own meaning of a shared name wins.
"""

from __future__ import annotations

from collections.abc import Callable

from .segments import media_type

Entry = tuple[str, str]

RFC7515 = "RFC 7515 (JWS)"
RFC7516 = "RFC 7516 (JWE)"
RFC7518 = "RFC 7518 (JWA)"
RFC7519 = "RFC 7519 (JWT)"
OIDC = "OpenID Connect Core 1.0"
RFC9068 = "RFC 9068 (JWT access tokens)"
RFC8693 = "RFC 8693 (token exchange)"
RFC7800 = "RFC 7800 (proof of possession)"
ENTRA = "Microsoft Entra ID"

HEADER_PARAMS: dict[str, Entry] = {
    "alg": ("Algorithm that signs (JWS) or encrypts the content key (JWE), e.g. RS256, HS256, ES256.", RFC7515),
    "typ": ("Media type of the whole token, e.g. JWT, or at+jwt for an access token (RFC 9068).", RFC7515),
    "cty": ("Media type of the payload; \"JWT\" means the payload is itself a nested token.", RFC7515),
    "kid": ("Key ID: a hint naming which of the issuer's keys to verify (or decrypt) with.", RFC7515),
    "jku": ("URL of a JWK Set holding the key. Never followed by this page.", RFC7515),
    "jwk": ("The public key itself, embedded as a JWK. Trusting it blindly lets anyone sign.", RFC7515),
    "x5u": ("URL of an X.509 certificate chain for the key. Never followed by this page.", RFC7515),
    "x5c": ("X.509 certificate chain for the key, base64 DER, the signer's certificate first.", RFC7515),
    "x5t": ("SHA-1 thumbprint of the signer's X.509 certificate (base64url).", RFC7515),
    "x5t#S256": ("SHA-256 thumbprint of the signer's X.509 certificate (base64url).", RFC7515),
    "crit": ("Header parameters that a recipient must understand, or else reject the token.", RFC7515),
    "enc": ("Content encryption algorithm of a JWE, e.g. A256GCM or A128CBC-HS256.", RFC7516),
    "zip": ("Compression applied to the plaintext before encryption (\"DEF\" = DEFLATE).", RFC7516),
    "epk": ("Ephemeral public key of the sender for ECDH-ES key agreement.", RFC7518),
    "apu": ("Agreement PartyUInfo: producer information mixed into ECDH-ES key derivation.", RFC7518),
    "apv": ("Agreement PartyVInfo: recipient information mixed into ECDH-ES key derivation.", RFC7518),
    "iv": ("Initialization vector used to wrap the content key with AES-GCM key wrapping.", RFC7518),
    "tag": ("Authentication tag from wrapping the content key with AES-GCM key wrapping.", RFC7518),
    "p2s": ("Salt input for PBES2 password-based key wrapping.", RFC7518),
    "p2c": ("Iteration count for PBES2 password-based key wrapping.", RFC7518),
    "b64": ("false means the payload is used as is, without base64url encoding.", "RFC 7797 (unencoded payload)"),
    "ppt": ("PASSporT extension type (telephone caller identity tokens).", "RFC 8225 (PASSporT)"),
    "url": ("The URL this request is sent to (ACME requests).", "RFC 8555 (ACME)"),
    "nonce": ("Anti-replay value from the server (ACME); opaque in Microsoft Graph tokens.", "RFC 8555 (ACME)"),
    "svt": ("Signature Validation Token: a token vouching for a signature made earlier.", "RFC 9321"),
}

JWT_CLAIMS: dict[str, Entry] = {
    "iss": ("Issuer: who created and signed the token, usually a URL.", RFC7519),
    "sub": ("Subject: whom the token is about, usually a user or client ID, unique per issuer.", RFC7519),
    "aud": ("Audience: who the token is meant for; a recipient not listed must reject it.", RFC7519),
    "exp": ("Expiration time: the token must not be accepted on or after this moment.", RFC7519),
    "nbf": ("Not before: the token must not be accepted before this moment.", RFC7519),
    "iat": ("Issued at: when the token was created.", RFC7519),
    "jti": ("JWT ID: a unique identifier of this token, used to detect replays.", RFC7519),
}

OIDC_CLAIMS: dict[str, Entry] = {
    # standard claims (section 5.1)
    "name": ("Full name of the user, for display.", OIDC),
    "given_name": ("Given (first) name of the user.", OIDC),
    "family_name": ("Family name (surname, last name) of the user.", OIDC),
    "middle_name": ("Middle name of the user.", OIDC),
    "nickname": ("Casual name of the user.", OIDC),
    "preferred_username": ("Short name the user wants to be called by; not unique, not stable.", OIDC),
    "profile": ("URL of the user's profile page.", OIDC),
    "picture": ("URL of the user's profile picture.", OIDC),
    "website": ("URL of the user's web page or blog.", OIDC),
    "email": ("Preferred e-mail address of the user; not necessarily unique.", OIDC),
    "email_verified": ("true if the provider verified that the user controls the e-mail address.", OIDC),
    "gender": ("Gender of the user, as the user stated it.", OIDC),
    "birthdate": ("Birthday as YYYY-MM-DD (or YYYY, or 0000-MM-DD).", OIDC),
    "zoneinfo": ("Time zone of the user, as an IANA name such as Europe/Paris.", OIDC),
    "locale": ("Language and region of the user, e.g. en-US or fr-CA.", OIDC),
    "phone_number": ("Preferred telephone number, ideally in E.164 form (+1 555 0100).", OIDC),
    "phone_number_verified": ("true if the provider verified that the user controls the phone number.", OIDC),
    "address": ("Postal address of the user, as a JSON object.", OIDC),
    "updated_at": ("When the user's profile information last changed.", OIDC),
    # ID token claims (section 2)
    "auth_time": ("When the user actually authenticated (entered credentials), as opposed to token issue.", OIDC),
    "nonce": ("Value from the login request, echoed to bind the ID token to that request (anti-replay).", OIDC),
    "acr": ("Authentication context class: how strong the login was, per the provider's levels.", OIDC),
    "amr": ("Authentication methods used at login, e.g. [\"pwd\", \"mfa\"] (values in RFC 8176).", OIDC),
    "azp": ("Authorized party: the client the ID token was issued to.", OIDC),
    "at_hash": ("Hash of the access token issued alongside, to bind the two together.", OIDC),
    "c_hash": ("Hash of the authorization code issued alongside, to bind the two together.", OIDC),
    "sid": ("Session ID at the provider, used for front- and back-channel logout.", "OpenID Connect logout"),
    "_claim_names": ("Names of claims whose values are held elsewhere (aggregated or distributed claims).", OIDC),
    "_claim_sources": ("Where aggregated or distributed claim values can be fetched from.", OIDC),
}

RFC9068_CLAIMS: dict[str, Entry] = {
    "client_id": ("The OAuth client that requested the token.", RFC9068),
    "scope": ("Space-separated list of scopes (permissions) granted.", RFC9068),
    "groups": ("Groups the subject belongs to.", RFC9068),
    "roles": ("Roles the subject holds.", RFC9068),
    "entitlements": ("Entitlements (individual rights) the subject holds.", RFC9068),
}

RFC8693_CLAIMS: dict[str, Entry] = {
    "act": ("Actor: who is acting on behalf of the subject (delegation); may nest prior actors.", RFC8693),
    "may_act": ("Who is allowed to act on behalf of the subject.", RFC8693),
}

RFC7800_CLAIMS: dict[str, Entry] = {
    "cnf": ("Confirmation: the key the presenter must prove to hold (proof of possession).", RFC7800),
}

OTHER_CLAIMS: dict[str, Entry] = {
    "htm": ("HTTP method of the request this DPoP proof is for.", "RFC 9449 (DPoP)"),
    "htu": ("HTTP URL of the request this DPoP proof is for.", "RFC 9449 (DPoP)"),
    "ath": ("Hash of the access token sent with this DPoP proof.", "RFC 9449 (DPoP)"),
    "events": ("Security events this token reports (Security Event Token), keyed by event type.", "RFC 8417 (SET)"),
    "toe": ("Time of the event the Security Event Token reports.", "RFC 8417 (SET)"),
    "txn": ("Transaction identifier linking related security events.", "RFC 8417 (SET)"),
    "authorization_details": ("Fine-grained authorization data (rich authorization requests).", "RFC 9396"),
}

# Microsoft Entra ID (formerly Azure AD) access and ID token claims, as documented by Microsoft.
ENTRA_CLAIMS: dict[str, Entry] = {
    "aud": ("Audience: the application ID URI or client ID of the API (or app) the token is for.", ENTRA),
    "iss": ("Issuer: the security token service and the tenant that signed the token.", ENTRA),
    "idp": ("Identity provider that authenticated the user, when not the token's own tenant.", ENTRA),
    "oid": ("Object ID: the immutable ID of the user or service principal across the tenant.", ENTRA),
    "tid": ("Tenant ID: the directory (organization) the user signed in to.", ENTRA),
    "upn": ("User principal name: the user's sign-in name; may change, do not use as a key.", ENTRA),
    "unique_name": ("Human-readable name of the user (v1.0 tokens); not stable, do not use as a key.", ENTRA),
    "name": ("Display name of the user; may change, do not use for authorization.", ENTRA),
    "preferred_username": ("Primary username (often an e-mail address or phone number); may change.", ENTRA),
    "scp": ("Delegated permissions (scopes) the user consented to, space-separated.", ENTRA),
    "roles": ("Application roles granted to the user or the calling app.", ENTRA),
    "wids": ("Tenant-wide directory roles of the user, as role template IDs.", ENTRA),
    "groups": ("Object IDs of groups the user belongs to (when configured).", ENTRA),
    "hasgroups": ("true when the user is in too many groups to list in the token; query Graph instead.", ENTRA),
    "ver": ("Version of the token format: \"1.0\" or \"2.0\".", ENTRA),
    "azp": ("Application (client) ID of the app that requested the token (v2.0 tokens).", ENTRA),
    "azpacr": ("How the client authenticated (v2.0): 0 public client, 1 secret, 2 certificate.", ENTRA),
    "appid": ("Application (client) ID of the app that requested the token (v1.0 tokens).", ENTRA),
    "appidacr": ("How the client authenticated (v1.0): 0 public client, 1 secret, 2 certificate.", ENTRA),
    "idtyp": ("Whether the token was issued to an app alone (\"app\") or for a user (\"user\").", ENTRA),
    "ipaddr": ("IP address the user signed in from.", ENTRA),
    "uti": ("Token identifier used internally by Microsoft; opaque.", ENTRA),
    "rh": ("Opaque internal claim used to revalidate tokens; ignore it.", ENTRA),
    "aio": ("Opaque internal claim used for token reuse; ignore it.", ENTRA),
    "acct": ("Account status of the user in the tenant: 0 member, 1 guest.", ENTRA),
    "acrs": ("Authentication context IDs the bearer satisfied (step-up authentication).", ENTRA),
    "amr": ("Authentication methods used to sign in, e.g. pwd, mfa, rsa.", ENTRA),
    "sid": ("Session ID of the user's sign-in session.", ENTRA),
    "login_hint": ("Opaque login hint for single sign-on and sign-out; not an identifier.", ENTRA),
    "onprem_sid": ("Security identifier of the user in on-premises Active Directory.", ENTRA),
    "pwd_exp": ("Seconds after the issue time until the user's password expires.", ENTRA),
    "pwd_url": ("URL where the user can reset or change the password.", ENTRA),
    "in_corp": ("Present when the client signed in from the corporate network.", ENTRA),
    "ctry": ("User's country or region (two letters).", ENTRA),
    "tenant_ctry": ("Country or region of the tenant (two letters).", ENTRA),
    "tenant_region_scope": ("Region of the tenant, e.g. NA or EU.", ENTRA),
    "verified_primary_email": ("The user's primary e-mail address from the directory, verified.", ENTRA),
    "verified_secondary_email": ("The user's secondary e-mail addresses from the directory, verified.", ENTRA),
    "fwd": ("IP address of the original client when the request was forwarded.", ENTRA),
    "enfpolids": ("IDs of policies enforced on the user.", ENTRA),
    "upn_prefix": ("User principal name without the domain.", ENTRA),
    "xms_cc": ("Client capabilities the app declared, e.g. cp1 for continuous access evaluation.", ENTRA),
    "xms_edov": ("true when the e-mail domain owner is verified.", ENTRA),
    "xms_pdl": ("Preferred data location of the user (multi-geo tenants).", ENTRA),
    "xms_pl": ("Preferred language of the user.", ENTRA),
    "xms_tpl": ("Preferred language of the tenant.", ENTRA),
    "xms_tdbr": ("Data boundary region of the tenant, e.g. EU.", ENTRA),
    "xms_mirid": ("Resource ID of the managed identity the token was issued for.", ENTRA),
    "xms_az_rid": ("Resource ID of the Azure resource the token was issued for.", ENTRA),
}
ENTRA_PREFIX: Entry = ("Microsoft Entra ID extension claim (xms_ prefix); mostly internal.", ENTRA)

# The general payload table, earlier families winning a shared name.
CLAIMS: dict[str, Entry] = {}
for _table in (OTHER_CLAIMS, RFC7800_CLAIMS, RFC8693_CLAIMS, RFC9068_CLAIMS, OIDC_CLAIMS, JWT_CLAIMS):
    CLAIMS.update(_table)

# NumericDate claims: seconds since 1970-01-01T00:00:00Z
TIME_CLAIMS = ("exp", "nbf", "iat", "auth_time", "updated_at", "toe")


def header_param(name: str) -> Entry | None:
    return HEADER_PARAMS.get(name)


def claim(name: str, *, entra: bool = False) -> Entry | None:
    """Description of a payload claim; entra=True prefers Microsoft Entra ID meanings of shared names."""
    return claim_lookup(entra)(name)


def claim_lookup(entra: bool = False) -> Callable[[str], Entry | None]:
    """``claim`` for one payload, as a function made once (a payload may have 100,000 claims)."""
    table = _BY_NAME_ENTRA if entra else _BY_NAME

    def lookup(name: str) -> Entry | None:
        entry = table.get(name)
        if entry is None and name[:4] == "xms_":
            return ENTRA_PREFIX
        return entry

    return lookup


def is_entra_issuer(iss: object) -> bool:
    return isinstance(iss, str) and any(
        host in iss for host in ("login.microsoftonline.", "sts.windows.net", "login.microsoftonline.us",
                                 "login.chinacloudapi.cn", "ciamlogin.com")
    )


# -- SD-JWT (RFC 9901), SD-JWT VC and the typ values of holder-signed JWTs -------------------------------------------

RFC9901 = "RFC 9901 (SD-JWT)"
SD_JWT_VC = "SD-JWT VC (draft-ietf-oauth-sd-jwt-vc)"
RFC9449 = "RFC 9449 (DPoP)"

SD_JWT_CLAIMS: dict[str, Entry] = {
    "_sd": ("Digests of this object's selectively disclosable claims; a disclosure reveals each one.", RFC9901),
    "_sd_alg": ("Hash algorithm of the disclosure digests, e.g. sha-256 (the default when absent).", RFC9901),
    "sd_hash": ("Hash of the SD-JWT that this Key Binding JWT signs: issuer-signed JWT and disclosures.", RFC9901),
    "vct": ("Verifiable credential type: identifies the credential's type, the claims and rules it follows.",
            SD_JWT_VC),
    "vct#integrity": ("Integrity hash (W3C SRI syntax) of the type metadata document that vct refers to.",
                      SD_JWT_VC),
    "aka_vcts": ("Further credential types this credential also belongs to.", SD_JWT_VC),
    "status": ("Where to check whether the credential is revoked or suspended (e.g. a status list entry).",
               SD_JWT_VC),
}
CLAIMS.update(SD_JWT_CLAIMS)
# One lookup a claim (a payload may have 100,000): the general table winning shared names, or Entra ID's
_BY_NAME: dict[str, Entry] = {**ENTRA_CLAIMS, **CLAIMS}
_BY_NAME_ENTRA: dict[str, Entry] = {**CLAIMS, **ENTRA_CLAIMS}

# header "typ" values, compared as media types: case-insensitive, "application/" optional (RFC 7515 4.1.9)
TYP_VALUES: dict[str, Entry] = {
    "dc+sd-jwt": ("SD-JWT VC: a digital credential as an SD-JWT with selectively disclosable claims.", SD_JWT_VC),
    "vc+sd-jwt": ("SD-JWT VC under its former type name, replaced by dc+sd-jwt in November 2024.", SD_JWT_VC),
    "example+sd-jwt": ("The SD-JWT type used in RFC 9901's examples.", RFC9901),
    "kb+jwt": ("Key Binding JWT: the holder's signature binding an SD-JWT presentation to a verifier and nonce.",
               RFC9901),
    "dpop+jwt": ("DPoP proof: the client's proof of holding its key, made for one HTTP request.", RFC9449),
}


def typ_value(value: object) -> Entry | None:
    """The meaning of a header typ value, when it is one of the TYP_VALUES media types."""
    plain = media_type(value)
    return TYP_VALUES.get(plain) if plain is not None else None
