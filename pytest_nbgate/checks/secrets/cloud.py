"""SEC117-SEC118: Azure credentials and Google Cloud service-account key files."""

from __future__ import annotations

import re

from pytest_nbgate.checks import filters
from pytest_nbgate.checks.secrets.detector import Detector
from pytest_nbgate.checks.secrets.options import SecretsSettings
from pytest_nbgate.checks.secrets.scan import Fragment
from pytest_nbgate.checks.secrets.tokens import FormatDetector

_AZURE_KEY_NAME = r"(?:azure|storage|account)[\w.-]{0,30}?key[\"']?\s*(?::=|=|:)\s*[\"']?"


class AzureCredential(FormatDetector):
    """Azure AD client secret, storage account key, or the signature of a SAS URL.

    What it does:
        Finds Entra ID (Azure AD) application secrets (``…8Q~…``), the
        ``sig=`` of shared access signature URLs, and 88-character storage
        keys assigned to an Azure or storage name (``AccountKey=`` strings
        are SEC121's).

    Why is this bad?
        A client secret signs in as the application; a storage key or SAS
        reads and writes the account's blobs.

    Example:
        ``ClientSecretCredential(tenant, client_id, "Qx8Q~…")``

    Use instead:
        ``DefaultAzureCredential()`` (managed identity, ``az login``) or Key Vault.

    Options:
        None.
    """

    id = "SEC117"
    name = "azure-credential"
    label = "Azure credential"
    keywords = ("q~", "sig=", "azure", "storage", "account")
    ignore_case = True
    match_lower = True
    keyword_lines = True
    pattern = re.compile(
        r"(?<![\w~.-])(?P<value>[a-z0-9_~.-]{3}\dq~[a-z0-9_~.-]{31,34})(?![\w~.-])"
        r"|[?&]sig=(?P<sig>[a-z0-9%+/]{40,}(?:%3d|=){0,2})"
        rf"|{_AZURE_KEY_NAME}(?P<storage>[a-z0-9+/]{{86}}==)"
    )
    value_groups = ("value", "sig", "storage")

    def accepts(
        self, value: str, match: re.Match[str], fragment: Fragment, settings: SecretsSettings
    ) -> bool:
        return super().accepts(value, match, fragment, settings) and not filters.is_low_entropy(
            value, 3.5
        )


class GcpServiceAccountKey(Detector):
    """Google Cloud service-account key file (JSON with ``"type": "service_account"``).

    What it does:
        Finds a service-account key, pasted or printed, as one finding on its
        ``private_key_id`` (its ``private_key`` block is not reported again by SEC111).

    Why is this bad?
        The file is a long-lived credential for the service account, usually with broad roles.

    Example:
        ``info = {"type": "service_account", "private_key_id": "…", "private_key": "…"}``

    Use instead:
        ``google.auth.default()`` (workload identity, ``gcloud auth application-default login``).

    Options:
        None.
    """

    id = "SEC118"
    name = "gcp-service-account-key"
    label = "GCP service-account key"
    message = "GCP service-account key (id {redacted}) in {where}"
    keywords = ("private_key_id",)
    keyword_lines = True
    pattern = re.compile(
        r"private_key_id[\\\"']*\s*:\s*[\\\"']*(?P<value>[a-f0-9]{40})(?![a-f0-9])"
    )

    def accepts(
        self, value: str, match: re.Match[str], fragment: Fragment, settings: SecretsSettings
    ) -> bool:
        return "service_account" in fragment.text and not filters.is_placeholder(value)


def in_service_account(fragment: Fragment) -> bool:
    """A private key block inside a service-account file: SEC118 reports the file."""
    text = fragment.text
    return "service_account" in text and "private_key_id" in text


RULES = (AzureCredential, GcpServiceAccountKey)
