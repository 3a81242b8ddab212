"""SEC101-SEC108: credentials with a recognisable format (cloud, VCS, chat, AI providers).

Every detector here is a prefix plus a character class: the keyword
prefilter rejects almost every notebook before any regex runs.
"""

from __future__ import annotations

import re
from typing import ClassVar

from pytest_nbgate.checks.filters import is_placeholder, is_word_like
from pytest_nbgate.checks.secrets.detector import Detector
from pytest_nbgate.checks.secrets.examples import is_documented_example
from pytest_nbgate.checks.secrets.options import SecretsSettings
from pytest_nbgate.checks.secrets.scan import Fragment

TOKEN_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"
ASSIGN = (
    r"[\w.-]{0,30}?(?:[\"'\]]|\s+string)?\s*(?::{1,3}=|[?.+]?=|=>|:|,|>|\()"
    r"[ \t]*\n?[ \t]*[\"'`]?"
)
"""From the name to the value in the assignment syntaxes SEC122 knows (a newline for XML),
or a call (``meraki.DashboardAPI("…")``)."""


class FormatDetector(Detector):
    """Abstract: a token format; rejects placeholders (``ghp_xxxx…``) and vendors' examples."""

    prefixes: ClassVar[tuple[str, ...]] = ()
    """Value prefixes this format owns: other rules leave such values to it, well formed or not."""
    providers: ClassVar[tuple[str, ...]] = ()
    """Lower-case provider names: values assigned to them are judged by this rule's format only."""

    def accepts(
        self, value: str, match: re.Match[str], fragment: Fragment, settings: SecretsSettings
    ) -> bool:
        return not (is_placeholder(value) or is_documented_example(value))


class AwsAccessKeyId(FormatDetector):
    """AWS access key id (``AKIA…``, ``ASIA…``).

    What it does:
        Finds AWS access key ids in sources, outputs and metadata.

    Why is this bad?
        With its secret key it grants access to the AWS account; both usually travel together.

    Example:
        ``boto3.client("s3", aws_access_key_id="AKIA…")``

    Use instead:
        A profile or role (``boto3.Session(profile_name=...)``) or environment variables.

    Options:
        None (see the ``secrets:`` profile section).
    """

    id = "SEC101"
    name = "aws-access-key-id"
    label = "AWS access key id"
    keywords = ("AKIA", "ASIA", "ABIA", "ACCA", "A3T")
    prefixes = ("AKIA", "ASIA")
    not_before = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    pattern = re.compile(r"(?P<value>(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16})(?![A-Z0-9])")


class AwsSecretAccessKey(FormatDetector):
    """AWS secret access key assigned to an ``aws…secret…``/``aws…key`` name.

    What it does:
        Finds 40-character AWS secret keys next to a name mentioning AWS.

    Why is this bad?
        It is the password half of an AWS credential.

    Example:
        ``AWS_SECRET_ACCESS_KEY = "wJal…"``

    Use instead:
        ``~/.aws/credentials``, a role, or a secrets manager.

    Options:
        None.
    """

    id = "SEC102"
    name = "aws-secret-access-key"
    label = "AWS secret access key"
    keywords = ("aws",)
    keyword_lines = True
    ignore_case = True
    pattern = re.compile(
        r"(?i)aws[\w.-]{0,20}?(?:secret|key)[\w.-]{0,20}?[\"']?\s*[:=]\s*[rbu]?[\"']?"
        r"(?P<value>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])"
    )

    def accepts(
        self, value: str, match: re.Match[str], fragment: Fragment, settings: SecretsSettings
    ) -> bool:
        return super().accepts(value, match, fragment, settings) and not is_word_like(value)


class GitHubToken(FormatDetector):
    """GitHub token: classic (``ghp_``, ``gho_``…) or fine-grained (``github_pat_``).

    What it does:
        Finds GitHub personal, OAuth, app and fine-grained tokens.

    Why is this bad?
        It can push code, read private repositories and change settings.

    Example:
        ``Github("ghp_…")``

    Use instead:
        ``os.environ["GITHUB_TOKEN"]`` or the ``gh auth token`` helper.

    Options:
        None.
    """

    id = "SEC103"
    name = "github-token"
    label = "GitHub token"
    keywords = ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_")
    prefixes = keywords
    not_before = TOKEN_CHARS
    pattern = re.compile(
        r"(?P<value>gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,255})"
        r"(?![A-Za-z0-9_])"
    )


class GitLabToken(FormatDetector):
    """GitLab token (``glpat-``, deploy, runner, feed, trigger, CI job, agent, OAuth tokens).

    What it does:
        Finds GitLab personal access and other prefixed tokens.

    Why is this bad?
        It grants API access to the projects of its owner.

    Example:
        ``gitlab.Gitlab(url, private_token="glpat-…")``

    Use instead:
        A CI/CD variable read from the environment.

    Options:
        None.
    """

    id = "SEC104"
    name = "gitlab-token"
    label = "GitLab token"
    keywords = (
        "glpat-",
        "gldt-",
        "glrt-",
        "glptt-",
        "glft-",
        "glsoat-",
        "glcbt-",
        "glffct-",
        "glimt-",
        "glagent-",
        "gloas-",
    )
    prefixes = keywords
    not_before = TOKEN_CHARS
    pattern = re.compile(
        r"(?P<value>(?:glpat|gldt|glrt|glptt|glft|glsoat|glcbt|glffct|glimt|glagent|gloas)"
        r"-[A-Za-z0-9_-]{20,64}(?:\.[0-9a-z]{2}[0-9a-z]{7})?)(?![\w-])"
    )


