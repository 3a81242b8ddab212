"""SEC114-SEC118 and the widened SEC104/SEC106/SEC112/SEC122: (cell source, expected ids) tables.

Every credential is assembled at runtime from pieces, so no file holds one whole.
"""

from __future__ import annotations

import base64
import json

import pytest

from pytest_nbgate.findings import Finding
from pytest_nbgate.registry import Selector
from pytest_nbgate.ruleset import RuleSet
from tests import factory

MIXED = "Qm7RtZ2" + "kLp9XvB4nW" + "8sDf3GhJ6" + "yTc1VbN5"
HEX32 = "9f86d081" + "884c7d65" + "9a2feaa0" + "c55ad015"
HEX40 = HEX32 + "a3bf4f1b"


def _jwt(alg: str, signature: str) -> str:
    def part(data: dict[str, str]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    header, claims = part({"alg": alg, "typ": "JWT"}), part({"sub": "ada", "iat": "1700000000"})
    return f"{header}.{claims}.{signature}"


SERVICE_ACCOUNT = json.dumps(
    {"type": "service_" + "account", "project_id": "demo-7", "private_key_id": HEX40}
)
DETECTED = [
    ("hf_" + "AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGh"[::-1], "SEC114"),
    ("tok = 'api_org_" + MIXED + "Ab'", "SEC114"),
    ("host_token = 'dapi" + HEX32 + "'", "SEC115"),
    ("client = Groq(api_key='gsk_" + MIXED[:26] * 2 + "')", "SEC116"),
    ("os.environ['REPLICATE'] = 'r8_" + MIXED + "Qm7'", "SEC116"),
    ("wandb.login(key='" + HEX40 + "')", "SEC116"),
    ('{"username": "ada", "key": "' + HEX32 + '"}', "SEC116"),
    ("cred = ClientSecretCredential(t, c, 'Ab3" + "8Q~" + MIXED[:31] + "')", "SEC117"),
    (f"info = {SERVICE_ACCOUNT}", "SEC118"),
    ("t = 'glcbt-" + MIXED[:26] + "'", "SEC104"),
    ("url = 'hooks.slack.com/services/T0" + MIXED + "/B0" + MIXED + "'", "SEC106"),
    ("t = '" + _jwt("none", "") + "'", "SEC112"),
    ("t = '" + base64.b64encode(_jwt("HS256", MIXED).encode()).decode() + "'", "SEC112"),
    ('var adafruitToken string = "' + MIXED + '"', "SEC122"),
    ("<jiraToken>\n    " + MIXED + "\n</jiraToken>", "SEC122"),
    ('System.setProperty("ETSY_TOKEN", "' + MIXED + '")', "SEC122"),
]
CLEAN = [
    "hf_token = os.environ['HF_TOKEN']",
    "login(token=getpass.getpass())",
    "api_key = 'YOUR_API_KEY'",
    "client = Groq(api_key=os.environ['GROQ_API_KEY'])",
    "hf_" + "a" * 34,
    "publicToken = '" + MIXED + "'",
    "fake_token = '" + MIXED + "'",
    "key = 'abc123xyz-456def-klmnopqrstuvwx'",
    f"info = {{'type': 'authorized_user', 'private_key_id': '{HEX40}'}}",
]


def _ids(source: str) -> set[str]:
    notebook = factory.load(factory.notebook(factory.code(source)))
    found: list[Finding] = RuleSet.build(Selector.build(["SEC", "PII"])).run(notebook)
    return {f.rule_id for f in found}


@pytest.mark.parametrize(("source", "rule_id"), DETECTED, ids=[r for _, r in DETECTED])
def test_each_provider_format_is_found(source: str, rule_id: str) -> None:
    assert rule_id in _ids(source)


@pytest.mark.parametrize("source", CLEAN, ids=range(len(CLEAN)))
def test_placeholders_environment_reads_and_public_values_stay_clean(source: str) -> None:
    assert _ids(source) == set()


def test_a_service_account_file_is_one_finding_not_two() -> None:
    pem = "PRIVATE " + "KEY-----"
    block = f"-----BEGIN {pem}\\n" + (MIXED + "\\n") * 3 + f"-----END {pem}"
    account = SERVICE_ACCOUNT[:-1] + f', "private_key": "{block}"}}'
    assert _ids(f"info = {account}") == {"SEC118"}


def test_a_random_token_holding_an_x_run_is_not_a_placeholder() -> None:
    # Mixed-case random bodies contain "XXx" now and then; "xxx" in lowercase matched them.
    from pytest_nbgate.checks.filters import is_placeholder

    body = "jAzFNXX" + "xiwOTIX6M4ryWlt_QT7nmJIOjh41d9KTSAg0Qz0Tfe2MK7yNjtY3knAUN74ay9xDGo37mKmQvFT"
    assert not is_placeholder(body)
    assert is_placeholder("sk-" + "x" * 20) and is_placeholder("XXX-XXX-XXXX")
