"""The pages mailed links open, until the web client serves its own: choose a new password
(/reset-password/<token>) and confirm an address (/verify-email/<token>); sign-up links
(/register) open the web client.

Plain HTML with a few lines of script and no framework; the script is pinned by its hash in
the Content-Security-Policy, and the token in the path never leaves in a Referer header."""

import base64
import hashlib
import html

from fastapi import APIRouter
from starlette.responses import HTMLResponse

from chinwag.actions.email_verification import verify_email
from chinwag.domain.errors import ChinwagError
from chinwag.http.auth import DepsDep

router = APIRouter(include_in_schema=False)

# Every string these pages show, together so they can be translated.
TEXT = {
    "reset.title": "Choose a new password",
    "reset.password": "New password",
    "reset.confirm": "New password, again",
    "reset.submit": "Change password",
    "reset.mismatch": "The two passwords differ.",
    "reset.done": "Your password is changed and you are signed in. Earlier sessions have ended.",
    "verify.title": "Email address verification",
    "verify.done": "Thank you: your email address {email} is verified. You can sign in now.",
    "verify.failed": "This link has expired or was already used. Ask for a new one.",
    "failed": "That did not work: ",
}

STYLE = (
    "body{font-family:sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem}"
    "label{display:block;margin:.8rem 0 .2rem}input{width:100%;padding:.4rem;box-sizing:border-box}"
    "button{margin-top:1rem;padding:.5rem 1rem}#status{margin-top:1rem}"
)

# Posts the form to a REST endpoint or a DDP method (through method.callAnon) and shows the
# answer. A password goes as its SHA-256 digest where the browser can make one, as
# Rocket.Chat's client sends it. After a reset the login is kept where a Meteor client looks.
SCRIPT = """
const form = document.getElementById('form');
const status = document.getElementById('status');
const say = (text) => { status.textContent = text; };
const hex = async (text) => {
  if (!(window.crypto && crypto.subtle)) return null;
  const bytes = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
};
const post = async (path, body) => {
  const r = await fetch(path, {method: 'POST', headers: {'content-type': 'application/json'},
    body: JSON.stringify(body), credentials: 'omit'});
  return r.json();
};
const reset = async () => {
  const pw = form.elements.password.value;
  if (pw !== form.elements.confirm.value) return say(form.dataset.mismatch);
  const token = decodeURIComponent(location.pathname.split('/').pop());
  const digest = await hex(pw);
  const password = digest ? {digest: digest, algorithm: 'sha-256'} : pw;
  const message = {msg: 'method', id: '1', method: 'resetPassword', params: [token, password]};
  const answer = await post(form.dataset.endpoint, {message: JSON.stringify(message)});
  const result = answer.message ? JSON.parse(answer.message) : null;
  if (!result || result.error) {
    return say(form.dataset.failed + ((result && result.error && result.error.reason) ||
      answer.error || ''));
  }
  const login = result.result;
  localStorage.setItem('Meteor.userId', login.id);
  localStorage.setItem('Meteor.loginToken', login.token);
  if (login.tokenExpires) {
    localStorage.setItem('Meteor.loginTokenExpires', new Date(login.tokenExpires.$date));
  }
  form.hidden = true;
  say(form.dataset.done);
};
form.addEventListener('submit', (event) => {
  event.preventDefault();
  reset().catch((e) => say(String(e)));
});
"""
SCRIPT_HASH = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
HEADERS = {
    "Content-Security-Policy": (
        f"default-src 'none'; script-src 'sha256-{SCRIPT_HASH}'; style-src 'unsafe-inline'; "
        "connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _page(title: str, body: str, status: int = 200, script: bool = False) -> HTMLResponse:
    tail = f"<script>{SCRIPT}</script>" if script else ""
    document = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{STYLE}</style></head>"
        f'<body><h1>{_e(title)}</h1>{body}<p id="status" role="status"></p>{tail}'
        "</body></html>\n"
    )
    return HTMLResponse(document, status_code=status, headers=HEADERS)


def _field(name: str, label: str, kind: str, autocomplete: str) -> str:
    return (
        f'<label for="{name}">{_e(label)}</label>'
        f'<input id="{name}" name="{name}" type="{kind}" required autocomplete="{autocomplete}">'
    )


def _form(action: str, endpoint: str, fields: str, submit: str, done: str, extra: str = "") -> str:
    data = (
        f'data-action="{action}" data-endpoint="{_e(endpoint)}" data-done="{_e(done)}" '
        f'data-failed="{_e(TEXT["failed"])}" data-mismatch="{_e(TEXT["reset.mismatch"])}" {extra}'
    )
    return f'<form id="form" {data}>{fields}<button type="submit">{_e(submit)}</button></form>'


@router.get("/reset-password/{token}")
async def reset_password_page(token: str) -> HTMLResponse:
    fields = _field("password", TEXT["reset.password"], "password", "new-password") + _field(
        "confirm", TEXT["reset.confirm"], "password", "new-password"
    )
    form = _form(
        "reset",
        "../api/v1/method.callAnon/resetPassword",
        fields,
        TEXT["reset.submit"],
        TEXT["reset.done"],
    )
    return _page(TEXT["reset.title"], form, script=True)


@router.get("/verify-email/{token}")
async def verify_email_page(token: str, deps: DepsDep) -> HTMLResponse:
    try:
        user = await verify_email(deps, token)
    except ChinwagError:
        return _page(TEXT["verify.title"], f"<p>{_e(TEXT['verify.failed'])}</p>", status=400)
    done = TEXT["verify.done"].format(email=user.email or "")
    return _page(TEXT["verify.title"], f"<p>{_e(done)}</p>")