class SlackToken(FormatDetector):
    """Slack bot, user, app or configuration token (``xoxb-``, ``xoxp-``, ``xapp-``…).

    What it does:
        Finds Slack API tokens.

    Why is this bad?
        It reads and posts messages as the bot or user, including private channels.

    Example:
        ``WebClient(token="xoxb-…")``

    Use instead:
        An environment variable or a secrets manager.

    Options:
        None.
    """

    id = "SEC105"
    name = "slack-token"
    label = "Slack token"
    keywords = ("xox", "xapp-")
    prefixes = ("xoxb-", "xoxp-", "xapp-")
    not_before = TOKEN_CHARS
    pattern = re.compile(
        r"(?P<value>xox[abposre]-[A-Za-z0-9-]{10,250}|xapp-\d-[A-Z0-9]+-\d+-[a-z0-9]+)"
        r"(?![\w-])"
    )

    def accepts(
        self, value: str, match: re.Match[str], fragment: Fragment, settings: SecretsSettings
    ) -> bool:
        # Real tokens end in a long random part; ``xoxb-my-bot-token`` is a name.
        tail = value.rsplit("-", 1)[-1]
        shape = _SLACK_SHAPES.get(value[:5])
        return (
            super().accepts(value, match, fragment, settings)
            and ((len(tail) >= 8 and not is_word_like(tail)) or value.startswith("xoxe"))
            and (shape is None or shape.match(value) is not None)
        )


_SLACK_SHAPES = {
    # Slack's user and bot tokens start with team and user ids of 8 to 14 digits.
    # Configuration tokens (``xoxe.xoxp-1-…``) have one digit and a long random part instead.
    "xoxp-": re.compile(r"xoxp(?:(?:-\d{8,14}){3}-[A-Za-z0-9]{24,40}|-\d-[A-Za-z0-9]{140,})$"),
    "xoxb-": re.compile(
        r"xoxb(?:-\d{8,14}-(?:\d{8,14}-)?[A-Za-z0-9-]{18,}|-\d-[A-Za-z0-9]{140,})$"
    ),
}


class ChatWebhook(FormatDetector):
    """Incoming webhook URL of Slack, Discord or Microsoft Teams.

    What it does:
        Finds chat webhook URLs, whose path is the credential.

    Why is this bad?
        Anyone holding the URL can post into the channel (phishing from a trusted bot).

    Example:
        ``requests.post("https://hooks.slack.com/services/T…/B…/…", json=msg)``

    Use instead:
        Read the URL from the environment.

    Options:
        None.
    """

    id = "SEC106"
    name = "chat-webhook"
    label = "chat webhook URL"
    keywords = ("hooks.slack.com", "/api/webhooks/", "webhook.office.com")
    pattern = re.compile(
        r"(?P<value>(?:https?://)?(?:hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/]{20,}"
        r"|(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/\d+/[\w-]{30,}"
        r"|[\w-]+\.webhook\.office\.com/webhookb2/[\w@/-]{40,}))"
    )


class TelegramBotToken(FormatDetector):
    """Telegram bot token (``123456789:AA…``).

    What it does:
        Finds Telegram Bot API tokens.

    Why is this bad?
        It controls the bot: reads its chats and sends as it.

    Example:
        ``Bot(token="123456789:AA…")``

    Use instead:
        An environment variable.

    Options:
        None.
    """

    id = "SEC107"
    name = "telegram-bot-token"
    label = "Telegram bot token"
    keywords = (":aa", "telegram")
    providers = ("telegram",)
    ignore_case = True
    following_lines = 1
    keyword_lines = True
    not_before = TOKEN_CHARS + ":"
    pattern = re.compile(
        r"(?P<value>\d{8,10}:AA[A-Za-z0-9_-]{33})(?![\w-])"
        rf"|(?i:telegram)[\w .-]{{0,30}}?{ASSIGN}"
        r"(?P<named>\d{5,16}:A[A-Za-z0-9_-]{34})(?![\w-])"
    )
    value_groups = ("value", "named")


class AiProviderKey(FormatDetector):
    """API key of an AI provider: OpenAI (``sk-proj-``, ``sk-…T3BlbkFJ…``) or Anthropic.

    What it does:
        Finds OpenAI project, service-account and legacy keys and Anthropic
        ``sk-ant-`` keys (Hugging Face tokens are SEC114's).

    Why is this bad?
        Keys are billed per use and leaked ones are abused within minutes.

    Example:
        ``OpenAI(api_key="sk-proj-…")``

    Use instead:
        ``OpenAI()`` reads ``OPENAI_API_KEY`` from the environment.

    Options:
        None.
    """

    id = "SEC108"
    name = "ai-provider-key"
    label = "AI provider API key"
    keywords = ("sk-",)
    prefixes = ("sk-proj-", "sk-svcacct-", "sk-admin-", "sk-ant-")
    keyword_lines = True
    not_before = TOKEN_CHARS
    pattern = re.compile(
        r"(?P<value>sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}"
        r"|sk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{93}AA"
        r"|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}|sk-[A-Za-z0-9]{48})(?![\w-])"
    )

    def accepts(
        self, value: str, match: re.Match[str], fragment: Fragment, settings: SecretsSettings
    ) -> bool:
        return super().accepts(value, match, fragment, settings) and not is_word_like(value[3:])


RULES = (
    AwsAccessKeyId,
    AwsSecretAccessKey,
    GitHubToken,
    GitLabToken,
    SlackToken,
    ChatWebhook,
    TelegramBotToken,
    AiProviderKey,
)
