"""Generate py/jwtlens/data/weak-secrets.txt, the offline list of weak and well-known HMAC secrets.

Run once with the project venv (zxcvbn is a test-only dependency there); the output file is committed:

    .venv/bin/python tools/make_weak_secrets.py

The list has two parts, in this order (the search stops at the first hit, so likely secrets come first):

1. Well-known secrets written down here by hand: the example secrets of JWT tutorials, library READMEs and framework
   documentation, placeholder values that end up in production, and their obvious case and suffix variants.
2. The most common passwords of the "passwords" frequency list shipped inside the zxcvbn 4.5.0 package on PyPI
   (zxcvbn/frequency_lists.py; the list comes from Dropbox's zxcvbn). The Python package is MIT licensed
   (Copyright (c) 2016 Daniel Wolf, see zxcvbn-4.5.0.dist-info/LICENSE.txt), and so is Dropbox's original
   (Copyright (c) 2012-2016 Dan Wheeler and Dropbox, Inc.); MIT allows redistribution with the notice, which the
   header of the data file carries.

Format of the data file: UTF-8, one secret per line, no surrounding whitespace; lines starting with '#' are the header
(no secret in the list starts with '#'). The empty secret is not in the file: weak.py always tries it first.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "py" / "jwtlens" / "data" / "weak-secrets.txt"

# How many of zxcvbn's most common passwords to take: the issue asks for >= 10,000 entries in all, and every entry
# costs bundle size and search time in the page.
PASSWORDS = 10_000
# Passwords that also get a capitalised variant ("Password", "Qwerty123"): people capitalise the first letter.
CAPITALISED_PASSWORDS = 500

# Example and default secrets seen in JWT documentation, tutorials and framework configs, and placeholders.
WELL_KNOWN = """
your-256-bit-secret
your-384-bit-secret
your-512-bit-secret
a-string-secret-at-least-256-bits-long
secret
secretkey
secret-key
secret_key
secret key
SECRET_KEY
secretOrKey
secretOrPrivateKey
mysecret
my-secret
my_secret
mysecretkey
my-secret-key
my_secret_key
my secret key
my-secret-value
mysecretpassword
my-secret-password
your-secret-key
your_secret_key
yoursecretkey
your-secret
your_secret
yoursecret
your-secret-here
your_secret_here
your-secret-key-here
your_secret_key_here
your-jwt-secret
your_jwt_secret
yourjwtsecret
your-jwt-secret-key
your_jwt_secret_key
YOUR_JWT_SECRET
YOUR_SECRET_KEY
your-super-secret-key
your_super_secret_key
supersecret
super-secret
super_secret
super secret
supersecretkey
super-secret-key
super_secret_key
supersecretpassword
super-secret-password
mysupersecret
my-super-secret
my_super_secret
mysupersecretkey
my-super-secret-key
my_super_secret_key
MySuperSecretKey
mysupersecretpassword
super-secret-jwt-token-with-at-least-32-characters-long
shhhhh
shhhh
shhh
shhhhhh
shhhhhhared-secret
keyboard cat
changeme
change-me
change_me
change me
changeit
change-it
changethis
change-this
change_this
change-this-secret
change_this_secret
changeme123
CHANGE_ME
CHANGEME
CHANGE_THIS
replaceme
replace-me
replace_me
replace-this
replace-with-random-value
replace_with_your_secret
put-your-secret-here
insert-secret-here
enter-your-secret
<your-secret>
<secret>
TODO
todo
fixme
xxx
xxxx
xxxxxx
xxxxxxxx
jwt
JWT
jwtsecret
jwt-secret
jwt_secret
jwtSecret
JwtSecret
JWT_SECRET
JWTSecret
jwtsecretkey
jwt-secret-key
jwt_secret_key
jwtSecretKey
JWT_SECRET_KEY
jwt-key
jwt_key
jwtkey
JWT_KEY
jwt-token
jwt-signing-key
jwt_signing_key
jwt secret
jwtpassword
jwt-password
secret123
Secret123
secret1234
secret12345
secret!
s3cr3t
s3cret
secr3t
S3cr3t
s3cr3tk3y
topsecret
top-secret
top_secret
TopSecret
TOP_SECRET
notasecret
not-a-secret
not_a_secret
notsosecret
not-so-secret
secretpassword
secret-password
secret_password
secrets
thesecret
the-secret
verysecret
very-secret
verysecretkey
very-secret-key
veryVerySecretKey
ThisIsMySecret
thisismysecret
this-is-my-secret
this_is_my_secret
thisisasecret
this-is-a-secret
this_is_a_secret
ThisIsASecret
ThisIsMySecretKey
thisismysecretkey
this-is-my-secret-key
this is my secret key
this is my custom Secret key for authentication
mysupersecret_secretkey!123
superSecretKey@345
my-32-character-ultra-secure-and-ultra-long-secret
my-secret-key-which-should-be-changed-in-production-and-be-base64-encoded
DO NOT USE THIS VALUE. INSTEAD, CREATE A COMPLEX SECRET AND KEEP IT SAFE OUTSIDE OF THE SOURCE CODE.
reallyreallyreallyreallyverysafe
09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7
cc7e0d44fd473002f1c42167459001140ec6389b7353f8088f4d9a95f2f596f2
e71829c351aa4242c2719cbfbe671c09
tobemodified
toBeModified
SomeRandomString
somerandomstring
some-random-string
random
randomsecret
random-secret
random_secret
you-will-never-guess
hard to guess string
hard-to-guess-string
development key
development
dev
dev-secret
dev_secret
devsecret
dev-key
development-secret
local
local-secret
localsecret
test
testing
test-secret
test_secret
testsecret
testkey
test-key
test_key
TestSecret
tests
test123
default
default-secret
default_secret
defaultsecret
default-key
example
example_key
example-key
examplekey
example-secret
example_secret
sample
sample-secret
samplesecret
demo
demo-secret
demosecret
javainuse
bezkoderSecretKey
bezKoderSecretKey
my$ecretK3y
key
Key
KEY
key123
mykey
my-key
my_key
yourkey
your-key
your_key
privatekey
private-key
private_key
private
public
publickey
public-key
hmac
hmac-secret
hmac_secret
hmacsecret
hmac-key
hmackey
hs256
HS256
hs256-secret
hs512
HS512
token
token-secret
token_secret
tokensecret
TOKEN_SECRET
secret-token
secretToken
access-secret
access_secret
access-token-secret
access_token_secret
ACCESS_TOKEN_SECRET
accesstokensecret
refresh-secret
refresh_secret
refresh-token-secret
refresh_token_secret
REFRESH_TOKEN_SECRET
refreshtokensecret
auth
auth-secret
auth_secret
authsecret
AUTH_SECRET
auth-key
authkey
app-secret
app_secret
appsecret
APP_SECRET
app-key
appkey
APP_KEY
api-secret
api_secret
apisecret
API_SECRET
api-key
apikey
api_key
API_KEY
session-secret
session_secret
sessionsecret
SESSION_SECRET
cookie-secret
cookie_secret
cookiesecret
signing-key
signing_key
signingkey
signing-secret
sign-key
signkey
encryption-key
encryptionkey
server-secret
serversecret
client-secret
client_secret
clientsecret
nextauth-secret
NEXTAUTH_SECRET
process.env.JWT_SECRET
process.env.SECRET
process.env.SECRET_KEY
process.env.TOKEN_SECRET
process.env.ACCESS_TOKEN_SECRET
${JWT_SECRET}
${SECRET}
${SECRET_KEY}
%JWT_SECRET%
{{JWT_SECRET}}
undefined
null
None
nil
NULL
false
true
0
1
[object Object]
password
Password
PASSWORD
password1
Password1
password123
Password123
P@ssw0rd
p@ssw0rd
P@ssword
passw0rd
Passw0rd
pass
pass123
admin
Admin
admin123
administrator
root
toor
guest
user
letmein
welcome
hello
hello-world
helloworld
HelloWorld
hello world
foo
bar
baz
foobar
foo-bar
abc
abc123
abcd1234
abcdef
abcdefgh
abcdefghijklmnop
abcdefghijklmnopqrstuvwxyz
abcdefghijklmnopqrstuvwxyz123456
ABCDEFGHIJKLMNOPQRSTUVWXYZ
0123456789
1234567890
12345678901234567890123456789012
123456
12345678
qwerty
qwertyuiop
qwertyuiopasdfghjklzxcvbnm
asdf
asdfghjkl
zxcvbnm
aaaaaaaa
aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
00000000000000000000000000000000
11111111111111111111111111111111
iloveyou
monkey
dragon
sunshine
trustno1
opensesame
open-sesame
supersecure
super-secure
securekey
secure-key
secure_key
secure
insecure
unsafe
pleasechangeme
please-change-me
please_change_me
changeme-in-production
change-in-production
change-me-in-production
gibberish
anything
whatever
something
nothing
mypassword
my-password
my_password
mypass
qwe123
qwerty123
1q2w3e4r
1qaz2wsx
zaq12wsx
spring
springboot
spring-boot
java
python
django
flask
laravel
rails
node
nodejs
express
nestjs
golang
rust
dotnet
aspnet
symfony
keycloak
firebase
supabase
hasura
strapi
parse
auth0
okta
cognito
"""

# Variants of each well-known secret: people capitalise, upper-case, and append digits or '!'.
SUFFIXES = ("1", "123", "!")


def well_known() -> list[str]:
    base = [line.strip() for line in WELL_KNOWN.splitlines() if line.strip()]
    out = list(base)
    for s in base:
        if len(s) > 24 or " " in s:
            continue
        out += [s.lower(), s.upper(), s[:1].upper() + s[1:]]
        out += [s + suffix for suffix in SUFFIXES]
    return out


def common_passwords() -> list[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # test-only dependency, used at generation time only

    words = FREQUENCY_LISTS["passwords"][:PASSWORDS]
    return words + [w[:1].upper() + w[1:] for w in words[:CAPITALISED_PASSWORDS]]


def build() -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for s in well_known() + common_passwords():
        if not s or s != s.strip() or "\n" in s or "\r" in s or s.startswith("#") or s in seen:
            continue
        seen.add(s)
        out.append(s)
    return out


HEADER_INTRO = """\
Weak and well-known HMAC secrets for JWT Lens: one per line, UTF-8. Generated by tools/make_weak_secrets.py; do not
edit by hand. Part 1: example and default secrets of JWT tutorials, libraries and frameworks, written for JWT Lens.
Part 2: the most common passwords of the "passwords" frequency list in zxcvbn 4.5.0 (zxcvbn/frequency_lists.py),
from Dropbox's zxcvbn (Copyright (c) 2012-2016 Dan Wheeler and Dropbox, Inc.), redistributed under the MIT License
of the Python package, reproduced here:
"""


def header() -> str:
    """The data file's header: our note plus zxcvbn's license text, as installed, each line prefixed with '# '."""
    from importlib.metadata import distribution

    license_text = distribution("zxcvbn").read_text("LICENSE.txt") or ""
    if "MIT License" not in license_text:
        raise SystemExit("zxcvbn's LICENSE.txt is not the MIT License any more: check before redistributing")
    lines = HEADER_INTRO.splitlines() + [""] + license_text.strip().splitlines()
    return "".join(("# " + line).rstrip() + "\n" for line in lines)


def main() -> int:
    secrets = build()
    text = header() + "\n".join(secrets) + "\n"
    data = text.encode("utf-8")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(data)
    print(f"{OUT.relative_to(ROOT)}: {len(secrets)} secrets, {len(data)} bytes, "
          f"{len(gzip.compress(data, 9))} bytes gzipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
