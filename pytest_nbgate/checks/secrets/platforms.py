"""SEC114-SEC116: keys of the ML and data platforms notebooks talk to.

Hugging Face, Databricks, and the hosted-model APIs (Groq, Replicate,
Perplexity, Cohere, Mistral, Together, Weights & Biases, Kaggle, AWS
Bedrock). Prefixed formats are matched alone; formats without a prefix only
next to the provider's name, as each provider's client reads them.
"""

from __future__ import annotations

import re

from pytest_nbgate.checks import filters
from pytest_nbgate.checks.secrets.options import SecretsSettings
from pytest_nbgate.checks.secrets.scan import Fragment
from pytest_nbgate.checks.secrets.tokens import TOKEN_CHARS, FormatDetector


class HuggingFaceToken(FormatDetector):
    """Hugging Face user access token (``hf_…``) or organisation API token (``api_org_…``).

    What it does:
        Finds Hugging Face tokens: ``hf_`` or ``api_org_`` followed by 34 or
        more letters and digits (real user tokens are often letters only).

    Why is this bad?
        A write token can push models and datasets, and read the gated and
        private ones of its owner.

    Example:
        ``login(token="hf_…")``

    Use instead:
        ``huggingface-cli login`` once (the token stays in ``~/.cache``), or ``HF_TOKEN``.

    Options:
        None.
    """

    id = "SEC114"
    name = "hugging-face-token"
    label = "Hugging Face token"
    keywords = ("hf_", "api_org_")
    prefixes = keywords
    keyword_lines = True
    not_before = TOKEN_CHARS
    pattern = re.compile(r"(?P<value>(?:hf_|api_org_)[A-Za-z0-9]{34,40})(?![\w-])")

    def accepts(
        self, value: str, match: re.Match[str], fragment: Fragment, settings: SecretsSettings
    ) -> bool:
        body = value.partition("_")[2].removeprefix("org_")
        random_case = any(c.isupper() for c in body[1:]) and any(c.islower() for c in body)
        return (
            super().accepts(value, match, fragment, settings)
            and random_case
            and not filters.is_low_entropy(body, 3.5)
        )


class DatabricksToken(FormatDetector):
    """Databricks personal access token (``dapi`` + 32 hex digits).

    What it does:
        Finds Databricks workspace tokens, with or without their ``-2``-style suffix.

    Why is this bad?
        It runs jobs and reads every table its user can, billed to the workspace.

    Example:
        ``sql.connect(server_hostname=h, http_path=p, access_token="dapi…")``

    Use instead:
        ``databricks auth login`` (OAuth) or ``DATABRICKS_TOKEN`` from the environment.

    Options:
        None.
    """

    id = "SEC115"
    name = "databricks-token"
    label = "Databricks token"
    keywords = ("dapi",)
    prefixes = keywords
    providers = ("databricks",)
    keyword_lines = True
    not_before = TOKEN_CHARS
    pattern = re.compile(r"(?P<value>dapi[a-f0-9]{32}(?:-\d)?)(?![\w-])")

    def accepts(
        self, value: str, match: re.Match[str], fragment: Fragment, settings: SecretsSettings
    ) -> bool:
        return super().accepts(value, match, fragment, settings) and not filters.is_low_entropy(
            value[4:36], 3.0
        )


_NAMED = (
    r"(?:co_api_key|cohere|mistral|together|wandb|kaggle|replicate|groq|perplexity)"
    r"[\w.(-]{0,24}?[\"']?\s*(?::=|=|:|,)\s*[\"'`]?"
)


_BEDROCK_SHORT = "bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t"
"""Short-lived Bedrock keys encode ``bedrock.amazonaws.com`` right after the prefix."""


class ModelApiKey(FormatDetector):
    """API key of a hosted-model platform (Groq, Replicate, Perplexity, Cohere, Mistral, …).

    What it does:
        Finds Groq ``gsk_``, Replicate ``r8_``, Perplexity ``pplx-`` and AWS
        Bedrock ``ABSK``/``bedrock-api-key-`` keys anywhere, and Cohere,
        Mistral, Together, Weights & Biases and Kaggle keys assigned to a name
        of the provider (``CO_API_KEY=…``, ``wandb.login(key=…)``, the
        ``key`` of ``kaggle.json``).

    Why is this bad?
        Inference is billed per token and a leaked key is drained within hours.

    Example:
        ``Groq(api_key="gsk_…")``

    Use instead:
        The provider's environment variable (``GROQ_API_KEY``, ``WANDB_API_KEY``…).

    Options:
        None.
    """

    id = "SEC116"
    name = "model-api-key"
    label = "model platform API key"
    keywords = (
        "gsk_",
        "r8_",
        "pplx-",
        "absk",
        "bedrock-api-key-",
        "co_api_key",
        "cohere",
        "mistral",
        "together",
        "wandb",
        "kaggle",
        "replicate",
        "groq",
        "perplexity",
        '"key"',
    )
    prefixes = ("gsk_", "r8_", "pplx-", "bedrock-api-key-")
    ignore_case = True
    keyword_lines = True
    match_lower = True
    pattern = re.compile(
        r"(?<![\w-])(?P<value>gsk_[a-z0-9]{52}|r8_[a-z0-9]{37}|pplx-[a-z0-9]{48}"
        r"|absk[a-z0-9+/]{100,280}={0,2}|bedrock-api-key-[a-z0-9+/]{24,}={0,2})(?![\w-])"
        rf"|{_NAMED}(?P<named>[a-z0-9]{{32,64}})(?![\w-])"
        r"|\"key\"\s*:\s*\"(?P<kaggle>[a-f0-9]{32})\""
    )

    value_groups = ("value", "named", "kaggle")

    def accepts(
        self, value: str, match: re.Match[str], fragment: Fragment, settings: SecretsSettings
    ) -> bool:
        if match.group("kaggle") is not None and "username" not in match.string:
            return False
        if value.startswith("bedrock-api-key-") and not value.startswith(_BEDROCK_SHORT):
            return False
        return (
            super().accepts(value, match, fragment, settings)
            and not filters.is_word_like(value)
            and not filters.is_low_entropy(value, 3.0)
        )


RULES = (HuggingFaceToken, DatabricksToken, ModelApiKey)
