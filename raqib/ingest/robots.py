"""robots.txt as RFC 9309 says: what each fetch outcome means, and one answer per site.

The fetching itself is done by the caller (the Fetcher, through its SSRF guard); this
module only turns "status + body" into a policy, with urllib.robotparser as the parser.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser


@dataclass(frozen=True)
class RobotsAnswer:
    """What fetching robots.txt gave: a status and body, or ``error`` when unreachable."""

    status: int | None
    body: bytes = b""
    error: str | None = None


#: download(robots_url) -> RobotsAnswer; it must not raise.
Download = Callable[[str], RobotsAnswer]


@dataclass(frozen=True)
class RobotsPolicy:
    """The rules of one site; ``parser`` is None when the answer is all-or-nothing.

    ``reason`` explains a blanket refusal, for error messages."""

    parser: RobotFileParser | None
    allow_all: bool = True
    reason: str = ""

    def allows(self, url: str, user_agent: str) -> bool:
        if self.parser is None:
            return self.allow_all
        return self.parser.can_fetch(user_agent, url)


def policy_from_answer(answer: RobotsAnswer) -> RobotsPolicy:
    """RFC 9309 §2.3.1: 2xx parse; 4xx "unavailable" = allow all; 5xx or no answer = disallow all.

    Other statuses (e.g. 3xx left over after too many redirects) count as unavailable.
    """
    status = answer.status
    if status is None:
        reason = f"robots.txt unreachable ({answer.error or 'no answer'})"
        return RobotsPolicy(parser=None, allow_all=False, reason=reason)
    if 500 <= status <= 599:
        return RobotsPolicy(parser=None, allow_all=False, reason=f"robots.txt gave HTTP {status}")
    if not 200 <= status <= 299:
        return RobotsPolicy(parser=None, allow_all=True)
    return RobotsPolicy(parser=parse_robots(answer.body))


def parse_robots(body: bytes) -> RobotFileParser:
    """Parse robots.txt bytes (UTF-8 per the RFC) with urllib.robotparser."""
    text = body.decode("utf-8", errors="replace").removeprefix("\ufeff")
    parser = RobotFileParser()
    parser.parse(text.splitlines())
    _prefer_longest_match(parser)
    return parser


def _prefer_longest_match(parser: RobotFileParser) -> None:
    """Reorder rules so robotparser's "first match wins" gives RFC 9309's "most specific
    (longest) match wins, Allow wins a tie" instead of depending on file order."""
    # entries/default_entry are undocumented attributes that typeshed does not list.
    entries = list(getattr(parser, "entries", []))
    default = getattr(parser, "default_entry", None)
    if default is not None:
        entries.append(default)
    for entry in entries:
        entry.rulelines.sort(key=lambda rule: (len(rule.path), rule.allowance), reverse=True)


def robots_url_for(url: str) -> str:
    """The robots.txt URL governing ``url`` (same scheme, host and port)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc.rsplit("@", 1)[-1], "/robots.txt", "", ""))


class RobotsCache:
    """Fetch each site's robots.txt once per run and answer "may we fetch this URL?"."""

    def __init__(self, download: Download) -> None:
        self._download = download
        self._policies: dict[str, RobotsPolicy] = {}

    def policy(self, url: str) -> RobotsPolicy:
        """The policy of the site serving ``url``, downloading robots.txt the first time."""
        key = robots_url_for(url).lower()
        policy = self._policies.get(key)
        if policy is None:
            policy = policy_from_answer(self._download(robots_url_for(url)))
            self._policies[key] = policy
        return policy

    def allows(self, url: str, user_agent: str) -> bool:
        return self.policy(url).allows(url, user_agent)
