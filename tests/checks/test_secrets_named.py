"""SEC125-SEC134 and the context rules' deference to them: (cell source, expected ids) tables.

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
HEX64 = HEX32 + HEX32[::-1]
B64 = "".join(MIXED[i % len(MIXED)] for i in range(7, 7 + 120))


def _sentry_org(payload: dict[str, object]) -> str:
    encoded = base64.b64encode(json.dumps(payload).encode()).decode().rstrip("=")
    return "sntr" + "ys_" + encoded + "_" + (MIXED + MIXED)[:43]


DETECTED = [
    ("CLOUDFLARE_API_TOKEN = '" + (MIXED + MIXED)[:40] + "'", "SEC125"),
    ("key = 'v1.0-" + HEX32[:24] + "-" + (HEX64 * 3)[:146] + "'", "SEC125"),
    ("dashboard = meraki.DashboardAPI('" + HEX40 + "')", "SEC126"),
    ("SUMO_ACCESS_ID = 'su" + MIXED[:12] + "'", "SEC127"),
    ("!sonar-scanner -Dsonar.token=sq" + "u_" + HEX40, "SEC128"),
    ("SONAR_LOGIN = '" + (MIXED + MIXED)[:40] + "'", "SEC128"),
    ("tok = 'sg" + "p_" + HEX40 + "'", "SEC129"),
    ("tok = 'sg" + "p_local_" + HEX40 + "'", "SEC129"),
    ("Client(auth='nt" + "n_" + "45647615172" + (MIXED + MIXED)[:35] + "')", "SEC130"),
    ("FLY_API_TOKEN = 'FlyV1 fm" + "2_" + B64 + "'", "SEC131"),
    ("t = 'fo" + "1_" + (MIXED + MIXED)[:43] + "'", "SEC131"),
    ("t = '" + _sentry_org({"iat": 1.0, "url": "https://sentry.io", "org": "ada"}) + "'", "SEC132"),
    ("!curl -u admin:" + MIXED[:12] + " https://db.internal:9200", "SEC133"),
    ("!curl -H 'Api-Token: " + MIXED[:12] + "' https://api.internal", "SEC133"),
    ("VAULT = 'hv" + "s." + (B64 + B64)[:100] + "'", "SEC134"),
    ("oc_token = 'sha256" + "~" + (MIXED + MIXED)[:43] + "'", "SEC134"),
    ("tok = 'gl" + "sa_" + MIXED[:32] + "_" + HEX32[:8] + "'", "SEC134"),
    ("bot = Bot('123456" + "78:AA" + (MIXED + MIXED)[:33] + "')", "SEC107"),
    ("telegram_token = '35378:A" + (MIXED + MIXED)[:34] + "'", "SEC107"),
    ("SNOWFLAKE_PASSWORD = 'Tr0ub4dor&" + MIXED[:3] + "'", "SEC135"),
    ('cfg = {"snowflake_pat": "' + MIXED + MIXED + '"}', "SEC135"),
]
CLEAN = [
    # A name of a provider whose format is known, with a value that does not have it.
    "telegram_api_token = '8764:Ag" + MIXED[:20] + "'",
    "meraki_token = '" + HEX64 + "R21'",
    "DATABRICKS_TOKEN = 'dapi" + HEX32[:28] + "defg5'",
    # Prefixes owned by a format, malformed: not an unknown secret either.
    "key = 'AIza" + (MIXED + MIXED)[:43] + "'",
    "tok = 'sgp_local_" + HEX40[:5] + "G" + HEX40[6:] + "'",
    "t = '" + _sentry_org({"name": "ada"}) + "'",
    # Typed filler, versions and camelCase prose.
    "API_KEY = 'glc_" + "1" * 42 + "='",
    "token = 'GR1348941" + "123" * 7 + "'",
    'notes = "Maven - io.jsonwebtoken:jjwt-jackson-0.11.2"',
    "sel = 'desktop-rhf_SponsoredProductsRemoteRHFSearchEXPSubsK2ClickPagination'",
    "!curl -u <user:password> https://example.org/endpoint",
    "!curl -u admin:$DB_PASSWORD https://db.internal:9200",
    "camera = 'ReactNativeCameraKit: " + HEX40 + "'",
    "SNOWFLAKE_PASSWORD = os.environ['SNOWFLAKE_PASSWORD']",
    "snowflake_password = getpass.getpass()",
    "snowflake_password = secret_v2",
    "snowflake_token = 'YOUR_SNOWFLAKE_TOKEN'",
    "tok = '" + '"token3": "xoxp-1234-1234-1234-' + HEX32 + '"' + "'",
]


def _ids(source: str) -> set[str]:
    notebook = factory.load(factory.notebook(factory.code(source)))
    found: list[Finding] = RuleSet.build(Selector.build(["SEC", "PII"])).run(notebook)
    return {f.rule_id for f in found}


@pytest.mark.parametrize(("source", "rule_id"), DETECTED, ids=[r for _, r in DETECTED])
def test_each_named_format_is_found(source: str, rule_id: str) -> None:
    assert rule_id in _ids(source)


@pytest.mark.parametrize("source", CLEAN, ids=range(len(CLEAN)))
def test_malformed_values_of_known_formats_stay_clean(source: str) -> None:
    assert _ids(source) == set()


def test_a_vendor_token_message_names_the_vendor_but_not_the_value() -> None:
    token = "hv" + "s." + (B64 + B64)[:100]
    notebook = factory.load(factory.notebook(factory.code(f"VAULT = '{token}'")))
    found = RuleSet.build(Selector.build(["SEC134"])).run(notebook)
    assert [f.message for f in found] == [
        f"HashiCorp Vault token {token[:2]}…{token[-2:]} in code cell"
    ]
    assert token not in found[0].message


def _age_key(payload: bytes) -> str:
    """A real-shaped age identity: bech32 of ``payload`` with its checksum."""
    charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
    bits = "".join(f"{byte:08b}" for byte in payload)
    bits += "0" * (-len(bits) % 5)
    data = [int(bits[i : i + 5], 2) for i in range(0, len(bits), 5)]
    human = "age-secret-key-"
    values = [ord(c) >> 5 for c in human] + [0] + [ord(c) & 31 for c in human] + data
    generators = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    checksum = 1
    for value in values + [0] * 6:
        top = checksum >> 25
        checksum = (checksum & 0x1FFFFFF) << 5 ^ value
        for bit, generator in enumerate(generators):
            checksum ^= generator if (top >> bit) & 1 else 0
    checksum ^= 1
    tail = [(checksum >> 5 * (5 - i)) & 31 for i in range(6)]
    return (human + "1" + "".join(charset[v] for v in data + tail)).upper()


def test_an_age_key_is_found_only_with_a_valid_checksum() -> None:
    key = _age_key(bytes(range(7, 7 + 32)))
    assert len(key) == len("AGE-SECRET-KEY-1") + 58
    assert "SEC136" in _ids(f"key = '{key}'")
    broken = key[:-1] + ("Q" if key[-1] != "Q" else "P")
    assert _ids(f"key = '{broken}'") == set()
    assert _ids("age_key = 'AGE-SECRET-KEY-1" + "Q" * 58 + "'") == set()
